/** Where a file browser path sits in a Google Photos storage: its root, the Picked folder, a session folder. */
import { listStorages, parseAddition } from './admin-api.js';
import { pathSegments } from './paths.js';

export const GOOGLE_DRIVER = 'GooglePhoto';
/** The name the Google Photos driver gives its folder of picking sessions (the `picked` id under its root). */
export const PICKED_FOLDER_NAME = 'Picked from Google Photos';
/** The name of its folder of albums (the `albums` id): a folder made there is a new album. */
export const ALBUMS_FOLDER_NAME = 'Albums';

let storagesPromise = null;

/** The admin's storage list, asked once per page (again after `forgetStorages`); [] for anyone else. */
function googleStorages() {
  storagesPromise ??= listStorages()
    .then((list) => list.filter((storage) => storage.driver === GOOGLE_DRIVER && !storage.disabled))
    .catch(() => []);
  return storagesPromise;
}

export function forgetStorages() {
  storagesPromise = null;
}

function isUnder(path, mount) {
  return mount === '/' || path === mount || path.startsWith(`${mount}/`);
}

/**
 * {storage, place: 'root' | 'picked' | 'session' | 'albums' | 'album' | 'other', sessionPath?} for a path inside a Google
 * Photos storage, or null. Only an admin may ask (the storage list is an admin endpoint).
 */
export async function googleContext(path) {
  const storages = await googleStorages();
  const storage = storages
    .filter((candidate) => typeof candidate.mount_path === 'string' && isUnder(path, candidate.mount_path))
    .sort((a, b) => b.mount_path.length - a.mount_path.length)[0];
  if (!storage) return null;
  const inside = pathSegments(path).slice(pathSegments(storage.mount_path).length);
  // A storage whose root folder is `picked` shows the sessions at its own root.
  const rootFolderId = parseAddition(storage.addition).root_folder_id;
  const rootIsPicked = rootFolderId === 'picked';
  const sessions = rootIsPicked ? inside : inside[0] === PICKED_FOLDER_NAME ? inside.slice(1) : null;
  if (rootFolderId === 'albums' && inside.length === 0) return { storage, place: 'albums' };
  if (inside.length === 0) return { storage, place: rootIsPicked ? 'picked' : 'root' };
  if (!rootFolderId || rootFolderId === 'root') {
    if (inside.length === 1 && inside[0] === ALBUMS_FOLDER_NAME) return { storage, place: 'albums' };
    if (inside.length === 2 && inside[0] === ALBUMS_FOLDER_NAME) return { storage, place: 'album' };
  }
  if (rootFolderId === 'albums' && inside.length === 1) return { storage, place: 'album' };
  if (sessions === null) return { storage, place: 'other' };
  if (sessions.length === 0) return { storage, place: 'picked' };
  if (sessions.length === 1) return { storage, place: 'session', sessionPath: path };
  return { storage, place: 'other' };
}
