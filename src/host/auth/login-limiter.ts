/** Failed logins per client address in a sliding window; past the limit, logins are refused until it passes. */
export class LoginLimiter {
  private readonly failures = new Map<string, number[]>();

  constructor(private readonly now: () => number, private readonly maxFailures = 5, private readonly windowMs = 5 * 60_000) {}

  private recent(ip: string): number[] {
    const since = this.now() - this.windowMs;
    const times = (this.failures.get(ip) ?? []).filter((time) => time > since);
    if (times.length) this.failures.set(ip, times);
    else this.failures.delete(ip);
    return times;
  }

  /** Seconds to wait before the next attempt, or 0 when one is allowed. */
  retryAfterSec(ip: string): number {
    const times = this.recent(ip);
    if (times.length < this.maxFailures) return 0;
    return Math.max(1, Math.ceil((times[0]! + this.windowMs - this.now()) / 1000));
  }

  recordFailure(ip: string): void {
    this.failures.set(ip, [...this.recent(ip), this.now()]);
  }

  recordSuccess(ip: string): void {
    this.failures.delete(ip);
  }
}
