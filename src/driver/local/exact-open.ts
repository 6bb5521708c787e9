import { constants, type Stats } from 'node:fs';
import { open, readlink, realpath, stat, type FileHandle } from 'node:fs/promises';

export interface ExactFile {
  handle: FileHandle;
  /** fstat of the opened file: its size and times are those of the bytes the handle reads. */
  info: Stats;
}

// O_NOFOLLOW: a link at the last component fails (ELOOP) instead of being followed. O_NONBLOCK: a FIFO put in the
// file's place does not hang the open; it is then refused as not a regular file.
const FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;

/**
 * Open the regular file at `realPath` (an absolute path with no symlink in it, e.g. from realpath(), checked to be
 * inside a storage's root) for reading, and make sure the file opened is that very file, however its folders were
 * swapped for symlinks after the path was checked. Serve the bytes from the returned handle, never by opening the
 * path again: checking a path and then opening it anew is the race this closes.
 *
 * The check looks at the opened descriptor: on Linux the kernel's own path of it, readlink(/proc/self/fd/N), must be
 * `realPath` exactly (had any component been a symlink, it would be the link's target; a deleted file reads
 * "... (deleted)"). Where /proc is missing, the same file (device and inode) must be at `realPath` reached with no
 * symlink, which narrows the window to swaps that are undone within a few system calls.
 * Fails with an ENOENT error when the file changed in between, or is not a regular file.
 */
export async function openExactFile(realPath: string): Promise<ExactFile> {
  const handle = await open(realPath, FLAGS).catch((err: NodeJS.ErrnoException) => {
    throw err.code === 'ELOOP' ? changedMeanwhile(realPath) : err; // a symlink now at the last component
  });
  try {
    const info = await handle.stat();
    if (!info.isFile() || !(await isExactly(handle, info, realPath))) throw changedMeanwhile(realPath);
    return { handle, info };
  } catch (err) {
    await handle.close().catch(() => undefined);
    throw err;
  }
}

async function isExactly(handle: FileHandle, info: Stats, realPath: string): Promise<boolean> {
  const opened = await readlink(`/proc/self/fd/${handle.fd}`).catch(() => undefined);
  if (opened !== undefined) return opened === realPath;
  if ((await realpath(realPath).catch(() => undefined)) !== realPath) return false;
  const atPath = await stat(realPath).catch(() => undefined);
  return atPath !== undefined && atPath.dev === info.dev && atPath.ino === info.ino;
}

function changedMeanwhile(realPath: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${realPath} is not a regular file, or was replaced while being opened`), { code: 'ENOENT' });
}
