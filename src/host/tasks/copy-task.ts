import { openLinkStream } from '../../keep/index.js';
import { isDriverError } from '../../types/errors.js';
import type { Obj } from '../../types/obj.js';
import type { FsService } from '../fs/fs-service.js';
import { childPath, type FsWrites, type StorageEntry, type StorageFolder } from '../fs/fs-writes.js';
import type { TaskHandler, TaskRun } from './task-manager.js';

/** A copy (or move) of one object of the tree into a folder, as stored in the task's row. */
export interface CopyPayload {
  src_path: string;
  dst_dir: string;
  move: boolean;
  /** The copy's name when it differs from the source's (a WebDAV COPY or MOVE may rename). */
  dst_name?: string;
}

/** A source that sends nothing for this long fails that file. */
const SOURCE_IDLE_TIMEOUT_MS = 30_000;
const MAX_LISTED_FAILURES = 5;

interface Failure {
  path: string;
  error: string;
}

/** AList's task name: `copy [<src mount>](<path in it>) to [<dst mount>](<path in it>)`. */
export function copyTaskName(payload: CopyPayload, srcMount: string, dstMount: string): string {
  const inside = (path: string, mount: string) => path.slice(mount.length) || '/';
  const renamed = payload.dst_name ? ` as ${payload.dst_name}` : '';
  return `${payload.move ? 'move' : 'copy'} [${srcMount}](${inside(payload.src_path, srcMount)}) to [${dstMount}](${inside(payload.dst_dir, dstMount)})${renamed}`;
}

/**
 * Streams bytes from one storage into another (or into another folder of the same one when its driver cannot copy):
 * download link -> put, file by file through a folder tree, with progress in bytes. Each finished file is recorded,
 * so a resumed task (after a restart or a retry) skips it; the file that was in flight when the server died is
 * skipped when the target already shows it complete (puts are atomic). A move removes the source only after every
 * file arrived.
 */
export class CopyRunner {
  constructor(private readonly fs: FsService, private readonly writes: FsWrites) {}

  handler(): TaskHandler<CopyPayload> {
    return { run: (task) => this.run(task) };
  }

  private async run(task: TaskRun<CopyPayload>): Promise<void> {
    const { src_path: srcPath, dst_dir: dstDir, move } = task.payload;
    task.setStatus('getting the source');
    const source = await this.writes.entry(srcPath);
    const target = await this.writes.folder(dstDir);
    this.writes.assertCanUpload(target);
    const failures: Failure[] = [];
    const top = task.payload.dst_name ? { ...source.obj, name: task.payload.dst_name } : source.obj;
    if (top.isDir) {
      const folder = await this.childFolder(target, top.name);
      await this.copyTree(task, source, top, top.name, folder, failures);
    } else {
      await this.copyFiles(task, source, '', [top], target, failures);
    }
    if (failures.length > 0) throw new Error(failureText(failures));
    if (move) {
      task.setStatus('removing the source');
      await this.writes.remove(source);
    }
    task.setStatus('done');
  }

  private async copyTree(task: TaskRun<CopyPayload>, source: StorageEntry, dir: Obj, rel: string, target: StorageFolder, failures: Failure[]): Promise<void> {
    task.signal.throwIfAborted();
    task.setStatus(`listing ${rel}`);
    const objs = await this.fs.listDir(source.live, dir, true);
    await this.copyFiles(task, source, rel, objs.filter((obj) => !obj.isDir), target, failures);
    for (const sub of objs.filter((obj) => obj.isDir)) {
      const subRel = `${rel}/${sub.name}`;
      try {
        const folder = await this.childFolder(target, sub.name);
        await this.copyTree(task, source, sub, subRel, folder, failures);
      } catch (err) {
        if (task.signal.aborted) throw err;
        failures.push({ path: subRel, error: messageOf(err) });
      }
    }
  }

  private async copyFiles(
    task: TaskRun<CopyPayload>, source: StorageEntry, rel: string, files: Obj[], target: StorageFolder, failures: Failure[],
  ): Promise<void> {
    let present: Map<string, Obj> | undefined;
    for (const file of files) {
      task.signal.throwIfAborted();
      const fileRel = rel ? `${rel}/${file.name}` : file.name;
      const size = this.fs.knownSize(source.live, file);
      if (size !== undefined) task.addTotalBytes(size);
      if (task.isDone(fileRel)) {
        if (size !== undefined) task.addDoneBytes(size);
        continue;
      }
      if (task.resumed) {
        // The file in flight when the server stopped may have arrived whole before its completion was recorded.
        present ??= new Map((await this.fs.listDir(target.live, target.dir, true)).map((obj) => [obj.name, obj]));
        const there = present.get(file.name);
        if (there && !there.isDir && (size === undefined || there.size === undefined || there.size === size)) {
          if (size !== undefined) task.addDoneBytes(size);
          await task.markDone(fileRel);
          continue;
        }
      }
      task.setStatus(`copying ${fileRel}`);
      try {
        await this.copyFile(task, source, file, size, target);
        await task.markDone(fileRel);
      } catch (err) {
        if (task.signal.aborted) throw task.signal.reason;
        failures.push({ path: fileRel, error: messageOf(err) });
      }
    }
  }

  private async copyFile(task: TaskRun<CopyPayload>, source: StorageEntry, file: Obj, size: number | undefined, target: StorageFolder): Promise<void> {
    const { link } = await this.fs.link({ live: source.live, obj: file, path: '' }, false, task.signal);
    let counted = 0;
    const count = (total: number) => {
      if (total > counted) {
        task.addDoneBytes(total - counted);
        counted = total;
      }
    };
    let read = 0;
    const stream = await openLinkStream(link, {
      signal: task.signal, idleTimeoutMs: SOURCE_IDLE_TIMEOUT_MS, onBytes: (bytes) => {
        read += bytes;
      },
    });
    if (size === undefined && link.size !== undefined) task.addTotalBytes(link.size);
    const knownSize = size ?? link.size;
    try {
      await this.writes.put(target, { name: file.name, size: knownSize, mimeType: file.mimeType, modified: file.created ?? file.modified, stream }, {
        signal: task.signal, overwrite: true, onProgress: count,
      });
    } finally {
      stream.destroy();
    }
    if (knownSize === undefined) task.addTotalBytes(read);
    count(read);
  }

  /** The folder `name` in `target`, made when missing. */
  private async childFolder(target: StorageFolder, name: string): Promise<StorageFolder> {
    const existing = (await this.fs.listDir(target.live, target.dir, true)).find((obj) => obj.name === name);
    if (existing && !existing.isDir) throw new Error(`${childPath(target.path, name)} is a file; a folder cannot be copied over it`);
    let dir = existing;
    if (!dir) {
      if (!target.driver.makeDir) throw new Error(`${target.live.row.mount_path} (${target.live.row.driver}) cannot make folders`);
      dir = await target.driver.makeDir(target.dir, name);
      this.writes.changed(target.live);
    }
    return { ...target, dir, path: childPath(target.path, name) };
  }
}

function messageOf(err: unknown): string {
  if (isDriverError(err)) return err.message;
  return err instanceof Error ? err.message : String(err);
}

function failureText(failures: Failure[]): string {
  const listed = failures.slice(0, MAX_LISTED_FAILURES).map((failure) => `${failure.path}: ${failure.error}`).join('; ');
  const more = failures.length > MAX_LISTED_FAILURES ? `; and ${failures.length - MAX_LISTED_FAILURES} more` : '';
  return `${failures.length} file(s) could not be copied (${listed}${more}). Retry the task to copy them; what was copied is kept.`;
}
