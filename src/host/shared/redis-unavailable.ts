import { DriverError } from '../../types/errors.js';

/**
 * A Redis command failed while the host runs (connection lost, retries exhausted): the request gets this clear
 * error instead of a crash. ioredis's errors never carry a command's arguments, so the reason holds no secret.
 */
export class RedisUnavailableError extends DriverError {
  constructor(consequence: string, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super('UPSTREAM_UNAVAILABLE', `Redis cannot be reached, so ${consequence} (${reason})`, {
      hint: 'Bring Redis (REDIS_URL) back: requests work again by themselves once it answers.',
    });
  }
}
