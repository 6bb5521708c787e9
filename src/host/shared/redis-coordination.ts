import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { parseCacheChange, type CacheChange } from './cache-change.js';
import type { Coordination } from './coordination.js';
import { connectRedis } from './redis-connection.js';
import type { LoginLimits } from '../auth/login-limiter.js';
import { RedisLoginLimiter } from './redis-login-limiter.js';
import { RedisOAuthStates } from './redis-oauth-states.js';
import { RedisTaskClaims } from './redis-task-claims.js';
import { RedisTokenCache } from './redis-token-cache.js';

const PREFIX = 'gphotos-alist:';
const STORAGE_CHANNEL = `${PREFIX}storage-changed`;
const CACHE_CHANNEL = `${PREFIX}cache-changed`;

interface StorageChange {
  origin: string;
  storageId: number;
}

/**
 * Coordination through Redis: shared access tokens, storage and cache changes announced over pub/sub, task claims.
 * Pub/sub keeps no state in Redis: a Redis restarted or flushed loses nothing but the announcements sent while it
 * was away, and for those every process forgets all it caches once its connections are back.
 */
export class RedisCoordination implements Coordination {
  private readonly origin = randomUUID();
  private readonly listeners: Array<(storageId: number) => void> = [];
  private readonly cacheListeners: Array<(change: CacheChange) => void> = [];
  /** A cache change could not be announced: once Redis answers again, the others are told to forget everything. */
  private announcementLost = false;

  private constructor(private readonly redis: Redis, private readonly subscriber: Redis) {
    subscriber.on('message', (channel: string, message: string) => {
      if (channel === STORAGE_CHANNEL) this.received(message);
      if (channel === CACHE_CHANNEL) this.receivedCacheChange(message);
    });
    // 'ready' again after a lost connection: ioredis has re-sent SUBSCRIBE; after a round trip it is in effect, and
    // whatever was announced in between was missed.
    subscriber.on('ready', () => {
      subscriber.ping().then(() => this.notifyCacheListeners({ kind: 'everything' }), () => undefined);
    });
    redis.on('ready', () => {
      if (!this.announcementLost) return;
      this.announcementLost = false;
      this.announceCacheChange({ kind: 'everything' });
    });
  }

  static async connect(url: string): Promise<RedisCoordination> {
    const redis = await connectRedis(url);
    try {
      const subscriber = await connectRedis(url);
      await subscriber.subscribe(STORAGE_CHANNEL, CACHE_CHANNEL);
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

  announceCacheChange(change: CacheChange): void {
    // Not awaited: the write that caused it is done here whatever Redis does.
    this.redis.publish(CACHE_CHANNEL, JSON.stringify({ origin: this.origin, change })).catch(() => {
      this.announcementLost = true;
    });
  }

  onCacheChange(listener: (change: CacheChange) => void): void {
    this.cacheListeners.push(listener);
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

  private receivedCacheChange(message: string): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(message);
    } catch {
      return;
    }
    const { origin, change: value } = (parsed ?? {}) as { origin?: unknown; change?: unknown };
    const change = parseCacheChange(value);
    if (origin === this.origin || !change) return;
    this.notifyCacheListeners(change);
  }

  private notifyCacheListeners(change: CacheChange): void {
    for (const listener of this.cacheListeners) listener(change);
  }
}
