/**
 * Task managers of two "processes" over one database, claiming through a shared registry (as Redis would): a task
 * runs in one of them only; a run whose claim passed to another process stops without writing an end; a task
 * whose holder vanished is taken over, resumed, and finished there; a closed manager gives its claims up.
 * The same with real processes and Redis: test/scale/task-takeover.test.ts.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { rmSync } from 'node:fs';
import { main as serve } from '../../src/host/cli/serve.js';
import { createHost } from '../../src/host/index.js';
import { openDatabase, type HostDatabase } from '../../src/host/state/database.js';
import type { TaskClaims } from '../../src/host/tasks/task-claims.js';
import { TaskManager, type TaskRun } from '../../src/host/tasks/task-manager.js';
import { TaskState } from '../../src/host/tasks/task-state.js';
import { TaskStore } from '../../src/host/tasks/task-store.js';
import { makeDataDir } from './support/host-setup.js';

const TTL_MS = 1000;
const LIMIT_MS = 10_000;

/** Claims of one process in a registry every process shares (task id -> owner); no expiry: tests take claims away. */
function claimsOf(owner: string, registry: Map<string, string>): TaskClaims {
  return {
    shared: true,
    claim: async (id) => {
      if (registry.has(id)) return false;
      registry.set(id, owner);
      return true;
    },
    renew: async (id) => registry.get(id) === owner,
    release: async (id) => {
      if (registry.get(id) === owner) registry.delete(id);
    },
  };
}

interface Started { owner: string; resumed: boolean; finish: () => void; stopped: Promise<unknown> }

async function eventually(what: string, holds: () => boolean | Promise<boolean>): Promise<void> {
  const deadline = Date.now() + LIMIT_MS;
  while (!(await holds())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${LIMIT_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('task managers sharing their tasks', () => {
  let dataDir: string;
  let db: HostDatabase;
  let store: TaskStore;
  let registry: Map<string, string>;
  let started: Started[];
  let managers: Array<TaskManager<{ n: number }>>;

  /** One process's manager of `copy` tasks that wait until the test finishes them. */
  function manager(owner: string): TaskManager<{ n: number }> {
    const run = (task: TaskRun<{ n: number }>) => new Promise<void>((resolve, reject) => {
      const stopped = new Promise((settle) => task.signal.addEventListener('abort', () => settle(task.signal.reason)));
      started.push({ owner, resumed: task.resumed, finish: resolve, stopped });
      task.signal.addEventListener('abort', () => reject(task.signal.reason as Error));
    });
    const made = new TaskManager<{ n: number }>('copy', store, { run }, { concurrency: 2, now: Date.now, claims: { claims: claimsOf(owner, registry), ttlMs: TTL_MS } });
    void made.resume();
    managers.push(made);
    return made;
  }

  beforeEach(async () => {
    dataDir = makeDataDir();
    db = await openDatabase({ dataDir });
    store = new TaskStore(db);
    registry = new Map();
    started = [];
    managers = [];
  });

  afterEach(async () => {
    await Promise.all(managers.map((made) => made.close()));
    await db.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('runs a task in one process only, and frees its claim when it ends', async () => {
    const a = manager('a');
    const b = manager('b');
    const { id } = await a.add('copy one', { n: 1 });
    await eventually('the task started', () => started.length > 0);
    // Several of B's sweeps (every ttl/2) and heartbeats pass.
    await new Promise((resolve) => setTimeout(resolve, TTL_MS * 2));
    expect(started.map((run) => run.owner)).toEqual(['a']);
    expect(registry.get(id)).toBe('a');
    started[0]!.finish();
    await eventually('the task succeeded', async () => (await b.info(id))?.state === TaskState.Succeeded);
    await eventually('the claim was released', () => !registry.has(id));
    expect(started).toHaveLength(1);
  });

  it('stops a run whose claim passed to another process, leaving its state to that process', async () => {
    const a = manager('a');
    const { id } = await a.add('copy two', { n: 2 });
    await eventually('the task started', () => started.length > 0);
    registry.set(id, 'someone else');
    expect(String(await started[0]!.stopped)).toMatch(/another process took the task over/);
    await eventually('A no longer runs it', async () => (await a.undone()).length === 1 && (await store.get(id))!.state === TaskState.Running);
    const row = (await store.get(id))!;
    expect({ state: row.state, end_time: row.end_time, error: row.error }).toEqual({ state: TaskState.Running, end_time: null, error: '' });
    expect(registry.get(id)).toBe('someone else');
  });

  it('takes over, resumed, a task whose process stopped, and finishes it', async () => {
    const a = manager('a');
    const { id } = await a.add('copy three', { n: 3 });
    await eventually('the task started', () => started.length > 0);
    await a.close(); // as a process that stops: its claim is given up at once
    expect(registry.has(id)).toBe(false);
    expect((await store.get(id))!.state).toBe(TaskState.Running);
    const b = manager('b');
    await eventually('B took the task over', () => started.length === 2);
    expect(started[1]).toMatchObject({ owner: 'b', resumed: true });
    started[1]!.finish();
    await eventually('the task succeeded', async () => (await b.info(id))?.state === TaskState.Succeeded);
    expect(registry.has(id)).toBe(false);
  });

  it('ends as cancelled, in the process running it, a task cancelled through another', async () => {
    const a = manager('a');
    const b = manager('b');
    const { id } = await a.add('copy four', { n: 4 });
    await eventually('the task started', () => started.length > 0);
    await b.cancel(id);
    expect(String(await started[0]!.stopped)).toMatch(/cancelled/);
    await eventually('the task was cancelled', async () => (await b.info(id))?.state === TaskState.Canceled);
    expect(started).toHaveLength(1);
  });
});

describe('the claim length', () => {
  it('refuses one too short, with a clear error, from the command line and from code', async () => {
    const dataDir = makeDataDir();
    const saved = process.env.TASK_CLAIM_TTL_MS;
    try {
      process.env.TASK_CLAIM_TTL_MS = '500';
      await expect(serve(['--port', '0', '--data', dataDir])).rejects.toThrow('TASK_CLAIM_TTL_MS must be a whole number of milliseconds, at least 1000, not "500"');
      delete process.env.TASK_CLAIM_TTL_MS;
      await expect(createHost({ dataDir, port: 0, demo: false, taskClaimTtlMs: 10 })).rejects.toThrow(/A task claim must last .* at least 1000, not 10/);
    } finally {
      if (saved === undefined) delete process.env.TASK_CLAIM_TTL_MS;
      else process.env.TASK_CLAIM_TTL_MS = saved;
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
