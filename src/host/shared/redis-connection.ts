import { Redis } from 'ioredis';
import { urlWithoutPassword } from '../shown-url.js';

/** The URL as it may be shown: without its password. */
export function shownRedisUrl(url: string): string {
  return urlWithoutPassword(url, 'the given REDIS_URL');
}

/**
 * Connects and checks with a PING. Unreachable at start: rejects with a clear error (no retry loop); once
 * connected, a lost connection is retried on its own and commands wait for it a little.
 */
export async function connectRedis(url: string): Promise<Redis> {
  if (!/^rediss?:\/\//.test(url)) throw new Error(`REDIS_URL must start with redis:// or rediss://, not "${shownRedisUrl(url)}"`);
  let connected = false;
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 5000,
    maxRetriesPerRequest: 3,
    retryStrategy: (times) => (connected ? Math.min(times * 200, 2000) : null),
  });
  // Without a listener ioredis prints every connection error itself; failures surface on the commands instead.
  let lastError: Error | undefined;
  redis.on('error', (error: Error) => { lastError = error; });
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    redis.disconnect();
    // connect() only says "Connection is closed."; the error event said why (e.g. ECONNREFUSED).
    const cause = lastError ?? error;
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new Error(`Redis at ${shownRedisUrl(url)} cannot be reached (${reason}): start it, or unset REDIS_URL to run a single process`);
  }
  connected = true;
  return redis;
}
