import type { Redis } from 'ioredis';
import type { TaskClaims } from '../tasks/task-claims.js';
import { RedisUnavailableError } from './redis-unavailable.js';

/** Extends the claim only if it is still ours (it may have expired and been taken by another process). */
const RENEW_SCRIPT = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end";
/** Deletes the claim only if it is still ours. */
const RELEASE_SCRIPT = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

/**
 * Task claims in Redis: a key per task holding the owning process's random id, with an expiry. Taken only when
 * absent (SET NX PX); renewed and released only by its owner.
 */
export class RedisTaskClaims implements TaskClaims {
  readonly shared = true;

  constructor(private readonly redis: Redis, private readonly keyPrefix: string, private readonly owner: string) {}

  async claim(taskId: string, ttlMs: number): Promise<boolean> {
    const answer = await this.command('the task cannot be claimed', () => this.redis.set(this.keyPrefix + taskId, this.owner, 'PX', ttlMs, 'NX'));
    return answer === 'OK';
  }

  async renew(taskId: string, ttlMs: number): Promise<boolean> {
    const answer = await this.command("the task's claim cannot be renewed", () => this.redis.eval(RENEW_SCRIPT, 1, this.keyPrefix + taskId, this.owner, ttlMs));
    return Number(answer) === 1;
  }

  async release(taskId: string): Promise<void> {
    await this.command("the task's claim cannot be released", () => this.redis.eval(RELEASE_SCRIPT, 1, this.keyPrefix + taskId, this.owner));
  }

  private async command<T>(consequence: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw new RedisUnavailableError(consequence, error);
    }
  }
}
