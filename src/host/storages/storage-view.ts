import type { LiveStorage } from './storage-manager.js';
import { statusText } from './storage-manager.js';
import { parseAddition } from './storage-store.js';
import { maskAddition, secretFields } from './secrets.js';
import { STORAGE_OPTION_NAMES } from './storage-options.js';

export const DEMO_REMARK = 'Demo: local Google Photos emulator, no Google account involved';

/** A storage as the admin API shows it (AList's shape); secrets masked. */
export function storageView(live: LiveStorage) {
  const { row } = live;
  const addition = maskAddition(parseAddition(row.addition), secretFields(row.driver));
  return {
    id: row.id,
    mount_path: row.mount_path,
    order: row.order,
    driver: row.driver,
    cache_expiration: row.cache_expiration,
    status: statusText(live),
    addition: JSON.stringify(addition),
    remark: row.remark,
    modified: row.modified,
    disabled: row.disabled,
    demo: row.demo,
    ...Object.fromEntries(STORAGE_OPTION_NAMES.map((name) => [name, row[name]])),
    ...(live.state === 'error' && live.error ? { error: live.error } : {}),
  };
}
