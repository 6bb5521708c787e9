/**
 * OpenList's published web frontend (vendor/openlist-frontend, fetched by `npm ci`'s postinstall) against the real
 * host started with `ui: 'openlist'` (what `serve --ui openlist` does), driven by Debian's Chromium: its login
 * form, the demo storage (Google Photos emulator), an image preview, a video played, a download, the storages
 * page (add, reload all, edit, disable, delete a Local storage), and a new album with an upload into it; every /api
 * call it makes must succeed. Its manage pages (users, metas, settings): browser-openlist-manage.test.ts. Nothing is
 * fetched from the network: every request off this machine is aborted.
 */
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Page } from 'playwright-core';
import { FOLDER, rootFolders } from '../../src/driver/google-photos/tree.js';
import { encodeJpeg, renderPicture } from '../../src/emulator/image.js';
import { eventually } from '../support/eventually.js';
import { apiCall } from './browser-support/api.js';
import { entryLink, logInThroughForm, startOpenListSuite, toolbarAction, unexpectedApiFailures, waitForPath, type OpenListSuite } from './browser-support/openlist.js';
import { pageCondition } from './browser-support/pages.js';

const ADMIN_PASSWORD = 'openlist-frontend-password';
const folderName = (id: string) => rootFolders().find((folder) => folder.id === id)!.name;
const ALL_MEDIA = `/demo/${folderName(FOLDER.all)}`;
const ALBUMS = `/demo/${folderName(FOLDER.albums)}`;
const NEW_ALBUM = 'Made in OpenList';
const LOCAL = '/local';
const SAMPLE_VIDEO = new URL('../../assets/emulator/sample.mp4', import.meta.url);
const JPEG = encodeJpeg(renderPicture(3, 32, 24));

interface Listed { name: string; type: number; size: number }

const urlOf = (folder: string) => folder.split('/').map(encodeURIComponent).join('/');

