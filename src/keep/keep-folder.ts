import { lstat, mkdir, unlink } from 'node:fs/promises';
import path from 'node:path';
import { partialFileName, writeFileAtomically } from '../driver/local/atomic-file.js';
import { isPartialFileName, unsafeNameReason } from '../driver/local/names.js';
import type { Driver } from '../types/driver.js';
import { DriverError } from '../types/errors.js';
import type { Obj, ObjRef } from '../types/obj.js';
import { candidateName, captureTime, isCopyOf, MAX_NAME_CANDIDATES, type ExistingEntry } from './existing-copies.js';
import { openLinkStream } from './link-stream.js';

/** Counts so far. At the end `done + skipped + failed === total`; `bytes` counts bytes copied by this run. */
export interface KeepProgress {
  total: number;
  /** Files copied by this run. */
  done: number;
  /** Files already kept by an earlier run. */
  skipped: number;
  failed: number;
  bytes: number;
  /** Name of the file being copied. */
  current?: string;
}

/** Names from the source listing, by outcome. */
export interface KeepResult {
  copied: string[];
  skipped: string[];
  failed: Array<{ name: string; error: string }>;
  /** Source name -> the name its copy has, for files kept under another name (present only when there are some). */
  keptAs?: Record<string, string>;
}

export type KeepTarget = { localDir: string } | { driver: Driver; dir: ObjRef };

export interface KeepFolderOptions {
  source: Driver;
  dir: ObjRef;
  /** An absolute local folder (created when missing), or a folder of a driver that implements put. */
  target: KeepTarget;
  onProgress?: (progress: KeepProgress) => void;
  /** Aborting stops the copy promptly: keepFolder rejects with the signal's reason and leaves no partial file. */
  signal?: AbortSignal;
  /** A source that sends nothing (headers or bytes) for this long fails that file. Default 30 s. */
  fetchTimeoutMs?: number;
}

const DEFAULT_FETCH_TIMEOUT_MS = 30_000;
const PROGRESS_EVERY_BYTES = 256 * 1024;

/**
 * Keep a copy of every file (not folder) of `dir` in `source`, in listing order, with its original bytes and its
 * capture time (`created ?? modified`) as the file's mtime and atime.
 *
 * - A file already kept is skipped: in a local folder a file only appears at its final name after a complete,
 *   fsynced write (through `.keep-<name>.partial`, never overwriting what is at the name), so existence means
 *   complete. A file of the same name counts as the item's copy only when it matches the item (see isCopyOf: size
 *   and capture time); otherwise the item is kept as "name (2).ext" (then 3, ...), and the other file is left alone.
 *   Resuming an interrupted copy is running keepFolder again: it finds each copy at the same name.
 * - A file that cannot be copied (a DriverError from link(), an HTTP status other than 200, a transfer cut
 *   short or stalled longer than `fetchTimeoutMs`, a write the target refuses) goes to `failed`, leaving nothing
 *   at its name, and the copy goes on with the next one.
 *   Names with a slash, control characters, `.`/`..` or the keeper's temp-file shape also go to `failed`.
 * - Never holds a whole file in memory. A temp file left by a killed run is replaced by the next one.
 * - Rejects (with a DriverError) only when the source folder cannot be listed or the target is unusable,
 *   and with the signal's reason on abort.
 */
export async function keepFolder(options: KeepFolderOptions): Promise<KeepResult> {
  const { source, dir, target, signal } = options;
  const idleTimeoutMs = options.fetchTimeoutMs ?? DEFAULT_FETCH_TIMEOUT_MS;
  const writer = await openTarget(target, signal);
  const files = (await source.list(dir, { signal })).filter((obj) => !obj.isDir);
  const result: KeepResult = { copied: [], skipped: [], failed: [] };
  const progress: KeepProgress = { total: files.length, done: 0, skipped: 0, failed: 0, bytes: 0 };
  const report = () => options.onProgress?.({ ...progress });
  report();

  for (const file of files) {
    signal?.throwIfAborted();
    const refused = unsafeNameReason(file.name) ?? (isPartialFileName(file.name) ? 'the name is reserved for temp files' : undefined);
    const place = refused ? undefined : await placeFor(writer, file);
    if (!place) {
      const why = refused ?? `${MAX_NAME_CANDIDATES} other files named like it are already in the folder`;
      result.failed.push({ name: file.name, error: `Not copied: ${why}` });
      progress.failed++;
      report();
      continue;
    }
    const noteName = () => {
      if (place.name !== file.name) (result.keptAs ??= {})[file.name] = place.name;
    };
    if (place.kept) {
      noteName();
      result.skipped.push(file.name);
      progress.skipped++;
      report();
      continue;
    }
    progress.current = file.name;
    report();
    let reportedAt: number | undefined; // undefined: report the first chunk of each file at once
    const onBytes = (bytes: number) => {
      progress.bytes += bytes;
      if (reportedAt === undefined || progress.bytes - reportedAt >= PROGRESS_EVERY_BYTES) {
        reportedAt = progress.bytes;
        report();
      }
    };
    const openSource: OpenSource = (countOnRead) =>
      copySource(source, file, { signal, idleTimeoutMs, onBytes: countOnRead ? onBytes : undefined });
    try {
      await writer.write(place.name, file, openSource, onBytes, signal);
      noteName();
      result.copied.push(file.name);
      progress.done++;
    } catch (err) {
      if (signal?.aborted) throw signal.reason;
      result.failed.push({ name: file.name, error: err instanceof Error ? err.message : String(err) });
      progress.failed++;
    }
    delete progress.current;
    report();
  }
  return result;
}

