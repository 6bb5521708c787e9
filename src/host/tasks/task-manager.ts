import { randomBytes } from 'node:crypto';
import { HeldTaskClaims, InProcessTaskClaims, type TaskClaimOptions } from './task-claims.js';
import { DONE_STATES, TaskState, UNDONE_STATES, type TaskInfo, type TaskKind, type TaskStateNumber } from './task-state.js';
import type { TaskPatch, TaskRow, TaskStore } from './task-store.js';

/** What a running task's code sees. */
export interface TaskRun<P> {
  readonly id: string;
  readonly payload: P;
  /** Aborted when the task is cancelled or the server stops. */
  readonly signal: AbortSignal;
  /** The task ran before (the server stopped during it, or it is retried): work already done may be there. */
  readonly resumed: boolean;
  setStatus(text: string): void;
  setName(name: string): void;
  addTotalBytes(bytes: number): void;
  addDoneBytes(bytes: number): void;
  /** The kind's own progress details (kept as JSON with the task). */
  setDetail(detail: unknown): void;
  /** A part (e.g. one file of a folder copy, by its source path) is complete: a resumed run skips it (resolves once recorded). */
  markDone(part: string): Promise<void>;
  isDone(part: string): boolean;
}

export interface TaskHandler<P> {
  run(task: TaskRun<P>): Promise<void>;
  /** The task ended for good (succeeded, cancelled) or was deleted: free what it holds (e.g. a spooled upload). */
  release?(payload: P): void | Promise<void>;
  /** Error text as users may see it (no secrets). */
  describeError?(err: unknown): string;
}

export interface TaskManagerOptions {
  /** Tasks of this kind running at once. */
  concurrency: number;
  now: () => number;
  /** Where tasks are claimed when other processes share them (default: this process alone, nothing claimed). */
  claims?: TaskClaimOptions;
}

/** How often the bytes done are written to the database while a task runs. */
const PERSIST_EVERY_MS = 1000;
const STOPPING = new Error('the server is stopping');
const CLAIM_LOST = new Error('another process took the task over');

interface Running {
  row: TaskRow;
  controller: AbortController;
  done: Promise<void>;
  /** The task's writes, in order (a pool of PostgreSQL connections could otherwise reorder them). */
  writes: Promise<void>;
}

function newTaskId(): string {
  return randomBytes(12).toString('base64url');
}

export function taskInfo(row: TaskRow): TaskInfo {
  const progress = row.total_bytes > 0 ? Math.min(100, (row.done_bytes / row.total_bytes) * 100) : row.state === TaskState.Succeeded ? 100 : 0;
  return {
    id: row.id, name: row.name, state: row.state, status: row.status, progress,
    start_time: row.start_time, end_time: row.end_time, total_bytes: row.total_bytes, error: row.error,
  };
}

/**
 * One kind of task (AList has a manager per kind): queued in the database, run at most `concurrency` at once,
 * with progress in bytes. A task that was pending or running when the server stopped (even killed) runs again
 * on the next start, told that it is resumed. When processes share the tasks (task-claims.ts), a task runs only
 * under its claim, and a task whose process stopped or died is taken over by another one, resumed.
 */
export class TaskManager<P> {
  private readonly queue: string[] = [];
  private readonly running = new Map<string, Running>();
  private closed = false;
  /** Tasks read from the database to start, not yet running. */
  private starting = 0;
  private readonly claims: HeldTaskClaims;

  constructor(
    readonly kind: TaskKind,
    private readonly store: TaskStore,
    private readonly handler: TaskHandler<P>,
    private readonly options: TaskManagerOptions,
  ) {
    this.claims = new HeldTaskClaims(options.claims ?? { claims: new InProcessTaskClaims() });
  }

  private stamp(): string {
    return new Date(this.options.now()).toISOString();
  }

