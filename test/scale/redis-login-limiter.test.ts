/**
 * The login limiter with its counts in Redis answers exactly as the in-process one: the same sequence of attempts
 * (per-address refusal, IPv6 /64, per-username delay, the owner's known addresses, cancelled and successful
 * attempts) gets the same decisions from both. Needs Debian's redis-server (see redis-server.ts). Redis going away
 * while a host runs is checked end to end in redis-two-hosts.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Redis } from 'ioredis';
import { LoginLimiter, type LoginDecision, type LoginGate } from '../../src/host/auth/login-limiter.js';
import { connectRedis } from '../../src/host/shared/redis-connection.js';
import { RedisLoginLimiter } from '../../src/host/shared/redis-login-limiter.js';
import { scaleSuiteRuns, startRedis, type RedisServer } from './support/redis-server.js';

type Outcome = 'fail' | 'succeed' | 'cancel';
interface Step { address: string; username: string; outcome?: Outcome; advanceMs?: number }
type Answer = true | number; // allowed, or refused with Retry-After seconds

const START = Date.UTC(2026, 0, 1);

/** Runs the steps against one limiter on its own clock; an allowed attempt ends as the step says (default: fail). */
async function decisions(makeLimiter: (now: () => number) => LoginGate, steps: Step[]): Promise<Answer[]> {
  let clock = START;
  const limiter = makeLimiter(() => clock);
  const answers: Answer[] = [];
  for (const step of steps) {
    clock += step.advanceMs ?? 0;
    const decision: LoginDecision = await limiter.begin(step.address, step.username);
    if (!decision.allowed) {
      answers.push(decision.retryAfterSec);
      continue;
    }
    answers.push(true);
    if (step.outcome === 'succeed') decision.attempt.succeeded();
    if (step.outcome === 'cancel') decision.attempt.cancelled();
  }
  return answers;
}

const repeat = (count: number, step: (index: number) => Step): Step[] => Array.from({ length: count }, (_, index) => step(index));

const SCENARIOS: Record<string, Step[]> = {
  'per address: refused after five failures until the oldest leaves the window; a success starts afresh': [
    ...repeat(6, () => ({ address: '10.0.0.1', username: 'u1' })),
    { address: '10.0.0.1', username: 'u1', advanceMs: 60_000 },
    { address: '10.0.0.1', username: 'u1', advanceMs: 240_001 },
    ...repeat(3, () => ({ address: '10.0.0.2', username: 'u2' })),
    { address: '10.0.0.2', username: 'u2', outcome: 'succeed' },
    ...repeat(6, () => ({ address: '10.0.0.2', username: 'u3' })),
  ],
  'IPv6 by its /64, IPv4-mapped as IPv4': [
    ...repeat(5, (i) => ({ address: `2001:db8:1:2::${i + 1}`, username: 'v6' })),
    { address: '2001:db8:1:2::99', username: 'v6' },
    { address: '2001:db8:1:3::1', username: 'v6' },
    ...repeat(5, () => ({ address: '::ffff:192.0.2.7', username: 'm' })),
    { address: '192.0.2.7', username: 'm' },
  ],
  'per username: ten free, then a doubling wait, except from the owner\'s known address': [
    { address: '10.9.0.1', username: 'owner', outcome: 'succeed' },
    ...repeat(10, (i) => ({ address: `10.1.0.${i}`, username: 'owner' })),
    { address: '10.1.1.1', username: 'owner' },
    { address: '10.1.1.1', username: 'owner', advanceMs: 1001 },
    { address: '10.1.1.2', username: 'owner', advanceMs: 1000 },
    { address: '10.1.1.2', username: 'owner', advanceMs: 1001 },
    { address: '10.9.0.1', username: 'owner', outcome: 'succeed' },
  ],
  'a cancelled attempt does not count': [
    ...repeat(8, () => ({ address: '10.5.0.1', username: 'c', outcome: 'cancel' as const })),
    ...repeat(6, () => ({ address: '10.5.0.1', username: 'c' })),
  ],
};

(scaleSuiteRuns() ? describe : describe.skip)('the login limiter in Redis', () => {
  let server: RedisServer | undefined;
  let redis: Redis | undefined;

  beforeAll(async () => {
    server = await startRedis();
    redis = await connectRedis(server.url);
  }, 30_000);

  afterAll(async () => {
    await redis?.quit();
    await server?.close();
  });

  it.each(Object.entries(SCENARIOS))('answers as the in-process limiter: %s', async (name, steps) => {
    const alone = await decisions((now) => new LoginLimiter(now), steps);
    const shared = await decisions((now) => new RedisLoginLimiter(redis!, `test:${name}:`, now), steps);
    expect(shared).toEqual(alone);
    expect(alone.some((answer) => answer !== true)).toBe(true); // every scenario reaches a refusal
  });
});
