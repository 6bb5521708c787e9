/**
 * Task claims in Redis, as two processes see them: one owner at a time, renewed and released only by its owner,
 * free again once expired; a Redis that went away is a clear error. Needs Debian's redis-server (see
 * support/redis-server.ts). The takeover of a dead process's task is checked end to end in task-takeover.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Redis } from 'ioredis';
import { connectRedis } from '../../src/host/shared/redis-connection.js';
import { RedisTaskClaims } from '../../src/host/shared/redis-task-claims.js';
import { scaleSuiteRuns, startRedis, type RedisServer } from './support/redis-server.js';

const TTL_MS = 2000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

(scaleSuiteRuns() ? describe : describe.skip)('task claims in Redis', () => {
  let server: RedisServer | undefined;
  let redis: Redis | undefined;
  let a: RedisTaskClaims;
  let b: RedisTaskClaims;

  beforeAll(async () => {
    server = await startRedis();
    redis = await connectRedis(server.url);
    a = new RedisTaskClaims(redis, 'test:task:', 'process-a');
    b = new RedisTaskClaims(redis, 'test:task:', 'process-b');
  }, 30_000);

  afterAll(async () => {
    await redis?.quit();
    await server?.close();
  });

  it('grants a task to one process at a time; the other is refused until the owner releases it', async () => {
    expect(await a.claim('t1', TTL_MS)).toBe(true);
    expect(await b.claim('t1', TTL_MS)).toBe(false);
    expect(await a.claim('t1', TTL_MS)).toBe(false); // a claim is taken once; its owner renews it
    expect(await b.claim('t2', TTL_MS)).toBe(true); // other tasks are free
    await b.release('t1'); // not b's: nothing happens
    expect(await b.claim('t1', TTL_MS)).toBe(false);
    await a.release('t1');
    expect(await b.claim('t1', TTL_MS)).toBe(true);
    expect(await a.renew('t1', TTL_MS)).toBe(false);
    expect(await b.renew('t1', TTL_MS)).toBe(true);
  });

  it('keeps a renewed claim past its first expiry, and frees an unrenewed one for another process', async () => {
    expect(await a.claim('t3', TTL_MS)).toBe(true);
    expect(await a.claim('t4', TTL_MS)).toBe(true);
    for (let i = 0; i < 6; i++) {
      await sleep(TTL_MS / 4);
      expect(await a.renew('t3', TTL_MS)).toBe(true);
    }
    // 1.5 ttl have passed: t4 expired, t3 is still a's.
    expect(await b.claim('t3', TTL_MS)).toBe(false);
    expect(await b.claim('t4', TTL_MS)).toBe(true);
    expect(await a.renew('t4', TTL_MS)).toBe(false);
    await a.release('t4'); // no longer a's: b keeps it
    expect(await a.claim('t4', TTL_MS)).toBe(false);
  });

  it('answers with a clear error while Redis is away, and works again once it is back', async () => {
    const port = Number(new URL(server!.url).port);
    await server!.close();
    server = undefined;
    await expect(a.claim('t5', TTL_MS)).rejects.toThrow(/Redis cannot be reached, so the task cannot be claimed/);
    await expect(a.renew('t3', TTL_MS)).rejects.toThrow(/Redis cannot be reached, so the task's claim cannot be renewed/);
    server = await startRedis(port);
    for (let i = 0; i < 100 && redis!.status !== 'ready'; i++) await sleep(100);
    expect(await a.claim('t5', TTL_MS)).toBe(true);
  }, 30_000);
});
