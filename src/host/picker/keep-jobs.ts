import { randomUUID } from 'node:crypto';
import type { KeepProgress, KeepResult } from '../../keep/index.js';
import type { HostDatabase } from '../state/database.js';

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

export interface KeepJobSpec {
  storageId: number;
  sessionId: string;
  target: string;
  /** The copy itself; reports progress; stops on abort. */
  run(onProgress: (progress: KeepProgress) => void, signal: AbortSignal): Promise<KeepResult>;
  /** Makes any text of an error safe to show (no secrets). */
  scrub(text: string): string;
  /** After the job ended, however it ended (e.g. to forget cached listings of the target). */
  onFinish?(): void;
}

interface JobRow {
  id: string;
  storage_id: number;
  session_id: string;
  target: string;
  status: KeepJobStatus;
  progress: string;
  error: string | null;
  started_at: string;
  finished_at: string | null;
}

const EMPTY_PROGRESS: KeepProgress = { total: 0, done: 0, skipped: 0, failed: 0, bytes: 0 };
const INTERRUPTED = 'Interrupted: the server stopped during the copy. Keep again to resume; files already copied are kept.';
const MAX_LISTED_FAILURES = 5;
const JOBS_SHOWN = 100;

function progressOf(text: string): KeepProgress {
  try {
    const parsed = JSON.parse(text) as Partial<KeepProgress>;
    return { ...EMPTY_PROGRESS, ...parsed };
  } catch {
    return { ...EMPTY_PROGRESS };
  }
}

function fromRow(row: JobRow): KeepJobView {
  const view: KeepJobView = {
    id: row.id, storage_id: row.storage_id, session_id: row.session_id, target: row.target, status: row.status,
    progress: progressOf(row.progress), started_at: row.started_at,
  };
  if (row.error) view.error = row.error;
  if (row.finished_at) view.finished_at = row.finished_at;
  return view;
}

function failureText(result: KeepResult): string | undefined {
  if (result.failed.length === 0) return undefined;
  const listed = result.failed.slice(0, MAX_LISTED_FAILURES).map((failure) => `${failure.name}: ${failure.error}`).join('; ');
  const more = result.failed.length > MAX_LISTED_FAILURES ? `; and ${result.failed.length - MAX_LISTED_FAILURES} more` : '';
  return `${result.failed.length} of the files could not be copied (${listed}${more}). Keep again to retry them.`;
}

/**
 * Background copies of picked sessions: at most one running per (storage, session); progress in memory, each
 * job's row in `keep_jobs` (written when it starts and when it ends) so finished jobs outlive a restart.
 */
export class KeepJobs {
  private readonly running = new Map<string, { view: KeepJobView; controller: AbortController; done: Promise<void> }>();

  constructor(private readonly db: HostDatabase, private readonly now: () => number) {
    // Jobs still "running" in the table belonged to a server that stopped (or was killed) meanwhile.
    this.db.prepare("UPDATE keep_jobs SET status = 'failed', error = ?, finished_at = ? WHERE status = 'running'").run(INTERRUPTED, this.stamp());
  }

  private stamp(): string {
    return new Date(this.now()).toISOString();
  }

  /** The id of the job running for this session, if any. */
  runningFor(storageId: number, sessionId: string): string | undefined {
    for (const job of this.running.values()) {
      if (job.view.storage_id === storageId && job.view.session_id === sessionId) return job.view.id;
    }
    return undefined;
  }

  /** Starts the job in the background (or answers the id of the one already running for the session). */
  start(spec: KeepJobSpec): string {
    const already = this.runningFor(spec.storageId, spec.sessionId);
    if (already) return already;
    const view: KeepJobView = {
      id: randomUUID(), storage_id: spec.storageId, session_id: spec.sessionId, target: spec.target, status: 'running',
      progress: { ...EMPTY_PROGRESS }, started_at: this.stamp(),
    };
    this.db
      .prepare('INSERT INTO keep_jobs (id, storage_id, session_id, target, status, progress, started_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(view.id, view.storage_id, view.session_id, view.target, view.status, JSON.stringify(view.progress), view.started_at);
    const controller = new AbortController();
    const done = this.execute(view, spec, controller.signal);
    this.running.set(view.id, { view, controller, done });
    return view.id;
  }

  private async execute(view: KeepJobView, spec: KeepJobSpec, signal: AbortSignal): Promise<void> {
    await Promise.resolve(); // registered as running before any of the copy's code runs
    try {
      const result = await spec.run((progress) => {
        view.progress = progress;
      }, signal);
      const failure = failureText(result);
      view.status = failure ? 'failed' : 'done';
      if (failure) view.error = spec.scrub(failure);
    } catch (err) {
      view.status = 'failed';
      view.error = signal.aborted ? INTERRUPTED : spec.scrub(err instanceof Error ? err.message : String(err));
    }
    delete view.progress.current;
    view.finished_at = this.stamp();
    try {
      this.db
        .prepare('UPDATE keep_jobs SET status = ?, progress = ?, error = ?, finished_at = ? WHERE id = ?')
        .run(view.status, JSON.stringify(view.progress), view.error ?? null, view.finished_at, view.id);
    } catch {
      // The database is already closed (the server is stopping): the next start marks the row interrupted.
    }
    this.running.delete(view.id);
    spec.onFinish?.();
  }

  /** Running jobs first, then finished ones, newest first. */
  list(): KeepJobView[] {
    const rows = this.db.prepare('SELECT * FROM keep_jobs ORDER BY started_at DESC, rowid DESC LIMIT ?').all(JOBS_SHOWN) as JobRow[];
    const live = [...this.running.values()].map((job) => ({ ...job.view, progress: { ...job.view.progress } }));
    const finished = rows.filter((row) => !this.running.has(row.id)).map(fromRow);
    return [...live.reverse(), ...finished];
  }

  /** Stops every running job (each ends "failed: interrupted", to be resumed by keeping again). */
  async close(): Promise<void> {
    const jobs = [...this.running.values()];
    for (const job of jobs) job.controller.abort(new Error('the server is stopping'));
    await Promise.all(jobs.map((job) => job.done));
  }
}
