/**
 * Claims on tasks, for host processes sharing one data folder: a process runs a task only while it holds the
 * task's claim, which expires unless renewed. A process that dies stops renewing, so another one can claim the
 * task and take it over.
 */
export interface TaskClaims {
  /** Whether other processes may run this folder's tasks (else every claim is granted and nothing is swept). */
  readonly shared: boolean;
  /** Takes the claim for `ttlMs` when nobody holds it; false when another process does. */
  claim(taskId: string, ttlMs: number): Promise<boolean>;
  /** Extends our claim by `ttlMs`; false when it is no longer ours (it expired, another process took it). */
  renew(taskId: string, ttlMs: number): Promise<boolean>;
  /** Gives our claim up (nothing happens when it is not ours). */
  release(taskId: string): Promise<void>;
}

/** One process alone: every task is its own. */
export class InProcessTaskClaims implements TaskClaims {
  readonly shared = false;

  async claim(): Promise<boolean> {
    return true;
  }

  async renew(): Promise<boolean> {
    return true;
  }

  async release(): Promise<void> {}
}

export const DEFAULT_TASK_CLAIM_TTL_MS = 15_000;
/** Shorter claims would need renewals faster than a busy process or a distant Redis answers. */
export const MIN_TASK_CLAIM_TTL_MS = 1000;

/** How a task manager claims its tasks: where, and for how long without a renewal. */
export interface TaskClaimOptions {
  claims: TaskClaims;
  ttlMs?: number;
}

/**
 * The claims one task manager holds (its queued and running tasks): all renewed every ttl/3 (the heartbeat, after
 * which `onRenewed` may look at the task again), and every ttl/2 a sweep looks for tasks nobody holds. A claim that
 * could not be renewed for a whole ttl (Redis away) may have passed to another process: it counts as lost too. The
 * timers never keep the process alive.
 */
export class HeldTaskClaims {
  readonly ttlMs: number;
  /** Task id -> when its claim was last taken or renewed (this clock, not the host's: Redis expires in real time). */
  private readonly held = new Map<string, number>();
  private readonly timers: NodeJS.Timeout[] = [];
  private beating = false;
  private sweeping = false;

  constructor(private readonly options: TaskClaimOptions) {
    this.ttlMs = options.ttlMs ?? DEFAULT_TASK_CLAIM_TTL_MS;
    if (!Number.isSafeInteger(this.ttlMs) || this.ttlMs < MIN_TASK_CLAIM_TTL_MS) {
      throw new Error(`A task claim must last a whole number of milliseconds, at least ${MIN_TASK_CLAIM_TTL_MS}, not ${this.ttlMs}`);
    }
  }

  get shared(): boolean {
    return this.options.claims.shared;
  }

  /** Claims the task; false when another process holds it or the claim cannot be asked for (the sweep asks again). */
  async take(taskId: string): Promise<boolean> {
    if (this.held.has(taskId)) return true;
    const takenAt = Date.now();
    const granted = await this.options.claims.claim(taskId, this.ttlMs).catch(() => false);
    if (granted) this.held.set(taskId, takenAt);
    return granted;
  }

  /** The task ended here (or was stopped): others may claim it at once. */
  async drop(taskId: string): Promise<void> {
    if (!this.held.delete(taskId)) return;
    await this.options.claims.release(taskId).catch(() => undefined); // else it expires
  }

  /** Starts the heartbeat and the sweep (which also runs at once). */
  start(onLost: (taskId: string) => void, sweep: () => Promise<void>, onRenewed: (taskId: string) => Promise<void>): void {
    if (this.timers.length > 0) return;
    const sweepOnce = () => {
      if (this.sweeping) return;
      this.sweeping = true;
      sweep().catch(() => undefined).finally(() => { this.sweeping = false; });
    };
    this.timers.push(setInterval(() => void this.beat(onLost, onRenewed), this.ttlMs / 3).unref());
    this.timers.push(setInterval(sweepOnce, this.ttlMs / 2).unref());
    sweepOnce();
  }

  stop(): void {
    for (const timer of this.timers.splice(0)) clearInterval(timer);
  }

  private async beat(onLost: (taskId: string) => void, onRenewed: (taskId: string) => Promise<void>): Promise<void> {
    if (this.beating) return;
    this.beating = true;
    try {
      await Promise.all([...this.held].map(async ([taskId, renewedAt]) => {
        const askedAt = Date.now();
        const ours = await this.options.claims.renew(taskId, this.ttlMs).catch(() => undefined);
        if (!this.held.has(taskId)) return; // dropped meanwhile
        if (ours) {
          this.held.set(taskId, askedAt);
          await onRenewed(taskId).catch(() => undefined);
        } else if (ours === false || Date.now() - renewedAt >= this.ttlMs) {
          this.held.delete(taskId);
          onLost(taskId);
        }
      }));
    } finally {
      this.beating = false;
    }
  }
}
