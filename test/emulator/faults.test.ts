import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { parseEmulatorArgs } from '../../src/emulator/cli.js';
import { startEmulator } from '../../src/emulator/index.js';
import { accessToken, call, postForm, startTestEmulator, type TestEmulator } from './emulator-client.js';
import { RpcStatus } from './shapes.js';

/** Resolves with the HTTP status, or with the socket error when the server resets the connection. */
function rawGet(url: string, token: string): Promise<number | string> {
  return new Promise((resolve) => {
    const req = httpRequest(url, { headers: { authorization: `Bearer ${token}` }, agent: false, timeout: 5000 }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.end();
  });
}

describe('emulator faults, counts and controls', () => {
  let t: TestEmulator;
  let token: string;
  beforeAll(async () => {
    t = await startTestEmulator({ items: 5, albums: 2, pickableOnlyItems: 2 });
    token = await accessToken(t.emu);
  });
  beforeEach(() => { t.emu.setFaults({ failRate: 0, resetRate: 0, latencyMs: 0, jitterMs: 0 }); });
  afterAll(async () => { await t.emu.close(); });

  it('failRate 1 with failCodes [503] answers 503 google.rpc.Status bodies on API routes, token endpoint included', async () => {
    t.emu.setFaults({ failRate: 1, failCodes: [503] });
    const answer = await call(`${t.emu.endpoints.library}/mediaItems`, token);
    expect(answer.status).toBe(503);
    expect(RpcStatus.parse(answer.body).error).toEqual({ code: 503, message: 'The service is currently unavailable.', status: 'UNAVAILABLE' });
    const tokenAnswer = await postForm(t.emu.endpoints.token, { grant_type: 'refresh_token' });
    expect(tokenAnswer.status).toBe(503);
    // Control routes are never faulted.
    expect((await fetch(`${t.emu.url}/emulator/stats`)).status).toBe(200);
  });

  it('injected 429s carry Retry-After when retryAfterSec is set', async () => {
    t.emu.setFaults({ failRate: 1, failCodes: [429], retryAfterSec: 7 });
    const answer = await call(`${t.emu.endpoints.library}/albums`, token);
    expect(answer.status).toBe(429);
    expect(answer.headers.get('retry-after')).toBe('7');
    expect(answer.body.error.status).toBe('RESOURCE_EXHAUSTED');
  });

  it('media faults apply to media bytes only: a 429 with Retry-After on HEAD of a baseUrl, the API untouched', async () => {
    const listed = await call(`${t.emu.endpoints.library}/mediaItems`, token);
    const baseUrl = listed.body.mediaItems[0].baseUrl as string;
    const control = await fetch(`${t.emu.url}/emulator/media-faults`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ failRate: 1, failCodes: [429], retryAfterSec: 3 }),
    });
    expect(control.status).toBe(200);
    try {
      const faulted = await fetch(`${baseUrl}=d`, { method: 'HEAD' });
      expect(faulted.status).toBe(429);
      expect(faulted.headers.get('retry-after')).toBe('3');
      expect((await call(`${t.emu.endpoints.library}/mediaItems`, token)).status).toBe(200);
    } finally {
      t.emu.setMediaFaults({ failRate: 0 });
    }
    const served = await fetch(`${baseUrl}=d`, { method: 'HEAD' });
    expect(served.status).toBe(200);
    expect(Number(served.headers.get('content-length'))).toBeGreaterThan(0);
  });

  it('resetRate 1 destroys the connection; the HTTP control turns it off again', async () => {
    const faults = await fetch(`${t.emu.url}/emulator/faults`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ resetRate: 1 }),
    });
    expect(faults.status).toBe(200);
    expect(await rawGet(`${t.emu.endpoints.library}/mediaItems`, token)).toBe('ECONNRESET');
    await fetch(`${t.emu.url}/emulator/faults`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ resetRate: 0 }),
    });
    expect(await rawGet(`${t.emu.endpoints.library}/mediaItems`, token)).toBe(200);
    const bad = await fetch(`${t.emu.url}/emulator/faults`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ failRate: 3 }),
    });
    expect(bad.status).toBe(400);
  });

  it('counts requests per route template, readable in-process and over HTTP, and resettable', async () => {
    t.emu.resetCounts();
    const ids = t.emu.snapshot().mediaItems.filter((i) => i.clientId).map((i) => i.id);
    await call(`${t.emu.endpoints.library}/mediaItems/${ids[0]}`, token);
    await call(`${t.emu.endpoints.library}/mediaItems/${ids[1]}`, token);
    await call(`${t.emu.endpoints.library}/mediaItems:search`, token, { body: {} });
    await call(`${t.emu.endpoints.library}/mediaItems?pageSize=2`, token);
    expect(t.emu.requestCounts()).toEqual({
      'GET /photoslibrary/v1/mediaItems': 1,
      'GET /photoslibrary/v1/mediaItems/{mediaItemId}': 2,
      'POST /photoslibrary/v1/mediaItems:search': 1,
    });
    const stats = await (await fetch(`${t.emu.url}/emulator/stats`)).json();
    expect(stats).toEqual(t.emu.requestCounts());
    expect((await fetch(`${t.emu.url}/emulator/stats/reset`, { method: 'POST' })).status).toBe(200);
    expect(t.emu.requestCounts()).toEqual({});
  });

  it('HTTP controls: refresh tokens, project switches', async () => {
    const issued = await (await fetch(`${t.emu.url}/emulator/refresh-tokens`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}',
    })).json() as { refresh_token: string };
    const exchanged = await postForm(t.emu.endpoints.token, {
      grant_type: 'refresh_token', refresh_token: issued.refresh_token, client_id: t.emu.client.clientId, client_secret: t.emu.client.clientSecret,
    });
    expect(exchanged.status).toBe(200);
    await fetch(`${t.emu.url}/emulator/projects/photoslibrary`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ enabled: false }),
    });
    expect((await call(`${t.emu.endpoints.library}/albums`, exchanged.body.access_token)).status).toBe(403);
    await fetch(`${t.emu.url}/emulator/projects/photoslibrary`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ enabled: true }),
    });
    expect((await call(`${t.emu.endpoints.library}/albums`, exchanged.body.access_token)).status).toBe(200);
  });

  it('HTTP control: expiring every access token issued so far makes each answer 401 until refreshed', async () => {
    const own = await startTestEmulator({ items: 2 });
    try {
      await expireAccessTokensOf(own);
    } finally {
      await own.emu.close();
    }
  });

  async function expireAccessTokensOf(t: TestEmulator): Promise<void> {
    const before = await accessToken(t.emu);
    const other = await accessToken(t.emu);
    expect((await call(`${t.emu.endpoints.library}/albums`, before)).status).toBe(200);
    const expired = await fetch(`${t.emu.url}/emulator/access-tokens/expire`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}',
    });
    expect(expired.status).toBe(200);
    expect(await expired.json()).toEqual({ expired: 2 });
    for (const token of [before, other]) {
      const answer = await call(`${t.emu.endpoints.library}/albums`, token);
      expect(answer.status).toBe(401);
      expect(answer.body.error.status).toBe('UNAUTHENTICATED');
    }
    const after = await accessToken(t.emu);
    expect((await call(`${t.emu.endpoints.library}/albums`, after)).status).toBe(200);
    const refused = await fetch(`${t.emu.url}/emulator/access-tokens/expire`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: '[1]',
    });
    expect(refused.status).toBe(400);
  }

  it('CLI options parse; invalid ones are refused with a clear message', async () => {
    expect(parseEmulatorArgs(['--port', '0', '--items', '10', '--fail-codes', '429,500,503', '--fail-rate', '0.5']))
      .toMatchObject({ port: 0, items: 10, failCodes: [429, 500, 503], failRate: 0.5 });
    expect(() => parseEmulatorArgs(['--items', 'many'])).toThrow('--items must be a number, got "many"');
    expect(parseEmulatorArgs(['--repeat-ids', '--stray-page-token', '--processing-videos', '2']))
      .toMatchObject({ repeatIds: true, strayPageToken: true, processingVideos: 2 });
    await expect(startEmulator({ processingVideos: -1 })).rejects.toThrow('processingVideos must be an integer');
    expect(() => parseEmulatorArgs(['--bogus'])).toThrow(/bogus/);
    await expect(startEmulator({ failRate: 2 })).rejects.toThrow('failRate must be a number from 0 to 1');
  });
});
