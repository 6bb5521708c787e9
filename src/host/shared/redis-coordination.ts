import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Coordination } from './coordination.js';
import { connectRedis } from './redis-connection.js';
import type { LoginLimits } from '../auth/login-limiter.js';
import { RedisLoginLimiter } from './redis-login-limiter.js';
import { RedisOAuthStates } from './redis-oauth-states.js';
import { RedisTaskClaims } from './redis-task-claims.js';
import { RedisTokenCache } from './redis-token-cache.js';

const PREFIX = 'gphotos-alist:';
const STORAGE_CHANNEL = `${PREFIX}storage-changed`;

interface StorageChange {
  origin: string;
  storageId: number;
}

/** Coordination through Redis: shared access tokens, storage changes announced over pub/sub, task claims. */
export class RedisCoordination implements Coordination {
  private readonly origin = randomUUID();
  private readonly listeners: Array<(storageId: number) => void> = [];

  private constructor(private readonly redis: Redis, private readonly subscriber: Redis) {
    subscriber.on('message', (channel: string, message: string) => {
      if (channel === STORAGE_CHANNEL) this.received(message);
    });
  }

  static async connect(url: string): Promise<RedisCoordination> {
    const redis = await connectRedis(url);
    try {
      const subscriber = await connectRedis(url);
      await subscriber.subscribe(STORAGE_CHANNEL);
      return new RedisCoordination(redis, subscriber);
    } catch (error) {
      redis.disconnect();
      throw error;
    }
  }

  tokenCacheFor(storageId: number): RedisTokenCache {
    return new RedisTokenCache(this.redis, `${PREFIX}token:${storageId}:`);
  }

  oauthStates(now: () => number): RedisOAuthStates {
    return new RedisOAuthStates(this.redis, `${PREFIX}oauth-state:`, now);
  }

  loginLimiter(now: () => number, limits: Partial<LoginLimits>): RedisLoginLimiter {
    return new RedisLoginLimiter(this.redis, `${PREFIX}login:`, now, limits);
  }

  announceStorageChange(storageId: number): void {
    const change: StorageChange = { origin: this.origin, storageId };
    // A lost announcement leaves the other processes on the old settings until they restart; nothing to undo here.
    this.redis.publish(STORAGE_CHANNEL, JSON.stringify(change)).catch(() => undefined);
  }

  onStorageChange(listener: (storageId: number) => void): void {
    this.listeners.push(listener);
  }

  /** Claimed in the name of this process (its random origin). */
  taskClaims(): RedisTaskClaims {
    return new RedisTaskClaims(this.redis, `${PREFIX}task:`, this.origin);
  }

  async close(): Promise<void> {
    this.subscriber.disconnect();
    await this.redis.quit().catch(() => this.redis.disconnect());
  }

  private received(message: string): void {
    let change: StorageChange;
    try {
      change = JSON.parse(message) as StorageChange;
    } catch {
      return;
    }
    if (change.origin === this.origin || !Number.isSafeInteger(change.storageId)) return;
    for (const listener of this.listeners) listener(change.storageId);
  }
}
