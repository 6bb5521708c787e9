import { InProcessCoordination, type Coordination } from './coordination.js';
import { RedisCoordination } from './redis-coordination.js';

/** Redis when a URL is given (rejects when it cannot be reached), else the in-process default. */
export async function openCoordination(redisUrl: string | undefined): Promise<Coordination> {
  return redisUrl ? RedisCoordination.connect(redisUrl) : new InProcessCoordination();
}
