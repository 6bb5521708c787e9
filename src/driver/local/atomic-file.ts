import { createHash } from 'node:crypto';
import { link, lstat, open, rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { DriverError } from '../../types/errors.js';

const NAME_MAX = 255;

/** The temp file a write to `name` goes through: hidden by the Local driver, overwritten by the next attempt. */
export function partialFileName(name: string): string {
  const plain = `.keep-${name}.partial`;
  if (Buffer.byteLength(plain) <= NAME_MAX) return plain;
  return `.keep-${createHash('sha256').update(name).digest('hex').slice(0, 40)}.partial`;
}

export interface AtomicWriteOptions {
  /** Set as the file's mtime and atime before it appears at its final name. */
  mtime?: Date;
  signal?: AbortSignal;
  /** Called after each chunk reached the file, with that chunk's length. */
  onBytes?: (bytes: number) => void;
  /**
   * Replace whatever is at `finalPath` (default true). When false, a name taken meanwhile (a file, a folder, a
   * link) fails with INVALID_ARGUMENT and is left as it is.
   */
  replace?: boolean;
}

/** Final paths being written by this process: two writers would share one temp file. */
const inFlight = new Set<string>();

/**
 * Stream `source` into `finalPath` so that the file only ever appears complete: write a temp file in the same
 * folder, fsync it, rename it into place, fsync the folder. On any failure (or abort) the temp file is removed
 * and nothing appears at `finalPath`. A temp file left by a killed process is removed first.
 * Never follows a link planted at either name: the temp file is created exclusively (O_CREAT|O_EXCL, which
 * refuses an existing name, a symlink included), and rename() replaces a link at the final name, never its target.
 * Returns the number of bytes written.
 */
export async function writeFileAtomically(finalPath: string, source: Readable, options: AtomicWriteOptions = {}): Promise<number> {
  const dir = path.dirname(finalPath);
  const tempPath = path.join(dir, partialFileName(path.basename(finalPath)));
  if (inFlight.has(finalPath)) {
    source.destroy();
    throw new DriverError('INVALID_ARGUMENT', `${path.basename(finalPath)} is already being written`, {
      hint: 'Wait for the other copy of this file to finish.',
    });
  }
  inFlight.add(finalPath);
  const { signal } = options;
  const stopOnAbort = () => source.destroy(signal?.reason instanceof Error ? signal.reason : new Error('aborted'));
  signal?.addEventListener('abort', stopOnAbort, { once: true });
  let written = 0;
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    signal?.throwIfAborted();
    handle = await createExclusively(tempPath);
    for await (const chunk of source) {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Uint8Array);
      await handle.write(bytes);
      written += bytes.length;
      options.onBytes?.(bytes.length);
    }
    signal?.throwIfAborted();
    if (options.mtime) await handle.utimes(options.mtime, options.mtime);
    await handle.sync();
    await handle.close();
    handle = undefined;
    if (options.replace === false) await renameNoReplace(tempPath, finalPath);
    else await rename(tempPath, finalPath);
    await syncFolder(dir);
    return written;
  } catch (err) {
    source.destroy();
    await handle?.close().catch(() => undefined);
    await unlink(tempPath).catch(() => undefined);
    throw err;
  } finally {
    signal?.removeEventListener('abort', stopOnAbort);
    inFlight.delete(finalPath);
  }
}

/**
 * A new file at `tempPath`: anything already there (a temp file of a killed run, or a link someone planted) is
 * removed, never opened: unlink() removes a link itself, and 'wx' fails on any existing name, so a link planted
 * again in between fails the write instead of being followed.
 */
async function createExclusively(tempPath: string) {
  try {
    return await open(tempPath, 'wx', 0o644);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  await unlink(tempPath);
  return open(tempPath, 'wx', 0o644);
}

/**
 * Move the complete temp file to `finalPath` unless that name is taken: link() fails on any existing name (a link
 * included) where rename() would replace it. File systems without hard links (e.g. FAT) fall back to a check and
 * rename(), which still never writes through a link.
 */
async function renameNoReplace(tempPath: string, finalPath: string): Promise<void> {
  try {
    await link(tempPath, finalPath);
    await unlink(tempPath);
    return;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw nameTaken(finalPath, err);
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS') throw err;
  }
  if (await lstat(finalPath).then(() => true, () => false)) throw nameTaken(finalPath);
  await rename(tempPath, finalPath);
}

function nameTaken(finalPath: string, cause?: unknown): DriverError {
  return new DriverError('INVALID_ARGUMENT', `${path.basename(finalPath)} appeared while it was being written; it was left as it is`, {
    hint: 'Run the copy again: the file is then kept under another name.',
    cause,
  });
}

/** Make the rename durable; some file systems refuse to fsync a folder, which is harmless. */
async function syncFolder(dir: string): Promise<void> {
  const handle = await open(dir, 'r').catch(() => undefined);
  if (!handle) return;
  await handle.sync().catch(() => undefined);
  await handle.close().catch(() => undefined);
}
