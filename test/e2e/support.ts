import { GooglePhotos, type GooglePhotosOptions } from '../../src/driver/google-photos/driver.js';
import { startEmulator, type Emulator, type EmulatorOptions } from '../../src/emulator/index.js';
import type { Obj } from '../../src/types/obj.js';

export const COUNT = {
  list: 'GET /photoslibrary/v1/mediaItems',
  search: 'POST /photoslibrary/v1/mediaItems:search',
  albums: 'GET /photoslibrary/v1/albums',
  token: 'POST /token',
  media: 'GET /media',
} as const;

/** A clock both the emulator and (when the test wants) the driver read; the test moves it by hand. */
export interface Clock { now: number }

export interface E2E { emu: Emulator; clock: Clock }

export async function startE2EEmulator(options: EmulatorOptions = {}): Promise<E2E> {
  const clock: Clock = { now: Date.UTC(2026, 0, 15, 12, 0, 0) };
  const emu = await startEmulator({ host: '127.0.0.1', port: 0, now: () => clock.now, ...options });
  return { emu, clock };
}

/** Tiny retry delays; Retry-After waits are recorded, not slept. */
export const FAST_RETRY: NonNullable<GooglePhotosOptions['retry']> = {
  minTimeout: 1, maxTimeout: 5, randomize: false, sleep: async () => undefined,
};

/** The real driver pointed at the emulator with a refresh token of the default client (or the given settings). */
export function driverFor(e2e: E2E, config: Record<string, unknown> = {}, options: GooglePhotosOptions = {}): GooglePhotos {
  const { emu } = e2e;
  const settings = {
    client_id: emu.client.clientId,
    client_secret: emu.client.clientSecret,
    refresh_token: config.refresh_token ?? emu.issueRefreshToken(),
    ...config,
  };
  return new GooglePhotos(settings, { endpoints: emu.endpoints, retry: FAST_RETRY, ...options });
}

/** The default client's items and albums, as the emulator knows them. */
export function groundTruth(emu: Emulator) {
  const snapshot = emu.snapshot();
  const clientId = emu.client.clientId;
  return {
    items: snapshot.mediaItems.filter((item) => item.clientId === clientId),
    albums: snapshot.albums.filter((album) => album.clientId === clientId),
  };
}

export function namesOf(objs: Obj[]): string[] {
  return objs.map((obj) => obj.name);
}

export function sorted<T>(values: T[]): T[] {
  return [...values].sort();
}

export async function fetchBytes(url: string, headers: Record<string, string> = {}): Promise<{ status: number; bytes: Buffer; headers: Headers }> {
  const response = await fetch(url, { headers, signal: AbortSignal.timeout(10_000) });
  return { status: response.status, bytes: Buffer.from(await response.arrayBuffer()), headers: response.headers };
}

/** What a user must never see in an error: the client secret and the refresh token. */
export function expectNoSecrets(error: unknown, secrets: string[]): void {
  const e = error as { message?: string; hint?: string };
  const seen = [e.message ?? '', e.hint ?? '', JSON.stringify(error)].join('\n');
  for (const secret of secrets) {
    if (seen.includes(secret)) throw new Error(`A secret leaked into the error: ${seen.slice(0, 300)}`);
  }
}