describe('OpenList’s web frontend (Chromium) against the host', () => {
  let suite: OpenListSuite | undefined;
  let baseUrl: string;
  let token: string;
  let localRoot: string;
  let page: Page;

  const list = (folder: string) => apiCall<{ content: Listed[] }>(baseUrl, '/api/fs/list', token, { path: folder, refresh: true }).then((data) => data.content);
  const storages = () => apiCall<{ content: Array<{ id: number; mount_path: string; remark: string; disabled: boolean }> }>(baseUrl, '/api/admin/storage/list', token).then((data) => data.content);

  beforeAll(async () => {
    suite = await startOpenListSuite('gphotos-alist-openlist-', ADMIN_PASSWORD);
    ({ baseUrl, token, localRoot, page } = suite);
    copyFileSync(SAMPLE_VIDEO, path.join(localRoot, 'sample.mp4'));
    writeFileSync(path.join(localRoot, 'notes.bin'), Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 7) & 0xff)));
  }, 60000);

  afterAll(async () => {
    await suite?.close();
  });

  it('logs in through its login form (auth/login/hash) and lists the root', async () => {
    await logInThroughForm(page, baseUrl, 'admin', ADMIN_PASSWORD);
    await entryLink(page, 'demo').waitFor();
  });

  it('browses the demo storage and previews an image', async () => {
    const image = (await list(ALL_MEDIA)).find((item) => item.type === 5)!;
    await entryLink(page, 'demo').click();
    await waitForPath(page, '/demo');
    await entryLink(page, folderName(FOLDER.all)).click();
    await waitForPath(page, ALL_MEDIA);
    await entryLink(page, image.name).click();
    await waitForPath(page, `${ALL_MEDIA}/${image.name}`);
    // The image viewer shows the picture the host's signed /d/ link leads to.
    const source = JSON.stringify(`/d${ALL_MEDIA}/${image.name}`);
    await page.waitForFunction(pageCondition(`[...document.images].some((img) => decodeURIComponent(new URL(img.src).pathname) === ${source} && img.complete && img.naturalWidth > 0)`));
  }, 60000);

  it('adds a Local storage on its storages page', async () => {
    await page.goto(`${baseUrl}/@manage/storages/add`);
    await page.click('#driver-trigger');
    await page.getByRole('option', { name: 'Local', exact: true }).click();
    await page.fill('#mount_path', LOCAL);
    await page.fill('#root_folder_path', localRoot);
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await page.waitForURL((url) => !url.pathname.endsWith('/add')); // the frontend goes back once saved
    const mounts = () => storages().then((all) => all.map((storage) => storage.mount_path));
    expect(await eventually(mounts, (paths) => paths.includes(LOCAL))).toContain(LOCAL);
    await page.goto(`${baseUrl}/@manage/storages`);
    await page.getByText(LOCAL, { exact: true }).waitFor();

    // "Reload All" (storage/load_all) starts the storages again; the new one still lists its files.
    const [reloaded] = await Promise.all([
      page.waitForResponse((response) => new URL(response.url()).pathname === '/api/admin/storage/load_all'),
      page.getByRole('button', { name: 'Reload All', exact: true }).click(),
    ]);
    expect(((await reloaded.json()) as { code: number }).code).toBe(200);
    expect((await list(LOCAL)).map((item) => item.name).sort()).toEqual(['notes.bin', 'sample.mp4']);
  }, 60000);

  it('plays a video and downloads a file of it', async () => {
    await page.goto(`${baseUrl}${LOCAL}/sample.mp4`);
    await page.waitForFunction(pageCondition("[...document.querySelectorAll('video')].some((video) => video.readyState >= 2 && video.videoWidth === 320)"));

    await page.goto(`${baseUrl}${LOCAL}/notes.bin`);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download', exact: true }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('notes.bin');
    expect(readFileSync((await download.path())!)).toEqual(readFileSync(path.join(localRoot, 'notes.bin')));
  });

  it('edits, disables and deletes the Local storage', async () => {
    const id = (await storages()).find((storage) => storage.mount_path === LOCAL)!.id;
    await page.goto(`${baseUrl}/@manage/storages/edit/${id}`);
    await page.locator('#remark').fill('edited in OpenList');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.waitForURL((url) => !url.pathname.includes('/edit/')); // the frontend goes back once saved
    const storage = () => storages().then((all) => all.find((one) => one.id === id));
    expect((await eventually(storage, (one) => one?.remark !== ''))?.remark).toBe('edited in OpenList');

    await page.goto(`${baseUrl}/@manage/storages`);
    const card = page.locator('div', { has: page.getByText(LOCAL, { exact: true }) }).filter({ has: page.getByRole('button', { name: 'Delete' }) }).last();
    await card.getByRole('button', { name: 'Disable', exact: true }).click();
    expect((await eventually(storage, (one) => one?.disabled === true))?.disabled).toBe(true);

    await card.getByRole('button', { name: 'Delete', exact: true }).click();
    await page.getByRole('button', { name: 'Confirm', exact: true }).click();
    expect(await eventually(storage, (one) => one === undefined)).toBeUndefined();
  });

  it('creates an album and uploads a photo into it', async () => {
    await page.goto(`${baseUrl}${urlOf(ALBUMS)}`);
    await toolbarAction(page, 'mkdir');
    await page.locator('[role="dialog"] input').fill(NEW_ALBUM);
    await page.getByRole('button', { name: 'OK', exact: true }).click();
    await entryLink(page, NEW_ALBUM).click();
    await waitForPath(page, `${ALBUMS}/${NEW_ALBUM}`);

    await toolbarAction(page, 'upload');
    await page.locator('input[type="file"]:not([webkitdirectory])').first().setInputFiles({ name: 'harbour.jpg', mimeType: 'image/jpeg', buffer: JPEG });
    const names = () => list(`${ALBUMS}/${NEW_ALBUM}`).then((items) => items.map((item) => item.name));
    expect(await eventually(names, (listed) => listed.length > 0, 20000)).toEqual(['harbour.jpg']);
  }, 60000);

  it('raised no page error, no CSP report and no dialog; every /api call it made succeeded', () => {
    expect(suite!.pageErrors).toEqual([]);
    expect(unexpectedApiFailures(suite!.apiCalls)).toEqual([]);
  });
});
