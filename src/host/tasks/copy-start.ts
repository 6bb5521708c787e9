import type { FsWrites, StorageEntry, StorageFolder } from '../fs/fs-writes.js';
import { copyTaskName, type CopyPayload } from './copy-task.js';
import type { HostTasks } from './host-tasks.js';
import type { TaskInfo } from './task-state.js';

/**
 * Copies or moves one object into a folder (under `newName` when given): by the storage's own copy or move when
 * both lie in one storage and the name stays, else as a copy task that streams the bytes (returned).
 */
export async function copyOrMoveEntry(
  writes: FsWrites, tasks: HostTasks, move: boolean, entry: StorageEntry, target: StorageFolder, creatorId: number, newName?: string,
): Promise<TaskInfo | undefined> {
  const sameStorage = entry.live.row.id === target.live.row.id;
  if (sameStorage && newName === undefined && (await writes.sameStorage(move ? 'move' : 'copy', entry, target))) return undefined;
  writes.assertCanUpload(target);
  const payload: CopyPayload = { src_path: entry.path, dst_dir: target.path, move, ...(newName === undefined ? {} : { dst_name: newName }) };
  return tasks.copy.add(copyTaskName(payload, entry.live.row.mount_path, target.live.row.mount_path), payload, creatorId);
}
