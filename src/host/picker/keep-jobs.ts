import { keepFolder, type KeepProgress, type KeepResult } from '../../keep/index.js';
import type { FsService } from '../fs/fs-service.js';
import type { HostDatabase } from '../state/database.js';
import { scrubSecrets, secretFields } from '../storages/secrets.js';
import type { StorageManager } from '../storages/storage-manager.js';
import { parseAddition } from '../storages/storage-store.js';
import type { TaskClaimOptions } from '../tasks/task-claims.js';
import { TaskManager, type TaskRun } from '../tasks/task-manager.js';
import { TaskState } from '../tasks/task-state.js';
import type { TaskRow, TaskStore } from '../tasks/task-store.js';
import { pickerStorage, sessionFolderId } from './picked-folders.js';
import { resolveKeepTarget } from './keep-target.js';

export type KeepJobStatus = 'running' | 'done' | 'failed';

/** A keep job as GET /api/admin/keep/jobs shows it. */
export interface KeepJobView {
  id: string;
  storage_id: number;
  session_id: string;
  /** Where the copies go: a path of this server's tree (or a local folder when it is not mounted). */
  target: string;
  status: KeepJobStatus;
  progress: KeepProgress;
  error?: string;
  started_at: string;
  finished_at?: string;
}

/** A keep job as its task stores it: enough to run it again after a restart. */
export interface KeepPayload {
  storage_id: number;
  session_id: string;
  /** The name of the session's folder (names the default target folder). */
  session_folder_name: string;
  /** A folder of the tree chosen by the user; absent: the default under /kept. */
  target_path?: string;
  /** What the job list shows as the target. */
  target: string;
}

export interface KeepJobContext {
  db: HostDatabase;
  store: TaskStore;
  storages: StorageManager;
  fs: FsService;
  dataDir: string;
  now: () => number;
  /** Tells the other host processes that a storage's content changed (see CacheAnnouncements). */
  announceStorageContent?: (storageId: number) => void;
  /** Where jobs are claimed when other processes share them. */
  claims?: TaskClaimOptions;
}

interface LegacyRow {
  id: string; storage_id: number; session_id: string; target: string; status: KeepJobStatus; progress: string;
  error: string | null; started_at: string; finished_at: string | null;
}

const EMPTY_PROGRESS: KeepProgress = { total: 0, done: 0, skipped: 0, failed: 0, bytes: 0 };
const LEGACY_INTERRUPTED = 'Interrupted: the server stopped during the copy. Keep again to resume; files already copied are kept.';
const MAX_LISTED_FAILURES = 5;
const JOBS_SHOWN = 100;
/** Keep jobs running at once (each copies its files one by one). */
const KEEPS_AT_ONCE = 2;

function progressOf(text: string): KeepProgress {
  try {
    return { ...EMPTY_PROGRESS, ...(JSON.parse(text) as Partial<KeepProgress>) };
  } catch {
    return { ...EMPTY_PROGRESS };
  }
}

function failureText(result: KeepResult): string | undefined {
  if (result.failed.length === 0) return undefined;
  const listed = result.failed.slice(0, MAX_LISTED_FAILURES).map((failure) => `${failure.name}: ${failure.error}`).join('; ');
  const more = result.failed.length > MAX_LISTED_FAILURES ? `; and ${result.failed.length - MAX_LISTED_FAILURES} more` : '';
  return `${result.failed.length} of the files could not be copied (${listed}${more}). Keep again to retry them.`;
}

function statusOf(state: number): KeepJobStatus {
  if (state === TaskState.Succeeded) return 'done';
  if (state === TaskState.Failed || state === TaskState.Canceled) return 'failed';
  return 'running';
}

function viewOf(row: TaskRow): KeepJobView {
  const payload = JSON.parse(row.payload) as KeepPayload;
  const progress = progressOf(row.detail);
  const status = statusOf(row.state);
  if (status !== 'running') delete progress.current;
  const view: KeepJobView = {
    id: row.id, storage_id: payload.storage_id, session_id: payload.session_id, target: payload.target, status, progress,
    started_at: row.start_time ?? row.created_at,
  };
  if (row.error) view.error = row.error;
  if (row.end_time && status !== 'running') view.finished_at = row.end_time;
  return view;
}

