import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { endpointsFor } from '../../driver/google-photos/endpoints.js';
import { buildAuthorizationUrl, createPkcePair, exchangeAuthorizationCode } from '../../driver/google-photos/oauth.js';
import { HELP_OPTION, parsePort, printedHelp } from './options.js';
import { openDatabase } from '../state/database.js';
import { escapeHtml, htmlPage } from '../routes/html-page.js';
import { normalizeMountPath } from '../fs/paths.js';
import { parseAddition, StorageStore } from '../storages/storage-store.js';

const USAGE = `Usage: gphotos-alist auth --client-id ID --client-secret SECRET [--api-base-url URL] [--port 0]
                          [--storage /mount --data ./data] [--timeout 300]

Opens Google's consent page (prints its URL), waits for Google's redirect on a loopback port, exchanges the code
and prints the refresh token, or, with --storage, stores it into that storage's settings in the data folder.
The client id and secret may also come from env GOOGLE_CLIENT_ID / GOOGLE_CLIENT_SECRET, or from the storage.`;

export interface AuthOptions {
  clientId?: string;
  clientSecret?: string;
  apiBaseUrl?: string;
  port?: number;
  storage?: string;
  dataDir?: string;
  timeoutSec?: number;
}

export interface AuthResult {
  refreshToken: string;
  storedIn?: string;
}

interface StorageTarget {
  store: StorageStore;
  close(): Promise<void>;
  id: number;
  mountPath: string;
  addition: Record<string, unknown>;
}

async function openStorage(dataDir: string, mount: string): Promise<StorageTarget> {
  const mountPath = normalizeMountPath(mount);
  const db = await openDatabase({ dataDir, databaseUrl: process.env.DATABASE_URL || undefined });
  const store = new StorageStore(db, Date.now);
  const row = (await store.list()).find((candidate) => candidate.mount_path === mountPath);
  if (!row) {
    await db.close();
    throw new Error(`No storage is mounted at ${mountPath} in ${dataDir}; add it first (client id and secret are enough)`);
  }
  return { store, close: () => db.close(), id: row.id, mountPath, addition: parseAddition(row.addition) };
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** Wait for one redirect carrying our state on the loopback server; answer the browser with a page. */
function waitForRedirect(server: Server, state: string, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`No answer from the browser within ${Math.round(timeoutMs / 1000)} s`)), timeoutMs);
    server.on('request', (request, response) => {
      const url = new URL(request.url ?? '/', 'http://127.0.0.1');
      const answer = (status: number, title: string, body: string) => {
        response.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'referrer-policy': 'no-referrer' });
        response.end(htmlPage(title, body));
      };
      if (url.searchParams.get('state') !== state) return answer(400, 'Unknown request', '<h1>Unknown or stale authorization</h1>');
      clearTimeout(timer);
      const error = url.searchParams.get('error');
      const code = url.searchParams.get('code');
      if (error || !code) {
        answer(400, 'Authorization cancelled', `<h1>Authorization cancelled</h1><p>${escapeHtml(error ?? 'no code')}</p>`);
        return reject(new Error(`Google answered: ${error ?? 'no authorization code'}`));
      }
      answer(200, 'Authorized', '<h1>Authorized.</h1><p>You can close this tab and go back to the terminal.</p>');
      resolve(code);
    });
  });
}

/** The terminal authorization: `print` gets each line meant for the person (the URL first). */
export async function runAuth(options: AuthOptions, print: (line: string) => void): Promise<AuthResult> {
  const target = options.storage ? await openStorage(path.resolve(options.dataDir ?? './data'), options.storage) : undefined;
  try {
    const clientId = options.clientId ?? text(target?.addition.client_id);
    const clientSecret = options.clientSecret ?? text(target?.addition.client_secret);
    if (!clientId || !clientSecret) throw new Error('Give --client-id and --client-secret (or env GOOGLE_CLIENT_ID / GOOGLE_CLIENT_SECRET)');
    const apiBaseUrl = options.apiBaseUrl ?? text(target?.addition.api_base_url);
    const endpoints = endpointsFor(apiBaseUrl ? { api_base_url: apiBaseUrl } : {});

    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
    });
    try {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      const redirectUri = `http://127.0.0.1:${port}/oauth2callback`;
      const state = randomBytes(24).toString('base64url');
      const pkce = createPkcePair();
      const url = buildAuthorizationUrl({ endpoint: endpoints.authorize, clientId, redirectUri, state, codeChallenge: pkce.challenge });
      print('Open this URL in a browser and allow access:');
      print(url);
      print(`Waiting for the redirect on ${redirectUri} ...`);
      const code = await waitForRedirect(server, state, (options.timeoutSec ?? 300) * 1000);
      const { refreshToken } = await exchangeAuthorizationCode({
        tokenEndpoint: endpoints.token, clientId, clientSecret, code, redirectUri, codeVerifier: pkce.verifier,
      });
      if (!target) {
        print('Refresh token (keep it secret; paste it into the storage\'s refresh_token field):');
        print(refreshToken);
        return { refreshToken };
      }
      const patch: Record<string, unknown> = { refresh_token: refreshToken, client_id: clientId, client_secret: clientSecret };
      if (apiBaseUrl) patch.api_base_url = apiBaseUrl;
      await target.store.mergeAddition(target.id, patch);
      print(`Stored the refresh token in storage ${target.mountPath}. Restart the server (or save the storage again) to use it.`);
      return { refreshToken, storedIn: target.mountPath };
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  } finally {
    await target?.close();
  }
}

export async function main(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      'client-id': { type: 'string' },
      'client-secret': { type: 'string' },
      'api-base-url': { type: 'string' },
      port: { type: 'string', default: '0' },
      storage: { type: 'string' },
      data: { type: 'string', default: './data' },
      timeout: { type: 'string', default: '300' },
      help: HELP_OPTION,
    },
  });
  if (printedHelp(values.help, USAGE)) return;
  const port = parsePort(values.port);
  await runAuth({
    clientId: values['client-id'] ?? process.env.GOOGLE_CLIENT_ID,
    clientSecret: values['client-secret'] ?? process.env.GOOGLE_CLIENT_SECRET,
    apiBaseUrl: values['api-base-url'],
    port,
    storage: values.storage,
    dataDir: values.data,
    timeoutSec: Number(values.timeout) || 300,
  }, (line) => console.log(line));
}
