/**
 * A keep job survives a kill: the server runs as a child process (the built dist/, made once by `npm run build`
 * in beforeAll), is SIGKILLed in the middle of keeping a session, and the job goes on by itself in a new server,
 * finishing the copy without fetching the files that were already complete, and without leaving a temp file behind.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { HostClient } from './support/host-client.js';
import {
  expectOk, leakedSecrets, pickedOriginals, PICKER_ADMIN_PASSWORD, startPickerHarness, waitFor, type PickedOriginal, type PickerHarness,
} from './support/picker-setup.js';
import { buildDist, spawnServe } from './support/serve-process.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PICKED = 6;

interface Job {
  id: string; status: string; error?: string;
  progress: { total: number; done: number; skipped: number; failed: number };
}

let h: PickerHarness;
let storageId: number;
let sessionId: string;
let originals: PickedOriginal[];
let child: ChildProcess | undefined;
const childBodies: string[] = [];

/** Starts `node dist/cli.js serve` on the harness's data folder; resolves with its URL once it listens. */
function startChildServer(): Promise<string> {
  const serve = spawnServe(ROOT, h.dataDir, PICKER_ADMIN_PASSWORD);
  child = serve.child;
  return serve.url;
}

function keptDir(): string {
  return path.join(h.dataDir, 'kept', 'photos', 'Kill test');
}

beforeAll(async () => {
  // The child server runs the built package.
  await buildDist(ROOT, 'dist/host/picker/keep-jobs.js');
  h = await startPickerHarness();
  storageId = await h.addGooglePhotos('/photos');
  sessionId = expectOk(await h.client.post<{ session_id: string }>('/api/admin/google/picker/create', { storage_id: storageId, label: 'Kill test' })).session_id;
  const ids = h.emulator.snapshot().mediaItems.filter((item) => item.clientId === null).slice(0, PICKED).map((item) => item.id);
  h.emulator.pick(sessionId, ids);
  expectOk(await h.client.get(`/api/admin/google/picker/get?storage_id=${storageId}&session_id=${sessionId}`));
  originals = await pickedOriginals(h, sessionId);
  await h.stop();
}, 150_000);

afterAll(async () => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await h?.close();
});

describe('a keep job killed midway', () => {
  let keptBeforeResume: string[];
  let killedJobId: string;

  it('leaves only complete files when the server is killed during the copy', async () => {
    const url = await startChildServer();
    const client = new HostClient(url);
    await client.login('admin', PICKER_ADMIN_PASSWORD);
    // Every emulator answer takes a while: the kill lands while a file is still being fetched.
    h.emulator.setFaults({ latencyMs: 300 });
    try {
      const jobId = expectOk(await client.post<{ job_id: string }>('/api/admin/google/picker/keep', { storage_id: storageId, session_id: sessionId })).job_id;
      killedJobId = jobId;
      await waitFor(
        async () => expectOk(await client.get<Job[]>('/api/admin/keep/jobs')).find((job) => job.id === jobId)!,
        (job) => job.progress.done >= 2,
      );
      const exited = new Promise((resolve) => child!.once('exit', resolve));
      child!.kill('SIGKILL');
      await exited;
    } finally {
      h.emulator.setFaults({ latencyMs: 0 });
      childBodies.push(...client.seenBodies);
    }
    keptBeforeResume = readdirSync(keptDir()).filter((name) => !name.endsWith('.partial'));
    expect(keptBeforeResume.length).toBeGreaterThanOrEqual(2);
    expect(keptBeforeResume.length).toBeLessThan(PICKED);
    for (const name of keptBeforeResume) {
      expect(readFileSync(path.join(keptDir(), name)).equals(originals.find((original) => original.filename === name)!.bytes)).toBe(true);
    }
  });

  it('goes on by itself after a restart: the rest is copied, complete files are not fetched again, no temp file is left', async () => {
    h.emulator.resetCounts();
    await h.start();
    const all = await waitFor(
      async () => expectOk(await h.client.get<Job[]>('/api/admin/keep/jobs')),
      (jobs) => jobs.some((job) => job.id === killedJobId && job.status !== 'running'),
    );
    const job = all.find((candidate) => candidate.id === killedJobId)!;
    const remaining = PICKED - keptBeforeResume.length;
    expect(job).toMatchObject({ status: 'done', progress: { total: PICKED, skipped: keptBeforeResume.length, done: remaining, failed: 0 } });
    expect(h.emulator.requestCounts()['GET /media']).toBe(remaining);

    const entries = readdirSync(keptDir());
    expect(entries.sort()).toEqual(originals.map((original) => original.filename).sort());
    for (const original of originals) expect(readFileSync(path.join(keptDir(), original.filename)).equals(original.bytes)).toBe(true);
    expect((await h.client.names('/kept/photos/Kill test')).sort()).toEqual(entries);
  });

  it('never shows a secret in any answer', () => {
    expect(leakedSecrets([...childBodies, ...h.bodies()], h.secrets)).toEqual([]);
  });
});
