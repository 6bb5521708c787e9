import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import { RedisUnavailableError } from './redis-unavailable.js';
import type { SharedAccessToken, SharedTokenCache, SharedTokenRequest } from '../../driver/google-photos/shared-tokens.js';

/** A refresh that takes longer than this loses its lock: another process may then refresh. */
const LOCK_MS = 30_000;
const POLL_MS = 20;

/** Deletes the lock only if it is still ours (it may have expired and been taken by another process). */
const RELEASE_SCRIPT = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

function parseToken(text: string | null): SharedAccessToken | undefined {
  if (!text) return undefined;
  try {
    const token = JSON.parse(text) as SharedAccessToken;
    return typeof token.value === 'string' && typeof token.expiresAt === 'number' ? token : undefined;
  } catch {
    return undefined;
  }
}

/**
 * One storage's Google access token in Redis, shared by every host process: a usable stored token is read; else
 * one process takes a lock with expiry (SET NX PX), refreshes and stores the token until it expires, and the
 * others poll until they can read it. The stored tokens are secrets: Redis must be private.
 */
export class RedisTokenCache implements SharedTokenCache {
  constructor(private readonly redis: Redis, private readonly keyPrefix: string, private readonly now: () => number = Date.now) {}

  async obtain(request: SharedTokenRequest, refresh: () => Promise<SharedAccessToken>): Promise<SharedAccessToken> {
    let refreshFailure: unknown;
    const refreshOnce = () => refresh().catch((error: unknown) => {
      refreshFailure = error;
      throw error;
    });
    try {
      return await this.obtainShared(request, refreshOnce);
    } catch (error) {
      if (error === refreshFailure) throw error; // Google's answer, as the driver reports it
      throw new RedisUnavailableError("the storage's shared Google access token cannot be read", error);
    }
  }

  private async obtainShared(request: SharedTokenRequest, refresh: () => Promise<SharedAccessToken>): Promise<SharedAccessToken> {
    const key = `${this.keyPrefix}${request.account}`;
    const lockKey = `${key}:lock`;
    const usable = (token: SharedAccessToken | undefined) => token && token.value !== request.rejected && token.expiresAt > request.validUntil;
    const giveUpAt = this.now() + LOCK_MS;
    for (;;) {
      const stored = parseToken(await this.redis.get(key));
      if (usable(stored)) return stored!;
      const lockId = randomUUID();
      if (await this.redis.set(lockKey, lockId, 'PX', LOCK_MS, 'NX')) {
        try {
          // Another process may have stored a token between the read above and taking the lock.
          const latest = parseToken(await this.redis.get(key));
          if (usable(latest)) return latest!;
          const fresh = await refresh();
          const ttl = Math.floor(fresh.expiresAt - this.now());
          // Not stored (Redis just went away): this process still has its token; the others will refresh theirs.
          if (ttl > 0) await this.redis.set(key, JSON.stringify(fresh), 'PX', ttl).catch(() => undefined);
          return fresh;
        } finally {
          await this.redis.eval(RELEASE_SCRIPT, 1, lockKey, lockId).catch(() => undefined);
        }
      }
      // The holder seems stuck: refresh here rather than wait forever.
      if (this.now() > giveUpAt) return refresh();
      await sleep(POLL_MS);
    }
  }
}
