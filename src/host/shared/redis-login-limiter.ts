import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { addressKey } from '../auth/address-key.js';
import { DEFAULT_LOGIN_LIMITS, KNOWN_ADDRESSES_PER_USER, type LoginDecision, type LoginGate, type LoginLimits } from '../auth/login-limiter.js';
import { RedisUnavailableError } from './redis-unavailable.js';

/**
 * LoginLimiter's rules, decided in one Lua script so every process counts together and a burst spread over them
 * cannot slip past: the failures of the address and of the username are sorted sets of attempt times (a sliding
 * window, as in one process), the owner's recent addresses a short list. Returns the wait in ms, or 0 when the
 * attempt was reserved (counted as a failure until it ends).
 * KEYS: address failures, username failures, username's known addresses.
 * ARGV: now, address window, max per address, account window, free per account, delay, delay cap, address, attempt id.
 */
const BEGIN_SCRIPT = `
local now = tonumber(ARGV[1])
local addressWindow, maxPerAddress = tonumber(ARGV[2]), tonumber(ARGV[3])
local accountWindow, free = tonumber(ARGV[4]), tonumber(ARGV[5])
local delay, cap = tonumber(ARGV[6]), tonumber(ARGV[7])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - addressWindow)
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - accountWindow)
local wait = 0
local failures = redis.call('ZCARD', KEYS[1])
if failures >= maxPerAddress then
  local oldest = redis.call('ZRANGE', KEYS[1], failures - maxPerAddress, failures - maxPerAddress, 'WITHSCORES')
  wait = tonumber(oldest[2]) + addressWindow - now
end
local known = false
for _, address in ipairs(redis.call('LRANGE', KEYS[3], 0, -1)) do
  if address == ARGV[8] then known = true end
end
if not known then
  local over = redis.call('ZCARD', KEYS[2]) - free
  if over >= 0 then
    local latest = redis.call('ZRANGE', KEYS[2], -1, -1, 'WITHSCORES')
    wait = math.max(wait, tonumber(latest[2]) + math.min(delay * 2 ^ math.min(over, 30), cap) - now)
  end
end
if wait > 0 then return math.ceil(wait) end
redis.call('ZADD', KEYS[1], now, ARGV[9])
redis.call('PEXPIRE', KEYS[1], addressWindow)
redis.call('ZADD', KEYS[2], now, ARGV[9])
redis.call('PEXPIRE', KEYS[2], accountWindow)
return 0
`;

/** A successful login: the address starts afresh, the attempt is no failure, the address becomes the user's own. */
const SUCCEEDED_SCRIPT = `
redis.call('DEL', KEYS[1])
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('LREM', KEYS[3], 0, ARGV[2])
redis.call('LPUSH', KEYS[3], ARGV[2])
redis.call('LTRIM', KEYS[3], 0, tonumber(ARGV[3]) - 1)
return 1
`;

/** LoginLimiter (same limits, same answers) with its counts in Redis, shared by every host process. */
export class RedisLoginLimiter implements LoginGate {
  private readonly limits: LoginLimits;

  constructor(private readonly redis: Redis, private readonly keyPrefix: string, private readonly now: () => number, limits: Partial<LoginLimits> = {}) {
    this.limits = { ...DEFAULT_LOGIN_LIMITS, ...limits };
  }

  async begin(clientAddress: string, username: string): Promise<LoginDecision> {
    const address = addressKey(clientAddress);
    const keys = [`${this.keyPrefix}address:${address}`, `${this.keyPrefix}user:${username}`, `${this.keyPrefix}known:${username}`];
    const attemptId = randomUUID();
    const limits = this.limits;
    let wait: number;
    try {
      wait = Number(await this.redis.eval(BEGIN_SCRIPT, keys.length, ...keys, this.now(), limits.addressWindowMs, limits.maxPerAddress,
        limits.accountWindowMs, limits.freePerAccount, limits.accountDelayMs, limits.accountDelayCapMs, address, attemptId));
    } catch (error) {
      throw new RedisUnavailableError('failed logins cannot be counted and no password is checked', error);
    }
    if (wait > 0) return { allowed: false, retryAfterSec: Math.max(1, Math.ceil(wait / 1000)) };
    // Redis lost between the start and the end of an attempt: it stays counted as a failure until its window passes.
    const settle = (run: () => Promise<unknown>) => { run().catch(() => undefined); };
    return {
      allowed: true,
      attempt: {
        succeeded: () => settle(() => this.redis.eval(SUCCEEDED_SCRIPT, keys.length, ...keys, attemptId, address, KNOWN_ADDRESSES_PER_USER)),
        cancelled: () => settle(() => this.redis.multi().zrem(keys[0]!, attemptId).zrem(keys[1]!, attemptId).exec()),
      },
    };
  }
}
