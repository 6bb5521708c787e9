import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { accessToken, call, SCOPES, startTestEmulator, type TestEmulator } from './emulator-client.js';
import { PickedMediaItem, PickingSession, RpcStatus } from './shapes.js';

describe('emulator Picker API', () => {
  let t: TestEmulator;
  let token: string;
  let picker: string;
  beforeAll(async () => {
    t = await startTestEmulator({ items: 8, albums: 2, pickableOnlyItems: 12 });
    picker = t.emu.endpoints.picker;
  });
  // A fresh token per test: one test moves the clock past the token's lifetime.
  beforeEach(async () => { token = await accessToken(t.emu, { scopes: [SCOPES.picker] }); });
  afterAll(async () => { await t.emu.close(); });

  it('create, FAILED_PRECONDITION before picking, pick via the HTTP control, list the picked items, delete', async () => {
    const created = await call(`${picker}/sessions`, token, { method: 'POST' });
    expect(created.status).toBe(200);
    const session = PickingSession.parse(created.body);
    expect(session.mediaItemsSet).toBe(false);
    expect(session.pickerUri).toBe(`${t.emu.url}/picker/${session.id}`);
    expect(Date.parse(session.expireTime)).toBe(t.clock.now + 3600_000);

    const early = await call(`${picker}/mediaItems?sessionId=${session.id}`, token);
    expect(early.status).toBe(400);
    expect(RpcStatus.parse(early.body).error).toEqual({
      code: 400, message: 'The user has not finished picking media items.', status: 'FAILED_PRECONDITION',
    });

    const older = t.emu.snapshot().mediaItems.filter((i) => i.clientId === null).slice(0, 3).map((i) => i.id);
    const pick = await fetch(`${t.emu.url}/emulator/picker/sessions/${session.id}/pick`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ mediaItemIds: older }),
    });
    expect(pick.status).toBe(200);
    expect((await call(`${picker}/sessions/${session.id}`, token)).body.mediaItemsSet).toBe(true);

    const page1 = await call(`${picker}/mediaItems?sessionId=${session.id}&pageSize=2`, token);
    expect(page1.status).toBe(200);
    const page2 = await call(`${picker}/mediaItems?sessionId=${session.id}&pageSize=2&pageToken=${page1.body.nextPageToken}`, token);
    const picked = [...page1.body.mediaItems, ...page2.body.mediaItems].map((i) => PickedMediaItem.parse(i));
    expect(picked.map((i) => i.id)).toEqual(older);
    expect(typeof picked[0]!.mediaFile.mediaFileMetadata.width).toBe('number');
    expect(page2.body.nextPageToken).toBeUndefined();
    expect((await call(`${picker}/mediaItems?sessionId=${session.id}&pageSize=101`, token)).status).toBe(200);

    expect((await call(`${picker}/sessions/${session.id}`, token, { method: 'DELETE' })).status).toBe(200);
    expect((await call(`${picker}/sessions/${session.id}`, token)).status).toBe(404);
  });

  it('picked bytes need the bearer token with the picker scope', async () => {
    const session = (await call(`${picker}/sessions`, token, { method: 'POST' })).body;
    t.emu.pick(session.id);
    const [item] = (await call(`${picker}/mediaItems?sessionId=${session.id}`, token)).body.mediaItems;
    const url = `${item.mediaFile.baseUrl}=d`;
    expect((await fetch(url)).status).toBe(403);
    const libraryOnly = await accessToken(t.emu, { scopes: [SCOPES.readAppCreated] });
    expect((await fetch(url, { headers: { authorization: `Bearer ${libraryOnly}` } })).status).toBe(403);
    const ok = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toBe('image/jpeg');
  });

  it('after expireTime the session, its items and their bytes are gone (404 NOT_FOUND, bytes 403)', async () => {
    const session = (await call(`${picker}/sessions`, token, { method: 'POST' })).body;
    t.emu.pick(session.id);
    const [item] = (await call(`${picker}/mediaItems?sessionId=${session.id}`, token)).body.mediaItems;
    const freshToken = await accessToken(t.emu, { scopes: [SCOPES.picker] });
    t.clock.now += 3600_000 + 1000;
    const laterToken = await accessToken(t.emu, { scopes: [SCOPES.picker] });
    expect(freshToken).not.toBe(laterToken);
    expect((await call(`${picker}/sessions/${session.id}`, laterToken)).status).toBe(404);
    const items = await call(`${picker}/mediaItems?sessionId=${session.id}`, laterToken);
    expect(items.status).toBe(404);
    expect(items.body.error.status).toBe('NOT_FOUND');
    expect((await fetch(`${item.mediaFile.baseUrl}=d`, { headers: { authorization: `Bearer ${laterToken}` } })).status).toBe(403);
  });

  it('the picker page lists the whole library with checkboxes; Done records the ticked items', async () => {
    const session = (await call(`${picker}/sessions`, token, { method: 'POST', body: { pickingConfig: { maxItemCount: 5 } } })).body;
    expect(session.pickingConfig).toEqual({ maxItemCount: '5' });
    const html = await (await fetch(`${session.pickerUri}/autoclose`)).text();
    const ids = [...html.matchAll(/data-item-id="([^"]+)"/g)].map((m) => m[1]!);
    const snapshot = t.emu.snapshot().mediaItems;
    expect(ids.length).toBe(snapshot.length);
    expect(html).toContain('id="done"');
    const action = /<form[^>]*action="([^"]+)"/.exec(html)![1]!.replace(/&amp;/g, '&');
    const chosen = [ids[0]!, ids[ids.length - 1]!];
    const form = new URLSearchParams();
    for (const id of chosen) form.append('mediaItemId', id);
    const done = await fetch(new URL(action, t.emu.url), {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString(),
    });
    expect(done.status).toBe(200);
    expect(await done.text()).toContain('window.close()');
    const listed = await call(`${picker}/mediaItems?sessionId=${session.id}`, token);
    expect(listed.body.mediaItems.map((i: any) => i.id)).toEqual(chosen);
    expect((await call(`${picker}/sessions`, token, { method: 'POST', body: { pickingConfig: { maxItemCount: 2001 } } })).status).toBe(400);
  });

  it('needs the picker scope; too many live sessions answer RESOURCE_EXHAUSTED; API disabled names the Picker API', async () => {
    const libraryToken = await accessToken(t.emu, { scopes: [SCOPES.readAppCreated] });
    expect((await call(`${picker}/sessions`, libraryToken, { method: 'POST' })).status).toBe(403);
    const other = t.emu.registerClient();
    const otherToken = await accessToken(t.emu, { clientId: other.clientId, clientSecret: other.clientSecret, scopes: [SCOPES.picker] });
    let answer;
    let created = 0;
    do {
      answer = await call(`${picker}/sessions`, otherToken, { method: 'POST' });
      if (answer.status === 200) created++;
    } while (answer.status === 200 && created < 100);
    expect(answer.status).toBe(429);
    expect(answer.body.error.status).toBe('RESOURCE_EXHAUSTED');
    expect(created).toBeGreaterThan(1);
    t.emu.setApiEnabled('photospicker', false);
    const disabled = await call(`${picker}/sessions`, token, { method: 'POST' });
    t.emu.setApiEnabled('photospicker', true);
    expect(disabled.status).toBe(403);
    expect(disabled.body.error.message).toMatch(/^Google Photos Picker API has not been used in project \d+ before or it is disabled\./);
    expect(disabled.body.error.details[0].metadata.service).toBe('photospicker.googleapis.com');
  });
});
