import type { PickerSessionInfo } from '../../driver/google-photos/picker-sessions.js';
import type { Driver } from '../../types/driver.js';
import type { Obj } from '../../types/obj.js';
import { ApiError } from '../routes/api-error.js';
import type { FsService } from '../fs/fs-service.js';
import type { LiveStorage, StorageManager } from '../storages/storage-manager.js';

/** A driver that can run Google Photos picking sessions (the GooglePhoto driver). */
export interface PickerDriver extends Driver {
  createPickerSession(options?: { label?: string; maxItemCount?: number }): Promise<PickerSessionInfo>;
  getPickerSession(id: string): Promise<PickerSessionInfo>;
  deletePickerSession(id: string): Promise<void>;
}

export function canPick(driver: Driver | undefined): driver is PickerDriver {
  const candidate = driver as Partial<PickerDriver> | undefined;
  return typeof candidate?.createPickerSession === 'function'
    && typeof candidate.getPickerSession === 'function'
    && typeof candidate.deletePickerSession === 'function';
}

/** The driver's ids for its picked folder and a session's folder (pinned in the driver's design). */
export const PICKED_FOLDER_ID = 'picked';
export const sessionFolderId = (sessionId: string): string => `${PICKED_FOLDER_ID}:${sessionId}`;

/** A working storage whose driver can pick; ApiError/DriverError saying what is wrong otherwise. */
export async function pickerStorage(storages: StorageManager, fs: FsService, storageId: number): Promise<{ live: LiveStorage; driver: PickerDriver }> {
  const live = storages.get(storageId);
  if (!live) throw new ApiError(404, `No storage with id ${storageId}`);
  const driver = await fs.working(live);
  if (!canPick(driver)) throw new ApiError(400, `Storage ${live.row.mount_path} (${live.row.driver}) cannot pick from Google Photos; choose a GooglePhoto storage`);
  return { live, driver };
}

/** Forget the cached listings that show a session (the picked folder, the session's folder). */
export function forgetPickedListings(fs: FsService, storageId: number, sessionId?: string): void {
  fs.forgetListing(storageId, PICKED_FOLDER_ID);
  if (sessionId) fs.forgetListing(storageId, sessionFolderId(sessionId));
}

function childPath(parent: string, name: string): string {
  return parent === '/' ? `/${name}` : `${parent}/${name}`;
}

/** The picked folder in this server's tree: the mount itself (root `picked`) or its child; undefined when not mounted. */
async function pickedFolder(fs: FsService, live: LiveStorage, driver: Driver): Promise<{ obj: Obj; path: string } | undefined> {
  const root = driver.getRoot();
  const mount = live.row.mount_path;
  if (root.id === PICKED_FOLDER_ID) return { obj: root, path: mount };
  const found = (await fs.listDir(live, root)).find((obj) => obj.id === PICKED_FOLDER_ID && obj.isDir);
  return found && { obj: found, path: childPath(mount, found.name) };
}

/**
 * Where a session's folder is, found by listing the picked folder and matching the session folder's id;
 * undefined when the storage does not show the picked folder (e.g. it is mounted at an album).
 */
export async function sessionFolder(fs: FsService, live: LiveStorage, driver: Driver, sessionId: string): Promise<{ name: string; path: string } | undefined> {
  const picked = await pickedFolder(fs, live, driver);
  if (!picked) return undefined;
  const folder = (await fs.listDir(live, picked.obj)).find((obj) => obj.id === sessionFolderId(sessionId));
  return folder && { name: folder.name, path: childPath(picked.path, folder.name) };
}
