/**
 * Picking sessions through the host's admin API, against the real host and the emulator: the folder appears once
 * picked, its items stream through the proxy with the bearer header, errors carry their code and hint, a restart
 * keeps the session, delete ends it at Google, expiry.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  expectOk, leakedSecrets, pickedOriginals, startPickerHarness, type PickedOriginal, type PickerHarness,
} from './support/picker-setup.js';

const PICKED_FOLDER = 'Picked from Google Photos';
const LIBRARY_SCOPES = [
  'https://www.googleapis.com/auth/photoslibrary.appendonly',
  'https://www.googleapis.com/auth/photoslibrary.readonly.appcreateddata',
  'https://www.googleapis.com/auth/photoslibrary.edit.appcreateddata',
];

let h: PickerHarness;
let storageId: number;

interface Created { session_id: string; picker_uri: string; poll_interval_ms: number; timeout_ms: number; expire_time: string; folder_path: string }
interface Polled { session_id: string; media_items_set: boolean; item_count: number; expire_time: string; folder_path: string }

async function createSession(label?: string, id = storageId): Promise<Created> {
  return expectOk(await h.client.post<Created>('/api/admin/google/picker/create', { storage_id: id, ...(label ? { label } : {}) }));
}

async function poll(sessionId: string): Promise<Polled> {
  return expectOk(await h.client.get<Polled>(`/api/admin/google/picker/get?storage_id=${storageId}&session_id=${encodeURIComponent(sessionId)}`));
}

/** The test control a browser test's Done stands for, over HTTP. */
async function pickOverHttp(sessionId: string, mediaItemIds: string[]): Promise<void> {
  const response = await fetch(`${h.emulator.url}/emulator/picker/sessions/${sessionId}/pick`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ mediaItemIds }),
  });
  expect(response.status).toBeLessThan(300);
}

function pickableIds(count: number, offset = 0): string[] {
  return h.emulator.snapshot().mediaItems.filter((item) => item.clientId === null && item.mimeType.startsWith('image/')).slice(offset, offset + count).map((item) => item.id);
}

function list(path: string) {
  return h.client.post<{ content: Array<{ id?: string; name: string; is_dir: boolean; expires_at?: string; description?: string; created: string }> }>('/api/fs/list', { path });
}

function encodePath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

beforeAll(async () => {
  h = await startPickerHarness();
  storageId = await h.addGooglePhotos('/photos');
});

afterAll(async () => {
  await h?.close();
});

