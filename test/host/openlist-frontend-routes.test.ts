/**
 * What OpenList's frontend calls beyond the basics, answered as AList answers when a feature is off (search,
 * fs/other, task kinds the host never runs), storage/load_all, and `ui: 'openlist'` serving the frontend itself
 * with its config and a Content-Security-Policy that admits exactly its inline scripts. On the real host.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHost, type Host } from '../../src/host/index.js';
import { parseUi } from '../../src/host/cli/options.js';
import { loadOpenListIndex, OPENLIST_DIR } from '../../src/host/routes/openlist-pages.js';
import { HostClient } from './support/host-client.js';
import { makeDataDir } from './support/host-setup.js';

const PASSWORD = 'openlist-routes-password-3F';

let host: Host;
let dataDir: string;
let client: HostClient;

beforeAll(async () => {
  dataDir = makeDataDir();
  host = await createHost({ dataDir, port: 0, adminPassword: PASSWORD, demo: false, ui: 'openlist' });
  client = new HostClient(host.url);
  await client.login('admin', PASSWORD);
  const root = path.join(dataDir, 'files');
  mkdirSync(root);
  writeFileSync(path.join(root, 'a.txt'), 'a');
  const created = await client.post('/api/admin/storage/create', { mount_path: '/files', driver: 'Local', addition: JSON.stringify({ root_folder_path: root }) });
  expect(created.code).toBe(200);
});

afterAll(async () => {
  await host?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('AList routes for features the host does not have', () => {
  it('fs/search answers AList\'s "search not available" (search index "none"), after the login check', async () => {
    for (const method of ['GET', 'POST'] as const) {
      const answer = await client.call(method, '/api/fs/search', method === 'POST' ? { parent: '/', keywords: 'a' } : undefined);
      expect({ code: answer.code, message: answer.message }).toEqual({ code: 500, message: 'search not available' });
    }
    expect((await client.post('/api/fs/search', { parent: '/', keywords: 'a' }, '')).code).toBe(401);
  });

  it('fs/other answers AList\'s "not implement" for an existing path, 404 for a missing one', async () => {
    const answer = await client.post('/api/fs/other', { path: '/files/a.txt', method: 'video_preview' });
    expect({ code: answer.code, message: answer.message }).toEqual({ code: 500, message: 'not implement' });
    expect((await client.post('/api/fs/other', { path: '/files/missing.txt', method: 'video_preview' })).code).toBe(404);
    expect((await client.post('/api/fs/other', { method: 'video_preview' })).code).toBe(400);
  });

  it('me/sshkey/list (OpenList\'s profile page) lists no keys, paged as OpenList answers: the host has no SFTP server', async () => {
    expect((await client.get('/api/me/sshkey/list')).data).toEqual({ content: [], total: 0 });
    expect((await client.get('/api/me/sshkey/list', '')).code).toBe(401);
  });

  it('admin/user/sshkey/list (OpenList\'s user edit page) lists no keys of an existing user; admin only', async () => {
    const admin = (await client.get<{ id: number }>('/api/me')).data!;
    expect((await client.get(`/api/admin/user/sshkey/list?uid=${admin.id}`)).data).toEqual({ content: [], total: 0 });
    const unknown = await client.get('/api/admin/user/sshkey/list?uid=9999');
    expect({ code: unknown.code, message: unknown.message }).toEqual({ code: 404, message: 'user invalid' });
    expect((await client.get('/api/admin/user/sshkey/list?uid=x')).code).toBe(400);
    expect((await client.get(`/api/admin/user/sshkey/list?uid=${admin.id}`, '')).code).toBe(401);
  });

  it('task kinds the host never runs list empty, under /api/task and /api/admin/task; admin only', async () => {
    for (const base of ['/api/task', '/api/admin/task']) {
      for (const kind of ['move', 'offline_download', 'offline_download_transfer', 'decompress', 'decompress_upload']) {
        expect((await client.get(`${base}/${kind}/undone`)).data).toEqual([]);
        expect((await client.get(`${base}/${kind}/done`)).data).toEqual([]);
        expect((await client.post(`${base}/${kind}/info?tid=x`)).code).toBe(404);
        expect((await client.post(`${base}/${kind}/clear_done`)).code).toBe(200);
      }
    }
    expect((await client.get('/api/task/move/undone', '')).code).toBe(401);
  });
});

describe('POST /api/admin/storage/load_all', () => {
  it('starts every enabled storage again; the Local one lists its files afterwards', async () => {
    expect((await client.post('/api/admin/storage/load_all')).code).toBe(200);
    const names = async () => (await client.post<{ content: Array<{ name: string }> }>('/api/fs/list', { path: '/files' })).data?.content?.map((item) => item.name);
    expect(await names()).toEqual(['a.txt']);
    expect((await client.post('/api/admin/storage/load_all', {}, '')).code).toBe(401);
  });
});

describe('public settings OpenList\'s frontend reads', () => {
  it('include its keys with the host\'s truth: no chunked upload, no shares, no archive previews', async () => {
    const settings = (await client.get<Record<string, string>>('/api/public/settings', '')).data;
    expect(settings).toMatchObject({ multipart_enabled: 'false', share_preview: 'false', preview_archives_by_default: 'false', readme_autorender: 'true', filter_readme_scripts: 'true' });
  });
});

describe("ui: 'openlist'", () => {
  const inlineScripts = (html: string) => [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)].filter((m) => !/\bsrc\s*=/.test(m[1]!) && m[2] !== '').map((m) => m[2]!);

  it('serves its index.html for every page path, with this host as its API and a CSP admitting exactly its inline scripts', async () => {
    for (const page of ['/', '/@login', '/@manage/storages', '/files/a.txt']) {
      const { response, text } = await client.request(page, { token: '' });
      expect(response.status).toBe(200);
      expect(text).toContain("api: '/'");
      expect(text).not.toContain('data:text/javascript');
      const csp = response.headers.get('content-security-policy')!;
      expect(csp).not.toMatch(/script-src[^;]*('unsafe-inline'|data:)/);
      const scripts = inlineScripts(text);
      expect(scripts.length).toBeGreaterThan(0);
      for (const script of scripts) expect(csp).toContain(`'sha256-${createHash('sha256').update(script).digest('base64')}'`);
    }
    expect((await client.request('/api/nothing', { token: '' })).response.headers.get('content-type')).toMatch(/json/);
  });

  it('serves its assets, the entry bundle without its data: import', async () => {
    const index = (await client.request('/', { token: '' })).text;
    const entry = /"src":"(\/assets\/index-[\w-]+\.js)"/.exec(index)![1]!;
    const { response, text } = await client.request(entry, { token: '' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/javascript/);
    expect(text).not.toContain("import'data:");
    // An encoded "../" never leaves the frontend's folder (the host's package.json is two levels up).
    const escape = await client.request('/assets/..%2f..%2f..%2fpackage.json', { token: '' });
    expect([400, 404]).toContain(escape.response.status);
    expect(escape.text).not.toContain('gphotos-alist');
  });

  it('fails with the way to fetch the frontend when it is missing; --ui takes only the UIs there are', () => {
    const empty = mkdtempSync(path.join(tmpdir(), 'no-openlist-'));
    try {
      expect(() => loadOpenListIndex(empty)).toThrow(/fetch-openlist\.mjs/);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
    expect(OPENLIST_DIR).toMatch(/vendor[\\/]openlist-frontend[\\/]$/);
    expect(parseUi('openlist')).toBe('openlist');
    expect(() => parseUi('alist')).toThrow(/--ui must be one of default, openlist/);
  });
});
