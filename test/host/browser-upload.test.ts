/**
 * Writing from the browser UI, end to end: Chromium drives the real host (createHost) with a Local storage on a
 * temporary folder and a Google Photos storage on the real emulator. Uploads (button and drop), new folder and
 * new album, rename, move, remove with its confirmation, a refusal with its hint, the Tasks dialog, and no write
 * actions for a guest.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Page } from 'playwright-core';
import type { Emulator } from '../../src/emulator/index.js';
import { encodeJpeg, renderPicture } from '../../src/emulator/image.js';
import { FOLDER, rootFolders } from '../../src/driver/google-photos/tree.js';
import { apiCall } from './browser-support/api.js';
import type { LaunchedChromium } from './browser-support/chromium.js';
import { entry, listedNames, logIn, openFolder, waitForListing } from './browser-support/pages.js';
import { startBrowserSuite, watchedPage, type BrowserSuite } from './browser-support/suite.js';

const ADMIN_PASSWORD = 'browser-upload-password';
const LOCAL = '/files';
const PHOTOS = '/photos';
const ALBUMS = rootFolders().find((folder) => folder.id === FOLDER.albums)!.name;
const ALBUMS_PATH = `${PHOTOS}/${ALBUMS}`;
const ALL_MEDIA_PATH = `${PHOTOS}/${rootFolders().find((folder) => folder.id === FOLDER.all)!.name}`;
const NEW_ALBUM = 'Trip to the coast';
const HOSTILE = '<img src=x onerror=alert(1)>.txt';

/** A small real JPEG, the kind of file Google Photos takes. */
const JPEG = encodeJpeg(renderPicture(1, 32, 24));

async function goTo(page: Page, baseUrl: string, folder: string): Promise<void> {
  await page.goto(`${baseUrl}${folder.split('/').map(encodeURIComponent).join('/')}`);
  await waitForListing(page, folder);
}

/** Drops files on the file list the way a browser does (a DataTransfer carrying File objects). */
async function dropFiles(page: Page, files: Array<{ name: string; type: string; base64: string }>): Promise<void> {
  const dataTransfer = await page.evaluateHandle(`(() => {
    const transfer = new DataTransfer();
    for (const file of ${JSON.stringify(files)}) {
      const bytes = Uint8Array.from(atob(file.base64), (char) => char.charCodeAt(0));
      transfer.items.add(new File([bytes], file.name, { type: file.type }));
    }
    return transfer;
  })()`);
  for (const type of ['dragenter', 'dragover', 'drop']) await page.dispatchEvent('#file-list', type, { dataTransfer });
}

/** Lists `folder` until `name` shows (a move or copy may finish as a background task). */
async function waitUntilListed(page: Page, baseUrl: string, folder: string, name: string): Promise<void> {
  for (;;) {
    await goTo(page, baseUrl, folder);
    if ((await listedNames(page)).includes(name)) return;
    await page.waitForTimeout(200);
  }
}

async function select(page: Page, name: string): Promise<void> {
  await entry(page, name).locator('[data-testid="entry-select"]').check();
}

