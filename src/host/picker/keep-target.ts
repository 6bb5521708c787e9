import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { KeepTarget } from '../../keep/index.js';
import { UNSAFE_NAME_CHARACTERS } from '../../types/name-characters.js';
import { ApiError } from '../routes/api-error.js';
import { KEPT_FOLDER_NAME, PRIVATE_FOLDER_MODE } from '../state/data-folder.js';
import type { FsService } from '../fs/fs-service.js';
import { normalizePath, pathSegments } from '../fs/paths.js';
import type { LiveStorage, StorageManager } from '../storages/storage-manager.js';
import { parseAddition } from '../storages/storage-store.js';

export const KEPT_MOUNT_PATH = '/kept';
export const KEPT_REMARK = 'Kept copies of picked photos';

export interface ResolvedKeepTarget {
  target: KeepTarget;
  /** What the job list shows: the folder's path in this server's tree, or the local folder when not mounted. */
  display: string;
  /** The storage whose listings change while the copy runs, if it is mounted. */
  storageId?: number;
}

export interface KeepTargetContext {
  storages: StorageManager;
  fs: FsService;
  /** Absolute data folder of the server. */
  dataDir: string;
}

/** A name usable as one folder on disk (and visible in a Local storage: no leading dot). */
function folderName(name: string, fallback: string): string {
  const cleaned = name.replace(UNSAFE_NAME_CHARACTERS, '').replace(/[/\\]/g, '_').replace(/^\.+/, (dots) => '_'.repeat(dots.length)).trim();
  return cleaned === '' ? fallback : cleaned.slice(0, 200);
}

/** "/photos" -> "photos", "/a/b" -> "a-b". */
export function mountFolderName(mountPath: string): string {
  return folderName(pathSegments(mountPath).join('-'), 'storage');
}

/** The Local storage at /kept over `<data>/kept`, created (with its folder) the first time a copy is kept. */
async function keptStorage(ctx: KeepTargetContext, keptRoot: string): Promise<LiveStorage | undefined> {
  await mkdir(keptRoot, { recursive: true, mode: PRIVATE_FOLDER_MODE });
  // Jobs running at once (here or in another process) each ask for it: ensure() creates it once.
  const live = await ctx.storages.ensure({
    mount_path: KEPT_MOUNT_PATH, driver: 'Local', order: 0, addition: JSON.stringify({ root_folder_path: keptRoot, show_hidden: false }),
    disabled: false, cache_expiration: 0, remark: KEPT_REMARK, demo: false,
  });
  await live.ready;
  const serves = live.row.driver === 'Local' && path.resolve(String(parseAddition(live.row.addition).root_folder_path ?? '')) === keptRoot;
  return serves ? live : undefined;
}

/**
 * Where a keep job copies to: `targetPath`, a mounted folder whose driver can store files (400 otherwise), or by
 * default `<data>/kept/<mount name>/<session folder name>/`, shown by the Local storage at /kept.
 */
export async function resolveKeepTarget(ctx: KeepTargetContext, source: LiveStorage, sessionFolderName: string, targetPath?: string): Promise<ResolvedKeepTarget> {
  if (targetPath !== undefined && targetPath !== '') {
    const wanted = normalizePath(targetPath.startsWith('/') ? targetPath : `/${targetPath}`);
    const resolved = ctx.fs.resolve(wanted);
    if (resolved.kind !== 'storage') throw new ApiError(400, `${wanted} is not inside a storage; choose a folder of a storage that accepts files`);
    const driver = await ctx.fs.working(resolved.live);
    const dir = await ctx.fs.walk(resolved.live, resolved.rest, wanted);
    if (!dir.isDir) throw new ApiError(400, `${wanted} is a file; choose a folder`);
    if (!driver.put || driver.meta.noUpload) throw new ApiError(400, `The storage at ${resolved.live.row.mount_path} (${resolved.live.row.driver}) cannot store files; choose a folder of a storage that accepts files`);
    if (resolved.live.row.id === source.row.id) throw new ApiError(400, 'Choose a folder of another storage to keep the copies in');
    return { target: { driver, dir }, display: wanted, storageId: resolved.live.row.id };
  }
  const keptRoot = path.join(ctx.dataDir, KEPT_FOLDER_NAME);
  const mountName = mountFolderName(source.row.mount_path);
  const sessionName = folderName(sessionFolderName, 'picked');
  const localDir = path.join(keptRoot, mountName, sessionName);
  const kept = await keptStorage(ctx, keptRoot);
  const display = kept ? `${KEPT_MOUNT_PATH}/${mountName}/${sessionName}` : localDir;
  return { target: { localDir }, display, ...(kept ? { storageId: kept.row.id } : {}) };
}