  /** Pick up what a previous run of the server left undone (shared: and from now on, what a stopped process left). */
  async resume(): Promise<void> {
    if (this.claims.shared) {
      this.claims.start((id) => this.claimLost(id), () => this.takeOver(), (id) => this.stopIfCancelled(id));
      return;
    }
    for (const row of await this.store.byStates(this.kind, UNDONE_STATES)) {
      if (row.state === TaskState.Canceling) {
        await this.finish(row, TaskState.Canceled, row.error);
        continue;
      }
      await this.store.update(row.id, { state: TaskState.Pending });
      this.queue.push(row.id);
    }
    this.pump();
  }

  async add(name: string, payload: P, creatorId = 0): Promise<TaskInfo> {
    const row: TaskRow = {
      id: newTaskId(), kind: this.kind, name, state: TaskState.Pending, status: 'pending', payload: JSON.stringify(payload),
      done_bytes: 0, total_bytes: 0, error: '', attempts: 0, creator_id: creatorId, detail: '{}', created_at: this.stamp(),
      start_time: null, end_time: null,
    };
    await this.store.insert(row);
    this.queue.push(row.id);
    const info = taskInfo(row);
    this.pump();
    return info;
  }

  async info(id: string): Promise<TaskInfo | undefined> {
    const row = await this.snapshot(id);
    return row && taskInfo(row);
  }

  /** The task's row as it is now (live progress while it runs). */
  async snapshot(id: string): Promise<TaskRow | undefined> {
    const live = this.running.get(id);
    if (live) return { ...live.row };
    const row = await this.store.get(id);
    return row?.kind === this.kind ? row : undefined;
  }

  /** Newest first, with live progress. */
  async newest(limit: number): Promise<TaskRow[]> {
    return (await this.store.newest(this.kind, limit)).map((row) => (this.running.has(row.id) ? { ...this.running.get(row.id)!.row } : row));
  }

  /** Payloads of the tasks not finished yet (pending or running). */
  async undonePayloads(): Promise<Array<{ id: string; payload: P }>> {
    return (await this.store.byStates(this.kind, UNDONE_STATES)).map((row) => ({ id: row.id, payload: JSON.parse(row.payload) as P }));
  }

  /** The tasks in these states; only those `creatorId` created when it is given. */
  async list(states: readonly TaskStateNumber[], creatorId?: number): Promise<TaskInfo[]> {
    return (await this.store.byStates(this.kind, states))
      .filter((row) => creatorId === undefined || row.creator_id === creatorId)
      .map((row) => taskInfo(this.running.get(row.id)?.row ?? row));
  }

  undone(creatorId?: number): Promise<TaskInfo[]> {
    return this.list(UNDONE_STATES, creatorId);
  }

  done(creatorId?: number): Promise<TaskInfo[]> {
    return this.list(DONE_STATES, creatorId);
  }

  /** Resolves when the task is no longer running (at once when it is not). */
  async settled(id: string): Promise<void> {
    await this.running.get(id)?.done;
  }

  async cancel(id: string): Promise<void> {
    const live = this.running.get(id);
    if (live) {
      live.row.state = TaskState.Canceling;
      await this.write(live, { state: TaskState.Canceling });
      live.controller.abort(new Error('cancelled'));
      return;
    }
    const row = await this.store.get(id);
    if (row?.kind !== this.kind || !UNDONE_STATES.includes(row.state)) return;
    if (this.claims.shared && !this.queue.includes(id)) {
      // Another process may run it: its heartbeat stops it and marks it cancelled (or a sweep does, if nobody runs it).
      await this.store.update(id, { state: TaskState.Canceling });
      return;
    }
    this.dequeue(id);
    await this.finish(row, TaskState.Canceled, '');
    void this.claims.drop(id);
  }

  /** AList's delete: the task is cancelled if it runs, and forgotten. */
  async remove(id: string): Promise<void> {
    const row = await this.store.get(id);
    if (row?.kind !== this.kind) return;
    this.dequeue(id);
    const live = this.running.get(id);
    if (live) {
      live.controller.abort(new Error('cancelled'));
      await live.done;
    }
    await this.store.delete(id);
    await this.claims.drop(id);
    await this.release(row);
  }

