import { startEmulator, type Emulator } from '../../emulator/index.js';
import type { HostDatabase } from '../state/database.js';
import { DatabasePickerSessionStore } from '../picker/database-picker-sessions.js';
import { DEMO_REMARK } from './storage-view.js';
import type { StorageStore } from './storage-store.js';

export const DEMO_MOUNT_PATH = '/demo';
export const DEMO_DRIVER = 'GooglePhoto';

/**
 * The demo: an in-process Google Photos emulator behind a GooglePhoto storage at /demo, added when no storage
 * exists. The emulator's state lives in memory, so each start points the demo storages at the new emulator with
 * a freshly issued refresh token. Returns the emulator (to close with the host), or undefined when no demo storage.
 */
export async function prepareDemoStorage(store: StorageStore, db: HostDatabase): Promise<Emulator | undefined> {
  const rows = await store.list();
  if (rows.length === 0) {
    await store.create({
      mount_path: DEMO_MOUNT_PATH, driver: DEMO_DRIVER, order: 0, addition: '{}', disabled: false,
      cache_expiration: 30, remark: DEMO_REMARK, demo: true,
    });
  }
  const demos = (await store.list()).filter((row) => row.demo);
  if (demos.length === 0) return undefined;
  const emulator = await startEmulator();
  for (const row of demos) {
    // The previous emulator's picking sessions died with it.
    await DatabasePickerSessionStore.removeAll(db, row.id);
    await store.mergeAddition(row.id, {
      client_id: emulator.client.clientId,
      client_secret: emulator.client.clientSecret,
      refresh_token: emulator.issueRefreshToken(),
      root_folder_id: 'root',
      api_base_url: emulator.url,
    });
  }
  return emulator;
}
