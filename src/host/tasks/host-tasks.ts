import type { FsService } from '../fs/fs-service.js';
import type { FsWrites } from '../fs/fs-writes.js';
import type { HostDatabase } from '../state/database.js';
import { CopyRunner, type CopyPayload } from './copy-task.js';
import type { TaskClaimOptions } from './task-claims.js';
import { TaskManager } from './task-manager.js';
import { TaskState } from './task-state.js';
import { TaskStore } from './task-store.js';
import { sweepSpool, uploadTaskHandler, type UploadPayload } from './upload-task.js';

/** Tasks of one kind running at once (AList's default thread counts are of this order). */
const UPLOADS_AT_ONCE = 3;
const COPIES_AT_ONCE = 3;
/** With other processes on the folder: a spool file written to this recently may be an upload still arriving there. */
const SHARED_SPOOL_SPARED_MS = 60 * 60 * 1000;

/** The server's task managers, one per kind, over one table. */
export class HostTasks {
  readonly store: TaskStore;
  readonly upload: TaskManager<UploadPayload>;
  readonly copy: TaskManager<CopyPayload>;

  constructor(
    db: HostDatabase, fs: FsService, writes: FsWrites, private readonly dataDir: string, now: () => number, private readonly claims?: TaskClaimOptions,
  ) {
    this.store = new TaskStore(db);
    this.upload = new TaskManager('upload', this.store, uploadTaskHandler(writes), { concurrency: UPLOADS_AT_ONCE, now, claims });
    this.copy = new TaskManager('copy', this.store, new CopyRunner(fs, writes).handler(), { concurrency: COPIES_AT_ONCE, now, claims });
  }

  byKind(kind: string): TaskManager<unknown> | undefined {
    if (kind === 'upload') return this.upload as TaskManager<unknown>;
    if (kind === 'copy') return this.copy as TaskManager<unknown>;
    return undefined;
  }

  /** Go on with what the last run of the server left undone; drop spooled uploads no task needs. */
  async start(): Promise<void> {
    const kept = await this.store.byStates('upload', [TaskState.Pending, TaskState.Running, TaskState.Canceling, TaskState.Errored,
      TaskState.Failing, TaskState.WaitingRetry, TaskState.BeforeRetry, TaskState.Failed]);
    const spared = this.claims?.claims.shared ? SHARED_SPOOL_SPARED_MS : 0;
    await sweepSpool(this.dataDir, new Set(kept.map((row) => (JSON.parse(row.payload) as UploadPayload).spool)), spared);
    await this.upload.resume();
    await this.copy.resume();
  }

  async close(): Promise<void> {
    await Promise.all([this.upload.close(), this.copy.close()]);
  }
}