describe('a picking session', () => {
  let created: Created;
  let picked: string[];
  let folderPath: string;
  let originals: PickedOriginal[];

  it('is created with the picker address, polling advice and the folder it will show in', async () => {
    created = await createSession();
    expect(created.picker_uri.startsWith(`${h.emulator.url}/picker/`)).toBe(true);
    expect(created.poll_interval_ms).toBe(1000);
    expect(created.timeout_ms).toBeGreaterThan(0);
    expect(Date.parse(created.expire_time)).toBeGreaterThan(h.clock.now);
    expect(created.folder_path.startsWith(`/photos/${PICKED_FOLDER}/`)).toBe(true);
    expect((await list(`/photos/${PICKED_FOLDER}`)).data.content.map((item) => item.name)).toContain(created.folder_path.split('/').pop());
  });

  it('answers PICKER_NOT_READY with a hint while the user is still picking', async () => {
    expect((await poll(created.session_id)).media_items_set).toBe(false);
    const answer = await list(created.folder_path);
    expect(answer.code).not.toBe(200);
    expect(answer.error?.code).toBe('PICKER_NOT_READY');
    expect(answer.error?.hint).toMatch(/Done/);
    const keep = await h.client.post('/api/admin/google/picker/keep', { storage_id: storageId, session_id: created.session_id });
    expect(keep.error?.code).toBe('PICKER_NOT_READY');
    expect(keep.error?.hint).toBeTruthy();
  });

  it('shows the picked items in its folder once the user pressed Done', async () => {
    picked = pickableIds(3);
    await pickOverHttp(created.session_id, picked);
    const state = await poll(created.session_id);
    expect(state.media_items_set).toBe(true);
    expect(state.item_count).toBe(3);
    folderPath = state.folder_path;
    expect(folderPath).toMatch(new RegExp(`^/photos/${PICKED_FOLDER}/\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d \\(3 items\\)$`));

    const sessions = expectOk(await list(`/photos/${PICKED_FOLDER}`)).content;
    const folder = sessions.find((item) => item.name === folderPath.split('/').pop())!;
    expect(folder.is_dir).toBe(true);
    expect(folder.expires_at).toBe(new Date(created.expire_time).toISOString());
    expect(folder.description).toMatch(/^3 items · expires /);
    // The UI offers Keep and Delete on any session folder, whichever browser or CLI created it: it needs the id.
    expect(folder.id).toBe(`picked:${created.session_id}`);

    const snapshot = h.emulator.snapshot().mediaItems;
    const expected = picked.map((id) => snapshot.find((item) => item.id === id)!.filename);
    const items = expectOk(await list(folderPath)).content;
    expect(items.map((item) => item.name).sort()).toEqual([...expected].sort());
    for (const item of items) expect(item.expires_at).toBe(new Date(created.expire_time).toISOString());
    originals = await pickedOriginals(h, created.session_id);
  });

  it('streams a picked item through /p/ and /d/ with the bearer header, whole and by Range, never redirecting', async () => {
    const original = originals[0]!;
    const filePath = encodePath(`${folderPath}/${original.filename}`);
    const whole = await h.client.request(`/p${filePath}`);
    expect(whole.response.status).toBe(200);
    const bytes = Buffer.from(await (await fetch(`${h.host.url}/p${filePath}`, { headers: { authorization: h.client.token } })).arrayBuffer());
    expect(bytes.subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
    expect(bytes.equals(original.bytes)).toBe(true);

    const download = await fetch(`${h.host.url}/d${filePath}`, { headers: { authorization: h.client.token }, redirect: 'manual' });
    expect(download.status).toBe(200);
    expect(download.headers.get('content-disposition')).toMatch(/^attachment/);
    expect(Buffer.from(await download.arrayBuffer()).equals(original.bytes)).toBe(true);

    const ranged = await fetch(`${h.host.url}/d${filePath}`, { headers: { authorization: h.client.token, range: 'bytes=100-299' }, redirect: 'manual' });
    expect(ranged.status).toBe(206);
    expect(ranged.headers.get('content-range')).toBe(`bytes 100-299/${original.bytes.length}`);
    expect(Buffer.from(await ranged.arrayBuffer()).equals(original.bytes.subarray(100, 300))).toBe(true);

    const head = await fetch(`${h.host.url}/d${filePath}`, { method: 'HEAD', headers: { authorization: h.client.token }, redirect: 'manual' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(String(original.bytes.length));
  });

  it('stays listed after a restart of the server', async () => {
    await h.stop();
    await h.start();
    const items = expectOk(await list(folderPath)).content;
    expect(items.map((item) => item.name).sort()).toEqual(originals.map((original) => original.filename).sort());
    const state = await poll(created.session_id);
    expect(state.media_items_set).toBe(true);
    expect(state.folder_path).toBe(folderPath);
  });

  it('is deleted at Google and from the listing', async () => {
    h.emulator.resetCounts();
    expectOk(await h.client.post('/api/admin/google/picker/delete', { storage_id: storageId, session_id: created.session_id }));
    const deletes = Object.entries(h.emulator.requestCounts()).filter(([key]) => key.startsWith('DELETE /photospicker/v1/sessions'));
    expect(deletes.map(([, count]) => count)).toEqual([1]);
    const names = expectOk(await list(`/photos/${PICKED_FOLDER}`)).content.map((item) => item.name);
    expect(names).not.toContain(folderPath.split('/').pop());
    expect((await list(folderPath)).error?.code).toBe('NOT_FOUND');
  });
});

describe('labels', () => {
  it('name the folder', async () => {
    const created = await createSession('Beach 2019');
    expect(created.folder_path).toBe(`/photos/${PICKED_FOLDER}/Beach 2019`);
    h.emulator.pick(created.session_id, pickableIds(2, 3));
    expect((await poll(created.session_id)).folder_path).toBe(`/photos/${PICKED_FOLDER}/Beach 2019`);
    expect(expectOk(await list(`/photos/${PICKED_FOLDER}/Beach 2019`)).content).toHaveLength(2);
  });
});

describe('errors', () => {
  it('answers INSUFFICIENT_SCOPES naming photospicker.mediaitems.readonly for a token without the picker scope', async () => {
    const narrow = await h.addGooglePhotos('/library-only', LIBRARY_SCOPES);
    const answer = await h.client.post('/api/admin/google/picker/create', { storage_id: narrow });
    expect(answer.error?.code).toBe('INSUFFICIENT_SCOPES');
    expect(`${answer.message} ${answer.error?.hint}`).toContain('photospicker.mediaitems.readonly');
  });

  it('answers API_DISABLED naming the Picker API and where to enable it', async () => {
    h.emulator.setApiEnabled('photospicker', false);
    try {
      const answer = await h.client.post('/api/admin/google/picker/create', { storage_id: storageId });
      expect(answer.error?.code).toBe('API_DISABLED');
      expect(`${answer.message} ${answer.error?.hint}`).toMatch(/Picker/);
      expect(`${answer.message} ${answer.error?.hint}`).toContain('photospicker.googleapis.com');
    } finally {
      h.emulator.setApiEnabled('photospicker', true);
    }
  });

  it('refuses unknown storages, storages that cannot pick, and missing fields', async () => {
    expect((await h.client.post('/api/admin/google/picker/create', { storage_id: 9999 })).code).toBe(404);
    expect((await h.client.get(`/api/admin/google/picker/get?storage_id=${storageId}`)).code).toBe(400);
    expect((await h.client.post('/api/admin/google/picker/create', { storage_id: storageId, label: 5 })).code).toBe(400);
    const noToken = await h.client.post('/api/admin/google/picker/create', { storage_id: storageId }, '');
    expect(noToken.code).toBe(401);
  });

  it('answers 404 naming the session for a session id the storage does not know, on get, keep and delete', async () => {
    const unknown = 'aaaaaaaa-0000-4000-8000-000000000000';
    const get = await h.client.get(`/api/admin/google/picker/get?storage_id=${storageId}&session_id=${unknown}`);
    const keep = await h.client.post('/api/admin/google/picker/keep', { storage_id: storageId, session_id: unknown });
    const del = await h.client.post('/api/admin/google/picker/delete', { storage_id: storageId, session_id: unknown });
    for (const answer of [get, keep, del]) {
      expect(answer).toMatchObject({ code: 404, data: null });
      expect(answer.message).toContain(unknown);
      expect(answer.message).toMatch(/no picking session/i);
    }
  });
});

describe('expiry', () => {
  it('answers PICKER_SESSION_EXPIRED after expireTime, and the folder stays listed as expired', async () => {
    const created = await createSession('Short-lived');
    h.emulator.pick(created.session_id, pickableIds(1));
    expect((await poll(created.session_id)).item_count).toBe(1);
    h.clock.now = Date.parse(created.expire_time) + 1000;
    const state = await h.client.get(`/api/admin/google/picker/get?storage_id=${storageId}&session_id=${created.session_id}`);
    expect(state.error?.code).toBe('PICKER_SESSION_EXPIRED');
    expect(state.error?.hint).toBeTruthy();
    const listing = await list(`/photos/${PICKED_FOLDER}/Short-lived`);
    expect(listing.error?.code).toBe('PICKER_SESSION_EXPIRED');
    const folder = expectOk(await list(`/photos/${PICKED_FOLDER}`)).content.find((item) => item.name === 'Short-lived');
    expect(folder?.description).toBe('expired');
  });
});

describe('secrets', () => {
  it('never appear in any answer fetched in this file', () => {
    expect(h.bodies().length).toBeGreaterThan(10);
    expect(leakedSecrets(h.bodies(), h.secrets)).toEqual([]);
  });
});


