/**
 * Keeping a picked session: the copy runs in the background with progress, lands under <data>/kept with the
 * original bytes and capture times, is browsable and downloadable through /kept (from disk, with Range), and
 * outlives the session's expiry and a restart.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import {
  expectOk, leakedSecrets, pickedOriginals, startPickerHarness, waitFor, type PickedOriginal, type PickerHarness,
} from './support/picker-setup.js';

interface Job {
  id: string; storage_id: number; session_id: string; target: string; status: 'running' | 'done' | 'failed';
  progress: { total: number; done: number; skipped: number; failed: number; bytes: number; current?: string };
  error?: string; started_at: string; finished_at?: string;
}

let h: PickerHarness;
let storageId: number;
let sessionId: string;
let folderPath: string;
let originals: PickedOriginal[];
let job: Job;

async function jobs(): Promise<Job[]> {
  return expectOk(await h.client.get<Job[]>('/api/admin/keep/jobs'));
}

async function finished(jobId: string): Promise<Job> {
  const all = await waitFor(jobs, (list) => list.some((candidate) => candidate.id === jobId && candidate.status !== 'running'));
  return all.find((candidate) => candidate.id === jobId)!;
}

function keep(body: Record<string, unknown>) {
  return h.client.post<{ job_id: string }>('/api/admin/google/picker/keep', { storage_id: storageId, session_id: sessionId, ...body });
}

function download(route: 'd' | 'p', filePath: string, headers: Record<string, string> = {}, method = 'GET') {
  const encoded = filePath.split('/').map(encodeURIComponent).join('/');
  return fetch(`${h.host.url}/${route}${encoded}`, { method, headers: { authorization: h.client.token, ...headers }, redirect: 'manual' });
}

beforeAll(async () => {
  h = await startPickerHarness();
  storageId = await h.addGooglePhotos('/photos');
  const created = expectOk(await h.client.post<{ session_id: string }>('/api/admin/google/picker/create', { storage_id: storageId, label: 'Trip' }));
  sessionId = created.session_id;
  const ids = h.emulator.snapshot().mediaItems.filter((item) => item.clientId === null).slice(0, 4).map((item) => item.id);
  h.emulator.pick(sessionId, ids);
  folderPath = expectOk(await h.client.get<{ folder_path: string }>(`/api/admin/google/picker/get?storage_id=${storageId}&session_id=${sessionId}`)).folder_path;
  originals = await pickedOriginals(h, sessionId);
});

afterAll(async () => {
  await h?.close();
});

describe('keeping a picked session', () => {
  it('runs one job per session in the background and reports its progress until done', async () => {
    // Slow answers keep the first job running while the second request arrives.
    h.emulator.setFaults({ latencyMs: 150 });
    h.emulator.resetCounts();
    let ids: string[];
    try {
      const answers = await Promise.all([keep({}), keep({})]);
      ids = answers.map((answer) => expectOk(answer).job_id);
      expect(ids[1]).toBe(ids[0]);
      const running = (await jobs()).find((candidate) => candidate.id === ids[0])!;
      expect(running.status).toBe('running');
      expect(running.target).toBe('/kept/photos/Trip');
    } finally {
      h.emulator.setFaults({ latencyMs: 0 });
    }
    job = await finished(ids[0]!);
    expect(job).toMatchObject({ storage_id: storageId, session_id: sessionId, status: 'done', target: '/kept/photos/Trip' });
    expect(job.progress).toMatchObject({ total: 4, done: 4, skipped: 0, failed: 0 });
    expect(job.progress.bytes).toBe(originals.reduce((sum, original) => sum + original.bytes.length, 0));
    expect(job.finished_at).toBeTruthy();
    expect(h.emulator.requestCounts()['GET /media']).toBe(4);
  });

  it('leaves the original bytes under <data>/kept (private to the server user) with each capture time as the file time, and no temp file', () => {
    expect(statSync(path.join(h.dataDir, 'kept')).mode & 0o777).toBe(0o700);
    const dir = path.join(h.dataDir, 'kept', 'photos', 'Trip');
    expect(readdirSync(dir).sort()).toEqual(originals.map((original) => original.filename).sort());
    for (const original of originals) {
      const file = path.join(dir, original.filename);
      expect(readFileSync(file).equals(original.bytes)).toBe(true);
      expect(Math.floor(statSync(file).mtimeMs / 1000)).toBe(Math.floor(Date.parse(original.createTime) / 1000));
    }
  });

  it('mounts the kept copies at /kept, shown with its remark', async () => {
    const root = expectOk(await h.client.post<{ content: Array<{ name: string; remark?: string }> }>('/api/fs/list', { path: '/' })).content;
    expect(root.find((item) => item.name === 'kept')?.remark).toBe('Kept copies of picked photos');
    expect(await h.client.names('/kept')).toEqual(['photos']);
    expect((await h.client.names('/kept/photos/Trip')).sort()).toEqual(originals.map((original) => original.filename).sort());
    const storages = expectOk(await h.client.get<{ content: Array<{ mount_path: string; driver: string; status: string }> }>('/api/admin/storage/list'));
    expect(storages.content.find((storage) => storage.mount_path === '/kept')).toMatchObject({ driver: 'Local', status: 'work' });
  });

  it('serves kept files from disk through /d/ and /p/, with Range, HEAD, type and time', async () => {
    const original = originals[0]!;
    const filePath = `/kept/photos/Trip/${original.filename}`;
    const whole = await download('d', filePath);
    expect(whole.status).toBe(200);
    expect(Buffer.from(await whole.arrayBuffer()).equals(original.bytes)).toBe(true);
    const ranged = await download('p', filePath, { range: 'bytes=5-104' });
    expect(ranged.status).toBe(206);
    expect(ranged.headers.get('content-range')).toBe(`bytes 5-104/${original.bytes.length}`);
    expect(Buffer.from(await ranged.arrayBuffer()).equals(original.bytes.subarray(5, 105))).toBe(true);
    const head = await download('d', filePath, {}, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.headers.get('content-type')).toBe('image/jpeg');
    expect(head.headers.get('content-length')).toBe(String(original.bytes.length));
    expect(Date.parse(head.headers.get('last-modified')!)).toBe(Math.floor(Date.parse(original.createTime) / 1000) * 1000);
    const unsatisfiable = await download('p', filePath, { range: `bytes=${original.bytes.length + 10}-` });
    expect(unsatisfiable.status).toBe(416);
  });

  it('skips files already kept when run again', async () => {
    h.emulator.resetCounts();
    const again = await finished(expectOk(await keep({})).job_id);
    expect(again.id).not.toBe(job.id);
    expect(again.progress).toMatchObject({ total: 4, done: 0, skipped: 4, failed: 0, bytes: 0 });
    expect(h.emulator.requestCounts()['GET /media']).toBeUndefined();
  });

  it('keeps into another mounted folder that accepts files, and refuses one that does not', async () => {
    const target = await h.client.post('/api/admin/google/picker/keep', { storage_id: storageId, session_id: sessionId, target_path: '/kept' });
    const elsewhere = await finished(expectOk(target).job_id);
    expect(elsewhere).toMatchObject({ status: 'done', target: '/kept' });
    expect(elsewhere.progress.done).toBe(4);
    expect((await h.client.names('/kept')).sort()).toEqual([...originals.map((original) => original.filename), 'photos'].sort());
    const readOnly = await keep({ target_path: '/photos' });
    expect(readOnly.code).toBe(400);
    const nowhere = await keep({ target_path: '/no/such/place' });
    expect(nowhere.code).toBe(404);
  });

  it('still serves the kept copies after the session expired, and lists finished jobs after a restart', async () => {
    const expireTime = expectOk(await h.client.get<{ expire_time: string }>(`/api/admin/google/picker/get?storage_id=${storageId}&session_id=${sessionId}`)).expire_time;
    h.clock.now = Date.parse(expireTime) + 1000;
    expect((await h.client.post('/api/fs/list', { path: folderPath })).error?.code).toBe('PICKER_SESSION_EXPIRED');
    expect((await keep({})).error?.code).toBe('PICKER_SESSION_EXPIRED');
    await h.stop();
    await h.start();
    const original = originals[1]!;
    const served = await download('p', `/kept/photos/Trip/${original.filename}`);
    expect(Buffer.from(await served.arrayBuffer()).equals(original.bytes)).toBe(true);
    const listed = await jobs();
    expect(listed.find((candidate) => candidate.id === job.id)).toMatchObject({ status: 'done', progress: { total: 4, done: 4 } });
  });

  it('never shows a secret in any answer', () => {
    expect(leakedSecrets(h.bodies(), h.secrets)).toEqual([]);
  });
});
