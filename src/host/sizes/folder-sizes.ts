import { DriverError } from '../../types/errors.js';
import type { Obj } from '../../types/obj.js';
import type { FsService } from '../fs/fs-service.js';
import type { SizeProber } from './size-prober.js';

/**
 * How long a WebDAV PROPFIND of a folder waits for the sizes it does not know yet before answering: long
 * enough for about a thousand files at Google's usual latency (see bench/results/sizes-*.txt), short enough
 * for clients' default timeouts (rclone: 5 min; Windows' WebClient: 30 s). Files still unmeasured then are
 * answered without a size, and the prober goes on in the background.
 */
export const FOLDER_SIZE_BOUND_MS = 10_000;

export interface FolderSizes {
  /** The folder's objects as the fs service lists them. */
  objs: Obj[];
  /** Known sizes by object id (files only). */
  sizes: Map<string, number>;
}

/** What a first PROPFIND of a folder does: list it, then learn the sizes its files lack, within `timeoutMs`. */
export async function learnFolderSizes(fs: FsService, prober: SizeProber, path: string, timeoutMs = FOLDER_SIZE_BOUND_MS): Promise<FolderSizes> {
  const resolved = fs.resolve(path);
  if (resolved.kind !== 'storage') return { objs: [], sizes: new Map() };
  const dir = await fs.walk(resolved.live, resolved.rest, resolved.path);
  if (!dir.isDir) throw new DriverError('INVALID_ARGUMENT', `${resolved.path} is a file, not a folder`);
  const objs = await fs.listDir(resolved.live, dir);
  return { objs, sizes: await prober.learn(resolved.live, objs, { timeoutMs }) };
}
