import nock from 'nock';
import { GooglePhotos, type GooglePhotosOptions } from '../../src/driver/google-photos/driver.js';

export const TOKEN_ORIGIN = 'https://oauth2.googleapis.com';
export const LIBRARY_ORIGIN = 'https://photoslibrary.googleapis.com';

export const CLIENT_SECRET = 'GOCSPX-very-secret-client-secret';
export const REFRESH_TOKEN = '1//0g-secret-refresh-token-value';
export const ACCESS_TOKEN = 'ya29.secret-access-token-one';
export const SECRETS = [CLIENT_SECRET, REFRESH_TOKEN, ACCESS_TOKEN];

export const CONFIG = {
  client_id: '1234-abc.apps.googleusercontent.com',
  client_secret: CLIENT_SECRET,
  refresh_token: REFRESH_TOKEN,
};

/** Tiny retry delays and a Retry-After sleep that only records what it was asked to wait. */
export function fastRetry(sleeps: number[] = []): NonNullable<GooglePhotosOptions['retry']> {
  return { retries: 3, minTimeout: 1, maxTimeout: 2, randomize: false, sleep: async (ms) => void sleeps.push(ms) };
}

export function makeDriver(config: Record<string, unknown> = {}, options: GooglePhotosOptions = {}): GooglePhotos {
  return new GooglePhotos({ ...CONFIG, ...config }, { retry: fastRetry(), ...options });
}

/** A token endpoint that answers `times` refresh grants; returns a counter of the requests it saw. */
export function tokenEndpoint(
  options: { times?: number; accessToken?: string | ((n: number) => string); expiresIn?: number; refreshToken?: string } = {},
): { count: number; bodies: Record<string, string>[] } {
  const seen = { count: 0, bodies: [] as Record<string, string>[] };
  nock(TOKEN_ORIGIN)
    .post('/token')
    .times(options.times ?? 1)
    .reply(function (_uri, body) {
      seen.count++;
      seen.bodies.push(Object.fromEntries(new URLSearchParams(String(body))));
      const token = typeof options.accessToken === 'function' ? options.accessToken(seen.count) : options.accessToken ?? ACCESS_TOKEN;
      return [200, {
        access_token: token,
        expires_in: options.expiresIn ?? 3599,
        scope: 'https://www.googleapis.com/auth/photoslibrary.readonly.appcreateddata',
        token_type: 'Bearer',
        ...(options.refreshToken ? { refresh_token: options.refreshToken } : {}),
      }];
    });
  return seen;
}

export function mediaItem(id: string, filename: string | undefined, mimeType = 'image/jpeg', creationTime = '2024-05-01T10:00:00Z') {
  return {
    id,
    ...(filename === undefined ? {} : { filename }),
    mimeType,
    baseUrl: `https://lh3.googleusercontent.com/lr/${id}`,
    productUrl: `https://photos.google.com/lr/photo/${id}`,
    mediaMetadata: { creationTime, width: '4032', height: '3024', photo: { cameraMake: 'Pixel' } },
  };
}

export function album(id: string, title: string | undefined, count?: string) {
  return {
    id,
    ...(title === undefined ? {} : { title }),
    productUrl: `https://photos.google.com/lr/album/${id}`,
    ...(count === undefined ? {} : { mediaItemsCount: count }),
    coverPhotoBaseUrl: `https://lh3.googleusercontent.com/lr/cover-${id}`,
    isWriteable: true,
  };
}

export function rpcError(code: number, status: string, message: string, details?: unknown[]) {
  return { error: { code, message, status, ...(details ? { details } : {}) } };
}

export const INSUFFICIENT_SCOPES = 'Request had insufficient authentication scopes.';

export function libraryDisabledBody(withDetails: 'errorInfo' | 'help' | 'none', api: 'library' | 'picker' = 'library') {
  const service = api === 'library' ? 'photoslibrary.googleapis.com' : 'photospicker.googleapis.com';
  const title = api === 'library' ? 'Photos Library API' : 'Google Photos Picker API';
  const url = `https://console.developers.google.com/apis/api/${service}/overview?project=357075621397`;
  const message = `${title} has not been used in project 357075621397 before or it is disabled. Enable it by visiting ${url} then retry. `
    + 'If you enabled this API recently, wait a few minutes for the action to propagate to our systems and retry.';
  const help = { '@type': 'type.googleapis.com/google.rpc.Help', links: [{ description: 'Google developers console API activation', url }] };
  const info = {
    '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
    reason: 'SERVICE_DISABLED',
    domain: 'googleapis.com',
    metadata: { service, consumer: 'projects/357075621397', activationUrl: url },
  };
  const details = withDetails === 'errorInfo' ? [info, help] : withDetails === 'help' ? [help] : undefined;
  return { body: rpcError(403, 'PERMISSION_DENIED', message, details), url, message };
}

/** Run `fn`, expecting a rejection; returns the error. */
export async function failure(fn: () => Promise<unknown>): Promise<any> {
  try {
    await fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure, got success');
}

export function expectNoSecrets(error: any, secrets: string[] = SECRETS): void {
  const texts = [String(error?.message), String(error?.hint), JSON.stringify(error), JSON.stringify(error?.cause ?? null)];
  for (const text of texts) for (const secret of secrets) if (text.includes(secret)) throw new Error(`secret leaked: ${text}`);
}

/**
 * Jest may run several test files in one worker; nock's interceptor from an earlier file is torn down
 * with that file's globals, so each file activates its own and restores it at the end.
 */
export function setupNock(): void {
  if (!nock.isActive()) nock.activate();
  nock.disableNetConnect();
}

export function teardownNock(): void {
  nock.cleanAll();
}

export function restoreNock(): void {
  nock.cleanAll();
  nock.enableNetConnect();
  nock.restore();
}

export type LocalReply = 'reset' | [status: number, body: unknown];

/**
 * A real server on 127.0.0.1 answering requests in order with `replies` ('reset' drops the connection, which the
 * client sees as ECONNRESET / socket hang up), repeating the last one. For network failures nock can't fake reliably.
 */
export async function startLocalServer(replies: LocalReply[]): Promise<{ url: string; count: () => number; close: () => Promise<void> }> {
  const { createServer } = await import('node:http');
  let count = 0;
  const server = createServer((req, res) => {
    req.resume();
    const reply = replies[Math.min(count++, replies.length - 1)]!;
    if (reply === 'reset') {
      req.socket.destroy();
      return;
    }
    res.writeHead(reply[0], { 'Content-Type': 'application/json' }).end(JSON.stringify(reply[1]));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  nock.enableNetConnect('127.0.0.1');
  return {
    url: `http://127.0.0.1:${port}`,
    count: () => count,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/** One page of `mediaItems.list` at Google's page size: the items, and the next page's token when there is one. */
export function itemsPage(pageToken: string | undefined, items: unknown[], next?: string) {
  return nock(LIBRARY_ORIGIN)
    .get('/v1/mediaItems')
    .query((query) => query.pageSize === '100' && query.pageToken === pageToken)
    .reply(200, { mediaItems: items, ...(next ? { nextPageToken: next } : {}) });
}
