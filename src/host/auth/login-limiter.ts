import { addressKey } from './address-key.js';
import { FailureLog } from './failure-log.js';

export interface LoginLimits {
  /** Failed logins per client address within `addressWindowMs` before that address is refused (default 5). */
  maxPerAddress: number;
  addressWindowMs: number;
  /** Failed logins per username within `accountWindowMs` before each further attempt waits (default 10). */
  freePerAccount: number;
  accountWindowMs: number;
  /** The wait after the first failure past the free ones; it doubles with each further failure, up to the cap. */
  accountDelayMs: number;
  accountDelayCapMs: number;
  /** Most addresses and usernames tracked at once (older ones are forgotten first). */
  maxTracked: number;
}

export const DEFAULT_LOGIN_LIMITS: LoginLimits = {
  maxPerAddress: 5,
  addressWindowMs: 5 * 60_000,
  freePerAccount: 10,
  accountWindowMs: 15 * 60_000,
  accountDelayMs: 1000,
  accountDelayCapMs: 60_000,
  maxTracked: 10_000,
};

export const KNOWN_ADDRESSES_PER_USER = 4;

/** One checked login attempt: it was counted as a failure when it began; say how it ended. */
export interface LoginAttempt {
  succeeded(): void;
  /** The password was never checked (e.g. the server was busy): the attempt does not count. */
  cancelled(): void;
}

export type LoginDecision = { allowed: true; attempt: LoginAttempt } | { allowed: false; retryAfterSec: number };

/** Decides whether a login attempt may check its password; this process alone, or every process through Redis. */
export interface LoginGate {
  /** `clientAddress`: the request's source address (IPv6 ones are limited by their /64). */
  begin(clientAddress: string, username: string): LoginDecision | Promise<LoginDecision>;
}

/** The per-username wait after the latest failure, `over` failures past the free ones (RedisLoginLimiter's script too). */
function accountDelayMs(limits: LoginLimits, over: number): number {
  return Math.min(limits.accountDelayMs * 2 ** Math.min(over, 30), limits.accountDelayCapMs);
}

/**
 * Limits password guessing. Per address: a few failures in a window, then refused until it passes. Per username: a
 * few failures free, then each attempt must wait a delay that grows with every failure (capped), so many
 * addresses together still get few guesses; addresses the user logged in from before skip that wait, so the
 * owner is not locked out by someone guessing. An attempt is counted before its password is checked, so a
 * burst of simultaneous requests cannot all slip past the count.
 */
export class LoginLimiter implements LoginGate {
  private readonly limits: LoginLimits;
  private readonly byAddress: FailureLog;
  private readonly byAccount: FailureLog;
  // username -> addresses of its latest successful logins; insertion order bounds it like a cache.
  private readonly knownAddresses = new Map<string, string[]>();

  constructor(private readonly now: () => number, limits: Partial<LoginLimits> = {}) {
    this.limits = { ...DEFAULT_LOGIN_LIMITS, ...limits };
    this.byAddress = new FailureLog(now, this.limits.addressWindowMs, this.limits.maxTracked);
    this.byAccount = new FailureLog(now, this.limits.accountWindowMs, this.limits.maxTracked);
  }

  /** `clientAddress`: the request's source address (IPv6 ones are limited by their /64). */
  begin(clientAddress: string, username: string): LoginDecision {
    const address = addressKey(clientAddress);
    const now = this.now();
    const wait = Math.max(this.addressWait(address, now), this.isKnown(username, address) ? 0 : this.accountWait(username, now));
    if (wait > 0) return { allowed: false, retryAfterSec: Math.max(1, Math.ceil(wait / 1000)) };
    this.byAddress.add(address, now);
    this.byAccount.add(username, now);
    return {
      allowed: true,
      attempt: {
        succeeded: () => {
          this.byAddress.clear(address);
          this.byAccount.remove(username, now);
          this.remember(username, address);
        },
        cancelled: () => {
          this.byAddress.remove(address, now);
          this.byAccount.remove(username, now);
        },
      },
    };
  }

  /** Addresses and usernames currently tracked (bounded by `maxTracked` each, and by the users for known addresses). */
  get trackedEntries(): number {
    return this.byAddress.size + this.byAccount.size + this.knownAddresses.size;
  }

  private addressWait(address: string, now: number): number {
    const times = this.byAddress.recent(address);
    if (times.length < this.limits.maxPerAddress) return 0;
    return times[times.length - this.limits.maxPerAddress]! + this.limits.addressWindowMs - now;
  }

  private accountWait(username: string, now: number): number {
    const times = this.byAccount.recent(username);
    const over = times.length - this.limits.freePerAccount;
    if (over < 0) return 0;
    return times[times.length - 1]! + accountDelayMs(this.limits, over) - now;
  }

  private isKnown(username: string, address: string): boolean {
    return this.knownAddresses.get(username)?.includes(address) ?? false;
  }

  private remember(username: string, address: string): void {
    const addresses = [address, ...(this.knownAddresses.get(username) ?? []).filter((known) => known !== address)];
    this.knownAddresses.delete(username);
    this.knownAddresses.set(username, addresses.slice(0, KNOWN_ADDRESSES_PER_USER));
    // Only real users ever log in, but renames leave old names behind: keep the most recent ones.
    for (const name of this.knownAddresses.keys()) {
      if (this.knownAddresses.size <= this.limits.maxTracked) break;
      this.knownAddresses.delete(name);
    }
  }
}