describe('uploading and managing files in the browser UI', () => {
  let suite: BrowserSuite | undefined;
  let chromium: LaunchedChromium;
  let emulator: Emulator;
  let baseUrl: string;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    suite = await startBrowserSuite({
      emulator: { items: 6, albums: 1, pickableOnlyItems: 0 },
      dataDirPrefix: 'gphotos-alist-browser-upload-',
      host: { adminPassword: ADMIN_PASSWORD, demo: false },
    });
    ({ chromium, emulator } = suite);
    baseUrl = suite.host.url;
    const localRoot = path.join(suite.dataDir, 'local-files');
    mkdirSync(localRoot);
    const { token } = await apiCall<{ token: string }>(baseUrl, '/api/auth/login', '', { username: 'admin', password: ADMIN_PASSWORD });
    await apiCall(baseUrl, '/api/admin/storage/create', token, {
      mount_path: LOCAL, driver: 'Local', addition: JSON.stringify({ root_folder_path: localRoot }),
    });
    await apiCall(baseUrl, '/api/admin/storage/create', token, {
      mount_path: PHOTOS,
      driver: 'GooglePhoto',
      addition: JSON.stringify({
        client_id: emulator.client.clientId,
        client_secret: emulator.client.clientSecret,
        refresh_token: emulator.issueRefreshToken(),
        api_base_url: emulator.url,
      }),
    });
    // Every question is a dialog of the page; a native alert or confirm would be unexpected.
    page = await watchedPage(chromium.context, pageErrors, '\u0000 no native dialog is expected');
    await logIn(page, baseUrl, 'admin', ADMIN_PASSWORD);
  }, 30000);

  afterAll(async () => {
    await suite?.close();
  });

  it('uploads two files from the Upload button with their progress, lists them, and serves their bytes', async () => {
    await goTo(page, baseUrl, LOCAL);
    const first = Buffer.from('first file\n'.repeat(5000));
    const second = Buffer.from('the second one');
    // Every state each file's row shows, in order (the bar's percentage comes from XMLHttpRequest's upload progress).
    await page.evaluate(`(() => {
      window.uploadStates = {};
      new MutationObserver(() => {
        for (const row of document.querySelectorAll('[data-testid="upload-row"]')) {
          const seen = (window.uploadStates[row.dataset.name] ??= []);
          const state = row.querySelector('[data-testid="upload-state"]').textContent;
          if (seen[seen.length - 1] !== state) seen.push(state);
        }
      }).observe(document.getElementById('upload-panel'), { subtree: true, childList: true, characterData: true });
    })()`);
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.click('[data-testid="upload-button"]')]);
    await chooser.setFiles([
      { name: 'notes one.txt', mimeType: 'text/plain', buffer: first },
      { name: 'notes-two.txt', mimeType: 'text/plain', buffer: second },
    ]);

    const batch = page.locator('[data-testid="upload-batch"]').first();
    await batch.locator('[data-testid="upload-total"][data-status="done"]').waitFor();
    expect(await batch.locator('[data-testid="upload-row"][data-status="done"]').count()).toBe(2);
    expect(await batch.locator('[data-testid="upload-total-text"]').textContent()).toMatch(/^2 of 2 files/);
    const bars = (await page.evaluate(
      `[...document.querySelector('[data-testid="upload-batch"]').querySelectorAll('progress')].map((bar) => [bar.value, bar.max])`,
    )) as Array<[number, number]>;
    expect(bars).toHaveLength(3);
    for (const [value, max] of bars) expect(value).toBe(max);
    const states = (await page.evaluate('window.uploadStates')) as Record<string, string[]>;
    for (const name of ['notes one.txt', 'notes-two.txt']) expect(states[name]?.slice(-3)).toEqual(['Sending…', '100%', 'Done']);

    await entry(page, 'notes one.txt').waitFor();
    expect(await listedNames(page)).toEqual(expect.arrayContaining(['notes one.txt', 'notes-two.txt']));
    for (const [name, bytes] of [['notes one.txt', first], ['notes-two.txt', second]] as const) {
      const href = await entry(page, name).locator('[data-testid="download"]').getAttribute('href');
      const download = await page.request.get(`${baseUrl}${href}`);
      expect(download.status()).toBe(200);
      expect(Buffer.from(await download.body()).equals(bytes)).toBe(true);
    }
    await page.screenshot({ path: '/tmp/ui-upload.png', fullPage: true });
  });

  it('does not replace a file of the same name unless asked to', async () => {
    const download = async (name: string) => {
      const href = await entry(page, name).locator('[data-testid="download"]').getAttribute('href');
      return Buffer.from(await (await page.request.get(`${baseUrl}${href}`)).body()).toString();
    };
    const before = await download('notes-two.txt');
    await dropFiles(page, [{ name: 'notes-two.txt', type: 'text/plain', base64: Buffer.from('a newer version').toString('base64') }]);
    const row = page.locator('[data-testid="upload-batch"]').first().locator('[data-testid="upload-row"][data-name="notes-two.txt"]');
    await row.locator('[data-testid="upload-replace"]').waitFor();
    expect(await row.getAttribute('data-status')).toBe('exists');
    expect(await download('notes-two.txt')).toBe(before);

    await row.locator('[data-testid="upload-replace"]').click();
    await row.and(page.locator('[data-status="done"]')).waitFor();
    await page.locator('[data-testid="upload-batch"]').first().locator('[data-testid="upload-total"][data-status="done"]').waitFor();
    expect(await download('notes-two.txt')).toBe('a newer version');
  });

  it('uploads files dropped on the list, showing a hostile name as text', async () => {
    await dropFiles(page, [
      { name: 'dropped.txt', type: 'text/plain', base64: Buffer.from('dropped bytes').toString('base64') },
      { name: HOSTILE, type: 'text/plain', base64: Buffer.from('<b>not markup</b>').toString('base64') },
    ]);
    await page.locator('[data-testid="upload-batch"]').first().locator('[data-testid="upload-total"][data-status="done"]').waitFor();
    await entry(page, 'dropped.txt').waitFor();
    await entry(page, HOSTILE).waitFor();
    expect(await page.locator('#browser img[src="x"], #browser [onerror]').count()).toBe(0);
    expect(pageErrors).toEqual([]);
  });

  it('finishes an upload as a background task when asked, and the Tasks dialog shows it done', async () => {
    await page.check('[data-testid="upload-as-task"]');
    const bytes = Buffer.from('stored by a task');
    await dropFiles(page, [{ name: 'queued.txt', type: 'text/plain', base64: bytes.toString('base64') }]);
    await page.locator('[data-testid="upload-row"][data-name="queued.txt"][data-status="queued"]').waitFor();
    await page.click('[data-testid="tasks-button"]');
    const tasks = page.locator('[data-testid="tasks-dialog"]');
    await tasks.locator('[data-testid="tasks-upload"] [data-testid="task-row"][data-state="2"]').waitFor({ timeout: 30000 });
    await tasks.locator('[data-testid="tasks-close"]').click();
    await tasks.waitFor({ state: 'detached' });
    await page.uncheck('[data-testid="upload-as-task"]');
    await waitUntilListed(page, baseUrl, LOCAL, 'queued.txt');
    const href = await entry(page, 'queued.txt').locator('[data-testid="download"]').getAttribute('href');
    expect(Buffer.from(await (await page.request.get(`${baseUrl}${href}`)).body()).equals(bytes)).toBe(true);
  });

  it('makes a new folder, renames a file and moves it into the folder', async () => {
    expect(await page.textContent('[data-testid="new-folder-button"]')).toBe('New folder');
    await page.click('[data-testid="new-folder-button"]');
    const dialog = page.locator('[data-testid="new-folder-dialog"]');
    // The name field has the focus: typing names the folder.
    await page.keyboard.type('Kept');
    await dialog.locator('[data-testid="dialog-submit"]').click();
    await dialog.waitFor({ state: 'detached' });
    await entry(page, 'Kept').waitFor();
    expect(await entry(page, 'Kept').getAttribute('data-kind')).toBe('folder');

    await select(page, 'dropped.txt');
    await page.click('[data-testid="rename-button"]');
    const rename = page.locator('[data-testid="rename-dialog"]');
    await rename.locator('[data-testid="dialog-name"]').fill('renamed.txt');
    await rename.locator('[data-testid="dialog-submit"]').click();
    await entry(page, 'renamed.txt').waitFor();
    expect(await listedNames(page)).not.toContain('dropped.txt');

    await select(page, 'renamed.txt');
    await page.click('[data-testid="move-button"]');
    const chooser = page.locator('[data-testid="move-dialog"]');
    await chooser.getByRole('button', { name: 'Kept', exact: true }).click();
    await chooser.locator(`[data-testid="chooser-list"][data-loaded-path="${LOCAL}/Kept"]`).waitFor({ state: 'attached' });
    await chooser.locator('[data-testid="dialog-submit"]').click();
    await chooser.waitFor({ state: 'detached' });
    await page.locator('[data-testid="action-done"]').waitFor();
    await waitUntilListed(page, baseUrl, `${LOCAL}/Kept`, 'renamed.txt');
    await goTo(page, baseUrl, LOCAL);
    expect(await listedNames(page)).not.toContain('renamed.txt');
  });

  it('renames in the folder the dialog was opened in, even after going back meanwhile', async () => {
    await openFolder(page, 'Kept', `${LOCAL}/Kept`);
    await select(page, 'renamed.txt');
    await page.click('[data-testid="rename-button"]');
    const rename = page.locator('[data-testid="rename-dialog"]');
    await rename.locator('[data-testid="dialog-name"]').fill('kept.txt');
    await page.goBack();
    await waitForListing(page, LOCAL);
    await rename.locator('[data-testid="dialog-submit"]').click();
    await rename.waitFor({ state: 'detached' });
    await openFolder(page, 'Kept', `${LOCAL}/Kept`);
    expect(await listedNames(page)).toEqual(['kept.txt']);
  });

  it('removes a file after its confirmation, and keeps it when the dialog is cancelled', async () => {
    await goTo(page, baseUrl, LOCAL);
    await select(page, 'notes-two.txt');
    await page.click('[data-testid="remove-button"]');
    const dialog = page.locator('[data-testid="remove-dialog"]');
    expect(await dialog.locator('h2').textContent()).toContain('notes-two.txt');
    await dialog.locator('[data-testid="dialog-cancel"]').click();
    await dialog.waitFor({ state: 'detached' });
    expect(await listedNames(page)).toContain('notes-two.txt');
    // The dialog has the focus: Escape closes it too, and nothing is removed.
    await page.click('[data-testid="remove-button"]');
    await dialog.waitFor();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await listedNames(page)).toContain('notes-two.txt');

    await page.click('[data-testid="remove-button"]');
    await dialog.locator('[data-testid="dialog-submit"]').click();
    await dialog.waitFor({ state: 'detached' });
    await entry(page, 'notes-two.txt').waitFor({ state: 'detached' });
    expect(await listedNames(page)).toContain('notes one.txt');
    expect(pageErrors).toEqual([]);
  });

  it('makes a new album in Google Photos and uploads a photo into it', async () => {
    await goTo(page, baseUrl, ALBUMS_PATH);
    expect(await page.textContent('[data-testid="new-folder-button"]')).toBe('New album');
    await page.click('[data-testid="new-folder-button"]');
    const dialog = page.locator('[data-testid="new-folder-dialog"]');
    expect(await dialog.locator('h2').textContent()).toBe('New album');
    await dialog.locator('[data-testid="dialog-name"]').fill(NEW_ALBUM);
    await dialog.locator('[data-testid="dialog-submit"]').click();
    await dialog.waitFor({ state: 'detached' });
    await entry(page, NEW_ALBUM).waitFor();
    expect(emulator.snapshot().albums.map((album) => album.title)).toContain(NEW_ALBUM);

    await entry(page, NEW_ALBUM).locator('[data-testid="entry-link"]').click();
    await waitForListing(page, `${ALBUMS_PATH}/${NEW_ALBUM}`);
    await dropFiles(page, [{ name: 'beach.jpg', type: 'image/jpeg', base64: JPEG.toString('base64') }]);
    await page.locator('[data-testid="upload-row"][data-name="beach.jpg"][data-status="done"]').waitFor({ timeout: 30000 });
    await entry(page, 'beach.jpg').waitFor();
    const snapshot = emulator.snapshot();
    const album = snapshot.albums.find((candidate) => candidate.title === NEW_ALBUM)!;
    const names = album.mediaItemIds.map((id) => snapshot.mediaItems.find((item) => item.id === id)?.filename);
    expect(names).toEqual(['beach.jpg']);
  });

  it('shows the server’s message and hint when Google Photos refuses to delete a photo from All media', async () => {
    await goTo(page, baseUrl, ALL_MEDIA_PATH);
    await select(page, 'beach.jpg');
    await page.click('[data-testid="remove-button"]');
    const dialog = page.locator('[data-testid="remove-dialog"]');
    await dialog.locator('[data-testid="dialog-submit"]').click();
    const refusal = dialog.locator('[data-testid="dialog-error-notice"]');
    await refusal.waitFor();
    expect(await refusal.locator('[data-testid="error-message"]').textContent()).toMatch(/cannot delete media items/i);
    expect(await refusal.locator('[data-testid="error-hint"]').textContent()).toMatch(/Google Photos/);
    await page.screenshot({ path: '/tmp/ui-remove-refused.png' });
    await dialog.locator('[data-testid="dialog-cancel"]').click();
    await dialog.waitFor({ state: 'detached' });
    await page.click('#refresh-button');
    await waitForListing(page, ALL_MEDIA_PATH);
    expect(await listedNames(page)).toContain('beach.jpg');
  });

  it('copies a file into Google Photos as a task, and the Tasks dialog shows it done', async () => {
    await goTo(page, baseUrl, LOCAL);
    await dropFiles(page, [{ name: 'sunset.jpg', type: 'image/jpeg', base64: JPEG.toString('base64') }]);
    await entry(page, 'sunset.jpg').waitFor();
    await select(page, 'sunset.jpg');
    await page.click('[data-testid="copy-button"]');
    const chooser = page.locator('[data-testid="copy-dialog"]');
    await chooser.locator('[data-testid="chooser-up"]').click();
    for (const name of [PHOTOS.slice(1), ALBUMS, NEW_ALBUM]) await chooser.getByRole('button', { name, exact: true }).click();
    await chooser.locator(`[data-testid="chooser-list"][data-loaded-path="${ALBUMS_PATH}/${NEW_ALBUM}"]`).waitFor({ state: 'attached' });
    await chooser.locator('[data-testid="dialog-submit"]').click();
    await chooser.waitFor({ state: 'detached' });

    await page.click('[data-testid="tasks-button"]');
    const tasks = page.locator('[data-testid="tasks-dialog"]');
    await tasks.locator('[data-testid="tasks-copy"] [data-testid="task-row"][data-state="2"]').waitFor({ timeout: 30000 });
    await page.screenshot({ path: '/tmp/ui-tasks.png' });
    await tasks.locator('[data-testid="tasks-copy"] [data-testid="tasks-clear-done"]').click();
    await tasks.locator('[data-testid="tasks-copy"] [data-testid="task-row"]').first().waitFor({ state: 'detached' });
    await tasks.locator('[data-testid="tasks-close"]').click();
    await waitUntilListed(page, baseUrl, `${ALBUMS_PATH}/${NEW_ALBUM}`, 'sunset.jpg');
    expect(await listedNames(page)).toContain('beach.jpg');
    expect(pageErrors).toEqual([]);
  });

  it('takes a photo out of an album, after a confirmation saying it stays in the library', async () => {
    await select(page, 'sunset.jpg');
    await page.click('[data-testid="remove-button"]');
    const dialog = page.locator('[data-testid="remove-dialog"]');
    expect(await dialog.textContent()).toMatch(/stay in your Google Photos library/);
    await dialog.locator('[data-testid="dialog-submit"]').click();
    await dialog.waitFor({ state: 'detached' });
    await entry(page, 'sunset.jpg').waitFor({ state: 'detached' });
    expect(await listedNames(page)).toEqual(['beach.jpg']);
    // All media was listed (and cached) before the copy added the photo: Refresh lists it afresh.
    await goTo(page, baseUrl, ALL_MEDIA_PATH);
    await page.click('#refresh-button');
    await waitForListing(page, ALL_MEDIA_PATH);
    expect(await listedNames(page)).toContain('sunset.jpg');
  });

  it('shows no write actions to a guest', async () => {
    const { token } = await apiCall<{ token: string }>(baseUrl, '/api/auth/login', '', { username: 'admin', password: ADMIN_PASSWORD });
    const users = await apiCall<{ content: Array<{ id: number; role: number }> }>(baseUrl, '/api/admin/user/list', token);
    await apiCall(baseUrl, '/api/admin/user/update', token, { id: users.content.find((user) => user.role === 1)!.id, disabled: false });
    await page.click('[data-testid="logout"]');
    await page.waitForURL(/\/@login/);
    await goTo(page, baseUrl, LOCAL);
    expect(await listedNames(page)).toContain('notes one.txt');
    expect(await page.isHidden('#file-actions')).toBe(true);
    expect(await page.locator('[data-testid="entry-select"]').count()).toBe(0);
    expect(await page.isHidden('#tasks-button')).toBe(true);
    expect(pageErrors).toEqual([]);
  });
});
