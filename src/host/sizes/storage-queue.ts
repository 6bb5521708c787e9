import type { Obj } from '../../types/obj.js';
import type { LiveStorage } from '../storages/storage-manager.js';

/** An item whose size is being learnt; `waiters` are the learn() calls waiting for it. */
export interface ProbeJob {
  live: LiveStorage;
  obj: Obj;
  attempts: number;
  state: 'queued' | 'running';
  waiters: Array<(size: number | undefined) => void>;
}

/** After a HEAD failed, the item is not asked again for this long (a broken file costs one request per period). */
const FAILED_BACKOFF_MS = 10 * 60_000;
const FAILURES_KEPT = 10_000;

/**
 * One storage's probing state: the jobs not settled yet (one per item: the de-duplication), the urgent queue
 * (items someone waits for), the background queue, the pause, and the items that failed recently.
 */
export class StorageQueue {
  stopped = false;
  running = 0;
  pausedUntil = 0;
  private readonly jobs = new Map<string, ProbeJob>();
  private urgent: ProbeJob[] = [];
  private background: ProbeJob[] = [];
  private backgroundHead = 0;
  private readonly failedUntil = new Map<string, number>();
  private resumeTimer: NodeJS.Timeout | undefined;

  constructor(readonly storageId: number) {}

  /** Queues the item unless it is queued, running or failed recently; resolves with its size (or undefined). */
  add(live: LiveStorage, obj: Obj, urgent: boolean): Promise<number | undefined> {
    if ((this.failedUntil.get(obj.id) ?? 0) > Date.now() || this.stopped) return Promise.resolve(undefined);
    let job = this.jobs.get(obj.id);
    if (!job) {
      job = { live, obj, attempts: 0, state: 'queued', waiters: [] };
      this.jobs.set(obj.id, job);
      (urgent ? this.urgent : this.background).push(job);
    } else if (urgent && job.state === 'queued') {
      this.urgent.push(job); // served first; its later place in the background queue is skipped
    }
    const waiting = job;
    return urgent ? new Promise((resolve) => waiting.waiters.push(resolve)) : Promise.resolve(undefined);
  }

  /** The next job to run (urgent ones first), marked running. */
  next(): ProbeJob | undefined {
    const take = (job: ProbeJob | undefined) => {
      if (!job || job.state !== 'queued' || this.jobs.get(job.obj.id) !== job) return undefined;
      job.state = 'running';
      return job;
    };
    while (this.urgent.length > 0) {
      const job = take(this.urgent.shift());
      if (job) return job;
    }
    while (this.backgroundHead < this.background.length) {
      const job = take(this.background[this.backgroundHead++]);
      if (job) return job;
    }
    this.background = [];
    this.backgroundHead = 0;
    return undefined;
  }

  settle(job: ProbeJob, size: number | undefined): void {
    if (this.jobs.get(job.obj.id) === job) this.jobs.delete(job.obj.id);
    for (const resolve of job.waiters.splice(0)) resolve(size);
  }

  fail(job: ProbeJob): void {
    if (this.failedUntil.size >= FAILURES_KEPT) this.failedUntil.clear();
    this.failedUntil.set(job.obj.id, Date.now() + FAILED_BACKOFF_MS);
    this.settle(job, undefined);
  }

  /** Puts the job back at the front, to run after the pause. */
  retry(job: ProbeJob): void {
    job.state = 'queued';
    this.urgent.unshift(job);
  }

  pause(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, Date.now() + ms);
  }

  resumeAfter(ms: number, resume: () => void): void {
    if (this.resumeTimer) return;
    this.resumeTimer = setTimeout(() => {
      this.resumeTimer = undefined;
      resume();
    }, ms);
    this.resumeTimer.unref();
  }

  /** Starts nothing more and settles every waiter with "unknown"; the requests under way end on their own. */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.resumeTimer);
    for (const job of [...this.jobs.values()]) this.settle(job, undefined);
    this.urgent = [];
    this.background = [];
  }
}