/**
 * Background copies of picked sessions, as tasks of kind `keep`: at most one undone per (storage, session), file
 * counts as the task's details, bytes as its progress. A job the server stopped in (even killed) goes on by itself
 * on the next start; files already kept are skipped.
 */
export class KeepJobs {
  readonly tasks: TaskManager<KeepPayload>;
  private starts: Promise<unknown> = Promise.resolve();

  constructor(private readonly ctx: KeepJobContext) {
    this.tasks = new TaskManager('keep', ctx.store, { run: (task) => this.run(task) }, { concurrency: KEEPS_AT_ONCE, now: ctx.now, claims: ctx.claims });
  }

  /** Go on with the jobs the last run of the server left undone. */
  async resume(): Promise<void> {
    // Jobs of an older version still "running" in its table belonged to a server that stopped meanwhile.
    await this.ctx.db.run("UPDATE keep_jobs SET status = 'failed', error = ?, finished_at = ? WHERE status = 'running'",
      [LEGACY_INTERRUPTED, new Date(this.ctx.now()).toISOString()]);
    await this.tasks.resume();
  }

  /** The id of the job not yet finished for this session, if any. */
  async runningFor(storageId: number, sessionId: string): Promise<string | undefined> {
    return (await this.tasks.undonePayloads()).find(({ payload }) => payload.storage_id === storageId && payload.session_id === sessionId)?.id;
  }

  /**
   * Starts the job in the background (or answers the id of the one already under way for the session). One start at
   * a time: two requests at once for a session get one job, as the look-up and the insert are awaited in between.
   */
  start(payload: KeepPayload): Promise<string> {
    const started = this.starts.then(async () => (await this.runningFor(payload.storage_id, payload.session_id))
      ?? (await this.tasks.add(`keep ${payload.session_folder_name} to ${payload.target}`, payload)).id);
    this.starts = started.catch(() => undefined);
    return started;
  }

  private async run(task: TaskRun<KeepPayload>): Promise<void> {
    const { payload } = task;
    const { live, driver } = await pickerStorage(this.ctx.storages, this.ctx.fs, payload.storage_id);
    const addition = parseAddition(live.row.addition);
    const scrub = (text: string) => scrubSecrets(text, addition, secretFields(live.row.driver));
    const resolved = await resolveKeepTarget(this.ctx, live, payload.session_folder_name, payload.target_path);
    const forgetTarget = () => {
      if (resolved.storageId === undefined) return;
      this.ctx.fs.reset(resolved.storageId);
      this.ctx.announceStorageContent?.(resolved.storageId);
    };
    let bytes = 0;
    let result: KeepResult;
    try {
      result = await keepFolder({
        source: driver,
        dir: sessionFolderId(payload.session_id),
        target: resolved.target,
        signal: task.signal,
        onProgress: (progress) => {
          // A file finished: let listings of the target show it.
          if (progress.current === undefined) forgetTarget();
          task.addDoneBytes(progress.bytes - bytes);
          task.addTotalBytes(progress.bytes - bytes);
          bytes = progress.bytes;
          task.setDetail(progress);
        },
      });
    } catch (err) {
      if (task.signal.aborted) throw err;
      throw new Error(scrub(err instanceof Error ? err.message : String(err)));
    } finally {
      forgetTarget();
    }
    const failure = failureText(result);
    if (failure) throw new Error(scrub(failure));
  }

  /** Newest first: jobs of this version, then those an older version recorded. */
  async list(): Promise<KeepJobView[]> {
    const views = (await this.tasks.newest(JOBS_SHOWN)).map(viewOf);
    const legacy = await this.ctx.db.all<LegacyRow>(`SELECT id, storage_id, session_id, target, status, progress, error, started_at, finished_at
      FROM keep_jobs ORDER BY started_at DESC, ${this.ctx.db.insertionOrder} DESC LIMIT ?`, [JOBS_SHOWN]);
    for (const row of legacy) {
      const view: KeepJobView = {
        id: row.id, storage_id: row.storage_id, session_id: row.session_id, target: row.target, status: row.status,
        progress: progressOf(row.progress), started_at: row.started_at,
      };
      if (row.error) view.error = row.error;
      if (row.finished_at) view.finished_at = row.finished_at;
      views.push(view);
    }
    return views.slice(0, JOBS_SHOWN);
  }

  /** Stops every running job where it is; the next start goes on with it. */
  async close(): Promise<void> {
    await this.tasks.close();
  }
}
