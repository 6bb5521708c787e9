import { createHash } from 'node:crypto';
import { open, rename, unlink } from 'node:fs/promises';
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
}

/** Final paths being written by this process: two writers would share one temp file. */
const inFlight = new Set<string>();

/**
 * Stream `source` into `finalPath` so that the file only ever appears complete: write a temp file in the same
 * folder, fsync it, rename it into place, fsync the folder. On any failure (or abort) the temp file is removed
 * and nothing appears at `finalPath`. A temp file left by a killed process is truncated and reused.
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
    handle = await open(tempPath, 'w', 0o644);
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
    await rename(tempPath, finalPath);
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

/** Make the rename durable; some file systems refuse to fsync a folder, which is harmless. */
async function syncFolder(dir: string): Promise<void> {
  const handle = await open(dir, 'r').catch(() => undefined);
  if (!handle) return;
  await handle.sync().catch(() => undefined);
  await handle.close().catch(() => undefined);
}
