import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startEmulator, type Emulator, type EmulatorOptions } from '../../../src/emulator/index.js';
import type { Host, HostOptions } from '../../../src/host/index.js';
import { createTestHost } from './test-host.js';
import { createGooglePhotosStorage, settledStorage } from './google-photos-storage.js';
import { HostClient } from './host-client.js';

export const ADMIN_PASSWORD = 'host-test-password-7Q';

/** Tiny retry delays so that failing storages answer at once. */
export const FAST_DRIVER_OPTIONS = () => ({ retry: { retries: 1, minTimeout: 1, maxTimeout: 2, randomize: false }, requestTimeoutMs: 5000 });

export interface HostSetup {
  emulator: Emulator;
  host: Host;
  client: HostClient;
  dataDir: string;
  /** Every secret this setup handed out (client secret, refresh tokens, admin password), for the scan. */
  secrets: string[];
  /** A GooglePhoto storage at `mountPath` on the emulator's default client; returns its id. */
  addGooglePhotos(mountPath: string, addition?: Record<string, unknown>, extra?: Record<string, unknown>): Promise<number>;
  /** Waits until the storage's status is no longer "initializing"; returns it. */
  settled(id: number): Promise<{ status: string; error?: { code: string; message: string; hint?: string } }>;
  close(): Promise<void>;
}

export function makeDataDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'gphotos-alist-host-'));
}

export async function startHostWithEmulator(
  emulatorOptions: EmulatorOptions = {},
  hostOptions: Partial<HostOptions> = {},
): Promise<HostSetup> {
  const emulator = await startEmulator({ items: 30, albums: 3, pickableOnlyItems: 0, ...emulatorOptions });
  const dataDir = hostOptions.dataDir ?? makeDataDir();
  // No size probing after listings unless a test asks for it (test/host/sizes.test.ts): for each HEAD, the
  // in-process emulator encodes a whole JPEG on the test's own thread, holding up whatever else the test times.
  const host = await createTestHost({
    dataDir, port: 0, adminPassword: ADMIN_PASSWORD, demo: false, driverOptions: FAST_DRIVER_OPTIONS, sizeProbing: { background: false }, ...hostOptions,
  });
  const client = new HostClient(host.url);
  await client.login('admin', ADMIN_PASSWORD);
  const setup: HostSetup = {
    emulator, host, client, dataDir,
    secrets: [emulator.client.clientSecret, ADMIN_PASSWORD],
    async addGooglePhotos(mountPath, addition = {}, extra = {}) {
      const refreshToken = emulator.issueRefreshToken();
      setup.secrets.push(refreshToken);
      return createGooglePhotosStorage(client, emulator, { mountPath, refreshToken, addition, extra });
    },
    settled: (id) => settledStorage(client, id),
    async close() {
      await setup.host.close();
      await emulator.close();
      if (!hostOptions.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return setup;
}