  async retry(id: string): Promise<void> {
    const row = await this.store.get(id);
    if (row?.kind !== this.kind || this.running.has(id) || this.queue.includes(id)) return;
    if (row.state !== TaskState.Failed && row.state !== TaskState.Canceled) return;
    await this.store.update(id, { state: TaskState.Pending, status: 'pending', error: '', end_time: null });
    this.queue.push(id);
    this.pump();
  }

  async clear(states: readonly TaskStateNumber[], creatorId?: number): Promise<void> {
    for (const row of await this.store.byStates(this.kind, states)) {
      if (this.running.has(row.id) || (creatorId !== undefined && row.creator_id !== creatorId)) continue;
      await this.store.delete(row.id);
      await this.release(row);
    }
  }

  /** Stops every running task where it is; they run again, resumed, on the next start. */
  async close(): Promise<void> {
    this.closed = true;
    this.claims.stop();
    const queued = this.queue.splice(0);
    const live = [...this.running.values()];
    for (const job of live) job.controller.abort(STOPPING);
    await Promise.all(live.map((job) => job.done));
    // Another process may take these over at once.
    await Promise.all(queued.map((id) => this.claims.drop(id)));
  }

  /** Claims and runs, resumed, the undone tasks nobody holds (their process stopped or died). */
  private async takeOver(): Promise<void> {
    const here = (id: string) => this.running.has(id) || this.queue.includes(id);
    for (const seen of await this.store.byStates(this.kind, UNDONE_STATES)) {
      if (this.closed) return;
      if (here(seen.id) || !(await this.claims.take(seen.id)) || here(seen.id)) continue;
      // Read again under the claim: its last holder may have finished it meanwhile.
      const row = await this.store.get(seen.id);
      if (this.closed || !row || !UNDONE_STATES.includes(row.state)) {
        await this.claims.drop(seen.id);
        continue;
      }
      if (row.state === TaskState.Canceling) {
        await this.finish(row, TaskState.Canceled, row.error);
        await this.claims.drop(row.id);
        continue;
      }
      await this.store.update(row.id, { state: TaskState.Pending });
      this.queue.push(row.id);
    }
    this.pump();
  }

  /** A task cancelled or deleted through another process stops here too. */
  private async stopIfCancelled(id: string): Promise<void> {
    const live = this.running.get(id);
    if (!live || live.controller.signal.aborted) return;
    const row = await this.store.get(id);
    if (!row || row.state === TaskState.Canceling || row.state === TaskState.Canceled) live.controller.abort(new Error('cancelled'));
  }

  /** Another process holds the task now: stop it here, leaving its state to that process. */
  private claimLost(id: string): void {
    this.dequeue(id);
    this.running.get(id)?.controller.abort(CLAIM_LOST);
  }

  /** A shared task runs only under its claim, and only if still pending once claimed (another process may have run it). */
  private async claimToRun(job: Running): Promise<boolean> {
    const id = job.row.id;
    if (!(await this.claims.take(id))) return false; // another process runs it; or Redis is away, and a sweep tries again
    const row = await this.store.get(id);
    if (row?.state === TaskState.Pending && !this.closed && !job.controller.signal.aborted) {
      job.row = row;
      return true;
    }
    if (row?.state === TaskState.Canceling && !this.closed) await this.finish(row, TaskState.Canceled, row.error); // cancelled while claimed
    await this.claims.drop(id);
    return false;
  }

  private dequeue(id: string): void {
    const at = this.queue.indexOf(id);
    if (at >= 0) this.queue.splice(at, 1);
  }

  /** Starts queued tasks while there is room; each is read from the database first (it may be gone or cancelled). */
  private pump(): void {
    while (!this.closed && this.running.size + this.starting < this.options.concurrency && this.queue.length > 0) {
      const id = this.queue.shift()!;
      this.starting++;
      void this.store.get(id).then((row) => {
        this.starting--;
        if (!row || row.state !== TaskState.Pending || this.closed || this.running.has(id)) return this.pump();
        const job: Running = { row, controller: new AbortController(), done: Promise.resolve(), writes: Promise.resolve() };
        this.running.set(id, job);
        job.done = this.execute(job);
      }, () => {
        // The database is away: the task stays pending in it, and the next start (or resume) runs it.
        this.starting--;
      });
    }
  }

