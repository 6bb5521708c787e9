import { mkdir, open, readdir, stat, unlink, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { randomBytes } from 'node:crypto';
import type { FsWrites } from '../fs/fs-writes.js';
import { childPath } from '../fs/fs-writes.js';
import type { TaskHandler, TaskRun } from './task-manager.js';

/** An upload sent with `As-Task: true`: its body waits in a spool file until the task stores it. */
export interface UploadPayload {
  dir_path: string;
  name: string;
  /** Absolute path of the spooled body. */
  spool: string;
  size: number;
  mime_type?: string;
  /** ms since the epoch (the Last-Modified header). */
  modified?: number;
  overwrite: boolean;
}

/** `<data>/temp/uploads`: the only place an upload is written to the server's disk before it reaches a storage. */
export function spoolFolder(dataDir: string): string {
  return path.join(dataDir, 'temp', 'uploads');
}

/**
 * Write a request body to a new spool file (created exclusively, fsynced) so the task outlives the request and a
 * restart. Returns its path and length; on any failure nothing is left.
 */
export async function spoolBody(dataDir: string, body: Readable): Promise<{ spool: string; size: number }> {
  const folder = spoolFolder(dataDir);
  await mkdir(folder, { recursive: true });
  const spool = path.join(folder, `${randomBytes(16).toString('hex')}.upload`);
  const handle = await open(spool, 'wx', 0o600);
  let size = 0;
  try {
    for await (const chunk of body) {
      const bytes = chunk as Buffer;
      await handle.write(bytes);
      size += bytes.length;
    }
    await handle.sync();
    await handle.close();
    return { spool, size };
  } catch (err) {
    await handle.close().catch(() => undefined);
    await unlink(spool).catch(() => undefined);
    throw err;
  }
}

/**
 * Spool files no task refers to any more (e.g. a request cut off while spooling, then a crash). Files written to
 * in the last `sparedMs` are spared: another process sharing the folder may be receiving them right now.
 */
export async function sweepSpool(dataDir: string, inUse: Set<string>, sparedMs = 0, now = Date.now()): Promise<void> {
  const folder = spoolFolder(dataDir);
  const names = await readdir(folder).catch(() => [] as string[]);
  const unused = names.map((name) => path.join(folder, name)).filter((file) => !inUse.has(file));
  const recent = async (file: string) => sparedMs > 0 && ((await stat(file).catch(() => undefined))?.mtimeMs ?? 0) > now - sparedMs;
  await Promise.all(unused.map(async (file) => {
    if (!(await recent(file))) await unlink(file).catch(() => undefined);
  }));
}

/** AList's task name: `upload <name> to [<mount path>](<folder in the storage>)`. */
export function uploadTaskName(payload: UploadPayload, mountPath: string): string {
  return `upload ${payload.name} to [${mountPath}](${payload.dir_path.slice(mountPath.length) || '/'})`;
}

/** Opened before the put, so a missing spool fails the task with a clear error rather than as a stream's stray error. */
async function openSpool(spool: string): Promise<FileHandle> {
  try {
    return await open(spool);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    throw new Error('The spooled copy of the upload is gone (removed from the data folder): upload the file again');
  }
}

/** Stores a spooled upload through the fs writes; the spool file goes once the task succeeded, is cancelled or deleted. */
export function uploadTaskHandler(writes: FsWrites): TaskHandler<UploadPayload> {
  return {
    async run(task: TaskRun<UploadPayload>) {
      const { payload } = task;
      task.addTotalBytes(payload.size);
      task.setStatus('uploading');
      const place = await writes.uploadPlace(childPath(payload.dir_path, payload.name), payload.overwrite);
      if (place.existing && task.resumed && place.existing.size === payload.size) {
        // Stored by the run the server stopped in, before it could say so: not stored twice.
        task.addDoneBytes(payload.size);
        return;
      }
      if (place.existing && !payload.overwrite) throw new Error('file exists');
      let counted = 0;
      const stream = (await openSpool(payload.spool)).createReadStream();
      try {
        await writes.put(place, {
          name: payload.name, size: payload.size, mimeType: payload.mime_type, stream,
          ...(payload.modified !== undefined ? { modified: new Date(payload.modified) } : {}),
        }, {
          signal: task.signal, overwrite: payload.overwrite, onProgress: (total) => {
            task.addDoneBytes(total - counted);
            counted = total;
          },
        }, place.existing);
      } finally {
        stream.destroy(); // closes the file, whatever the put did with the stream
      }
      task.addDoneBytes(payload.size - counted);
    },
    async release(payload) {
      await unlink(payload.spool).catch(() => undefined);
    },
  };
}
