/** GooglePhoto storages on the emulator's default client, added through the host's admin API. */
import type { Emulator } from '../../../src/emulator/index.js';
import type { HostClient } from './host-client.js';

export interface GooglePhotosStorageRequest {
  mountPath: string;
  refreshToken: string;
  /** Extra driver settings, merged over the emulator's client and address. */
  addition?: Record<string, unknown>;
  /** Extra storage fields besides mount_path, driver and addition. */
  extra?: Record<string, unknown>;
}

/** Creates the storage; returns its id. */
export async function createGooglePhotosStorage(client: HostClient, emulator: Emulator, request: GooglePhotosStorageRequest): Promise<number> {
  const { mountPath, refreshToken, addition = {}, extra = {} } = request;
  const answer = await client.post('/api/admin/storage/create', {
    mount_path: mountPath,
    driver: 'GooglePhoto',
    addition: JSON.stringify({
      client_id: emulator.client.clientId,
      client_secret: emulator.client.clientSecret,
      refresh_token: refreshToken,
      api_base_url: emulator.url,
      ...addition,
    }),
    ...extra,
  });
  if (answer.code !== 200) throw new Error(`create ${mountPath}: ${answer.message}`);
  return answer.data.id as number;
}

/** Waits until the storage's status is no longer "initializing"; returns it. */
export async function settledStorage(client: HostClient, id: number): Promise<{ status: string; error?: { code: string; message: string; hint?: string } }> {
  for (;;) {
    const answer = await client.get(`/api/admin/storage/get?id=${id}`);
    if (answer.data.status !== 'initializing') return answer.data;
    await new Promise((resolve) => setImmediate(resolve));
  }
}
