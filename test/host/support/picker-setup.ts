/** A host on a data folder that can be stopped and started again, beside one emulator that outlives it. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startEmulator, type Emulator, type EmulatorOptions } from '../../../src/emulator/index.js';
import type { Host, HostOptions } from '../../../src/host/index.js';
import { createTestHost } from './test-host.js';
import { createGooglePhotosStorage, settledStorage } from './google-photos-storage.js';
import { HostClient, type EnvelopeOf } from './host-client.js';

export const PICKER_ADMIN_PASSWORD = 'picker-test-password-3K';

export const PICKER_SCOPE = 'https://www.googleapis.com/auth/photospicker.mediaitems.readonly';

export interface PickerHarness {
  emulator: Emulator;
  dataDir: string;
  host: Host;
  client: HostClient;
  /** Every text answer body seen by every client of this harness, across restarts. */
  bodies(): string[];
  /** Secrets handed out (client secret, refresh and access tokens, admin password), for the scan. */
  secrets: string[];
  /** The clock the emulator and the drivers share (ms); tests move it forward. */
  clock: { now: number };
  start(): Promise<void>;
  stop(): Promise<void>;
  addGooglePhotos(mountPath: string, refreshTokenScopes?: string[]): Promise<number>;
  close(): Promise<void>;
}

export async function startPickerHarness(emulatorOptions: EmulatorOptions = {}, hostOptions: Partial<HostOptions> = {}): Promise<PickerHarness> {
  const clock = { now: Date.now() };
  const emulator = await startEmulator({ items: 12, albums: 1, pickableOnlyItems: 6, now: () => clock.now, ...emulatorOptions });
  const dataDir = mkdtempSync(path.join(tmpdir(), 'gphotos-alist-picker-'));
  const oldBodies: string[] = [];
  let running: Host | undefined;
  const harness: PickerHarness = {
    emulator, dataDir, clock,
    host: undefined as unknown as Host,
    client: undefined as unknown as HostClient,
    secrets: [emulator.client.clientSecret, PICKER_ADMIN_PASSWORD],
    bodies: () => [...oldBodies, ...(harness.client?.seenBodies ?? [])],
    async start() {
      running = await createTestHost({
        dataDir, port: 0, adminPassword: PICKER_ADMIN_PASSWORD, demo: false, now: () => clock.now,
        driverOptions: () => ({ retry: { retries: 1, minTimeout: 1, maxTimeout: 2, randomize: false }, requestTimeoutMs: 5000, now: () => clock.now }),
        ...hostOptions,
      });
      if (harness.client) oldBodies.push(...harness.client.seenBodies);
      harness.host = running;
      harness.client = new HostClient(running.url);
      await harness.client.login('admin', PICKER_ADMIN_PASSWORD);
    },
    async stop() {
      await running?.close();
      running = undefined;
    },
    async addGooglePhotos(mountPath, refreshTokenScopes) {
      const refreshToken = emulator.issueRefreshToken(refreshTokenScopes ? { scopes: refreshTokenScopes } : {});
      harness.secrets.push(refreshToken);
      const id = await createGooglePhotosStorage(harness.client, emulator, { mountPath, refreshToken });
      await settledStorage(harness.client, id);
      return id;
    },
    async close() {
      await harness.stop();
      await emulator.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  await harness.start();
  return harness;
}

/** Polls `read` until `done` says so (a waiting loop, not a timing assumption); fails after `limitMs`. */
export async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, limitMs = 10_000): Promise<T> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`Still not there after ${limitMs} ms: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export function expectOk<T>(answer: EnvelopeOf<T>): T {
  if (answer.code !== 200) throw new Error(`API answered ${answer.code}: ${answer.message} ${JSON.stringify(answer.error ?? {})}`);
  return answer.data;
}

export interface PickedOriginal {
  id: string;
  filename: string;
  bytes: Buffer;
  createTime: string;
}

/**
 * What the emulator itself gives for a session's items, fetched as Google's documentation says (bearer token,
 * `=d` / `=dv`): the reference the host's answers are compared with. The access token joins the secrets.
 */
export async function pickedOriginals(harness: PickerHarness, sessionId: string): Promise<PickedOriginal[]> {
  const { emulator } = harness;
  const refreshToken = emulator.issueRefreshToken();
  harness.secrets.push(refreshToken);
  const token = await fetch(emulator.endpoints.token, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken, client_id: emulator.client.clientId, client_secret: emulator.client.clientSecret }),
  }).then((response) => response.json() as Promise<{ access_token: string }>);
  harness.secrets.push(token.access_token);
  const authorization = { authorization: `Bearer ${token.access_token}` };
  const page = await fetch(`${emulator.endpoints.picker}/mediaItems?sessionId=${encodeURIComponent(sessionId)}&pageSize=100`, { headers: authorization })
    .then((response) => response.json() as Promise<{ mediaItems: Array<{ id: string; createTime: string; mediaFile: { baseUrl: string; mimeType: string; filename: string } }> }>);
  return Promise.all(page.mediaItems.map(async (item) => {
    const suffix = item.mediaFile.mimeType.startsWith('video/') ? '=dv' : '=d';
    const response = await fetch(item.mediaFile.baseUrl + suffix, { headers: authorization });
    if (response.status !== 200) throw new Error(`emulator answered ${response.status} for a picked item`);
    return { id: item.id, filename: item.mediaFile.filename, bytes: Buffer.from(await response.arrayBuffer()), createTime: item.createTime };
  }));
}

/** True when no answer body holds a known secret or anything shaped like an emulator token ("1//0…", "ya29.a0…"). */
export function leakedSecrets(bodies: readonly string[], secrets: readonly string[]): string[] {
  const all = bodies.join('\n');
  const leaked = secrets.filter((secret) => all.includes(secret)).map((secret) => `${secret.slice(0, 4)}…`);
  const shaped = all.match(/1\/\/0[\w-]{10,}|ya29\.a0[\w.-]*/);
  if (shaped) leaked.push(`${shaped[0].slice(0, 6)}…`);
  return leaked;
}