async function copySource(source: Driver, file: Obj, options: Parameters<typeof openLinkStream>[1]) {
  const link = await source.link(file, { signal: options.signal });
  return openLinkStream(link, options);
}

/** `countOnRead`: report bytes as they are read rather than as they are written. */
type OpenSource = (countOnRead: boolean) => ReturnType<typeof copySource>;

interface TargetWriter {
  /** What is at `name`, or undefined when the name is free. */
  entry(name: string): Promise<ExistingEntry | undefined>;
  /** `name` holds a complete copy: tidy anything an interrupted write left beside it. */
  found?(name: string): Promise<void>;
  /** Copy one file to `name`, never replacing what is there; `onBytes` reports progress as bytes land. */
  write(name: string, file: Obj, openSource: OpenSource, onBytes: (bytes: number) => void, signal?: AbortSignal): Promise<void>;
}

/** Where `file` goes: the name of a copy kept earlier, or the first free name; undefined when every candidate is taken. */
async function placeFor(writer: TargetWriter, file: Obj): Promise<{ name: string; kept: boolean } | undefined> {
  for (let n = 1; n <= MAX_NAME_CANDIDATES; n++) {
    const name = candidateName(file.name, n);
    const entry = await writer.entry(name);
    if (!entry) return { name, kept: false };
    if (isCopyOf(entry, file)) {
      await writer.found?.(name);
      return { name, kept: true };
    }
  }
  return undefined;
}

async function openTarget(target: KeepTarget, signal: AbortSignal | undefined): Promise<TargetWriter> {
  if ('localDir' in target) return openLocalTarget(target.localDir);
  const { driver, dir } = target;
  if (!driver.put) throw new DriverError('UNSUPPORTED', `The ${driver.meta.displayName} storage cannot store files`);
  const put = driver.put.bind(driver);
  const listed = new Map((await driver.list(dir, { signal })).map((obj) => [obj.name, obj]));
  return {
    async entry(name) {
      const obj = listed.get(name);
      // A storage that dates items by their capture time (e.g. Google Photos) lists it as `created`.
      return obj && { isFile: !obj.isDir, size: obj.size, modified: captureTime(obj) };
    },
    async write(name, file, openSource) {
      // Bytes are counted as they are read: the driver owns the writing.
      const stream = await openSource(true);
      let stored: Obj;
      try {
        stored = await put(dir, { name, size: file.size, mimeType: file.mimeType, modified: captureTime(file), stream });
      } finally {
        stream.destroy(); // a driver that failed early may not have consumed it: free the connection now
      }
      listed.set(name, stored);
    },
  };
}

async function openLocalTarget(localDir: string): Promise<TargetWriter> {
  if (typeof localDir !== 'string' || !path.isAbsolute(localDir)) {
    throw new DriverError('INVALID_ARGUMENT', 'The folder to keep files in must be an absolute path');
  }
  try {
    await mkdir(localDir, { recursive: true });
  } catch (err) {
    throw new DriverError('PERMISSION_DENIED', `Cannot create the folder to keep files in (${(err as NodeJS.ErrnoException).code})`, { cause: err });
  }
  return {
    async entry(name) {
      const info = await lstat(path.join(localDir, name)).catch(() => undefined);
      return info && { isFile: info.isFile(), size: info.size, modified: info.mtime };
    },
    async found(name) {
      // A temp file beside a complete copy is a leftover (e.g. the final file came from elsewhere); tidy it.
      await unlink(path.join(localDir, partialFileName(name))).catch(() => undefined);
    },
    async write(name, file, openSource, onBytes, signal) {
      const stream = await openSource(false);
      await writeFileAtomically(path.join(localDir, name), stream, { mtime: captureTime(file), onBytes, signal, replace: false });
    },
  };
}
