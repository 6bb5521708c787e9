/**
 * Times of recent failed logins per key (a client address, or a username), forgotten after `windowMs`.
 * Bounded: expired keys are swept on every add, and past `maxKeys` the least recently failing keys are dropped,
 * so no stream of new addresses or names grows it without limit.
 */
export class FailureLog {
  // Map order = order of each key's latest add, so the expired keys are always a prefix.
  private readonly entries = new Map<string, number[]>();

  constructor(private readonly now: () => number, private readonly windowMs: number, private readonly maxKeys: number) {}

  /** The key's failure times still inside the window, oldest first. */
  recent(key: string): number[] {
    const since = this.now() - this.windowMs;
    const times = (this.entries.get(key) ?? []).filter((time) => time > since);
    if (!times.length) this.entries.delete(key);
    return times;
  }

  add(key: string, time: number): void {
    const times = [...this.recent(key), time];
    this.entries.delete(key);
    this.entries.set(key, times);
    this.sweep();
  }

  /** Forgets one recorded time (an attempt that turned out not to be a failure). */
  remove(key: string, time: number): void {
    const times = this.entries.get(key);
    const index = times?.lastIndexOf(time) ?? -1;
    if (!times || index < 0) return;
    times.splice(index, 1);
    if (!times.length) this.entries.delete(key);
  }

  clear(key: string): void {
    this.entries.delete(key);
  }

  get size(): number {
    return this.entries.size;
  }

  private sweep(): void {
    const since = this.now() - this.windowMs;
    for (const [key, times] of this.entries) {
      const latest = times[times.length - 1] ?? 0;
      if (latest > since && this.entries.size <= this.maxKeys) break;
      this.entries.delete(key);
    }
  }
}