  /** Writes a running task's columns after its earlier writes. A failed write is retried by the next one. */
  private write(job: Running, patch: TaskPatch): Promise<void> {
    job.writes = job.writes.then(() => this.store.update(job.row.id, patch)).catch(() => undefined);
    return job.writes;
  }

  private async execute(job: Running): Promise<void> {
    if (this.claims.shared && !(await this.claimToRun(job))) {
      this.running.delete(job.row.id);
      this.pump();
      return;
    }
    const { row, controller } = job;
    const resumed = row.attempts > 0;
    row.state = TaskState.Running;
    row.status = 'running';
    row.attempts += 1;
    row.start_time ??= this.stamp();
    void this.write(job, { state: row.state, status: row.status, attempts: row.attempts, start_time: row.start_time });
    let done = new Set<string>();
    let persistedAt = 0;
    const persistBytes = (force = false) => {
      const now = this.options.now();
      if (!force && now - persistedAt < PERSIST_EVERY_MS) return;
      persistedAt = now;
      void this.write(job, { done_bytes: row.done_bytes, total_bytes: row.total_bytes, status: row.status, name: row.name, detail: row.detail });
    };
    const run: TaskRun<P> = {
      id: row.id,
      payload: JSON.parse(row.payload) as P,
      signal: controller.signal,
      resumed,
      setStatus: (text) => {
        row.status = text;
      },
      setName: (name) => {
        row.name = name;
      },
      addTotalBytes: (bytes) => {
        row.total_bytes += bytes;
      },
      addDoneBytes: (bytes) => {
        row.done_bytes += bytes;
        persistBytes();
      },
      setDetail: (detail) => {
        row.detail = JSON.stringify(detail);
        persistBytes();
      },
      markDone: async (part) => {
        done.add(part);
        await job.writes;
        await this.store.markFileDone(row.id, part, row.done_bytes);
        persistBytes(true);
      },
      isDone: (part) => done.has(part),
    };
    // A resumed run counts again from zero: it reports every byte it handles, skipped files included.
    row.done_bytes = 0;
    row.total_bytes = 0;
    await Promise.resolve(); // the task is registered as running before any of its code runs
    try {
      if (resumed) done = await this.store.doneFiles(row.id);
      await this.handler.run(run);
      this.running.delete(row.id);
      await job.writes;
      await this.finish(row, TaskState.Succeeded, '');
    } catch (err) {
      this.running.delete(row.id);
      await job.writes;
      if (controller.signal.reason === STOPPING || controller.signal.reason === CLAIM_LOST) {
        // Left as it is in the database: the next start (or the process holding it now) goes on with it.
      } else if (controller.signal.aborted) {
        await this.finish(row, TaskState.Canceled, '');
      } else {
        await this.finish(row, TaskState.Failed, this.handler.describeError?.(err) ?? (err instanceof Error ? err.message : String(err)));
      }
    }
    if (this.claims.shared) await this.claims.drop(row.id);
    this.pump();
  }

  private async finish(row: TaskRow, state: TaskStateNumber, error: string): Promise<void> {
    row.state = state;
    row.error = error;
    row.end_time = this.stamp();
    row.status = state === TaskState.Succeeded ? 'succeeded' : state === TaskState.Canceled ? 'canceled' : 'failed';
    try {
      await this.store.update(row.id, {
        state, error, end_time: row.end_time, status: row.status, done_bytes: row.done_bytes, total_bytes: row.total_bytes, name: row.name,
        detail: row.detail,
      });
    } catch {
      return; // the database is closed or away: the task stays undone in it, and the next start resumes it
    }
    if (state !== TaskState.Failed) void this.release(row);
  }

  private async release(row: TaskRow): Promise<void> {
    try {
      await this.handler.release?.(JSON.parse(row.payload) as P);
    } catch {
      // Best effort: a leftover is removed by the next start's sweep, where the kind has one.
    }
  }
}
