/**
 * The browser UI end to end: Debian's Chromium drives the real host (createHost) serving assets/ui, with a
 * Google Photos storage pointed at the real emulator, authorized through the emulator's consent page.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Page } from 'playwright-core';
import type { Emulator } from '../../src/emulator/index.js';
import { googlePhotosDriver } from '../../src/driver/google-photos/driver.js';
import { FOLDER, rootFolders } from '../../src/driver/google-photos/tree.js';
import type { ConfigItem } from '../../src/types/index.js';
import type { LaunchedChromium } from './browser-support/chromium.js';
import { albumToBrowse, type AlbumToBrowse } from './browser-support/library.js';
import { entry, listedNames, logIn, openFolder, pageCondition, renderedField, waitForListing } from './browser-support/pages.js';
import { startBrowserSuite, watchedPage, type BrowserSuite } from './browser-support/suite.js';
import { HostClient } from './support/host-client.js';
import { setGuestAccess } from './support/guest-user.js';

const ADMIN_USER = 'admin';
const ADMIN_PASSWORD = 'browser-test-password';
const MOUNT = '/photos';
/** The names the driver gives its virtual folders ("Albums", "All media"). */
const folderName = (id: string) => rootFolders().find((folder) => folder.id === id)!.name;
const ALBUMS = folderName(FOLDER.albums);
const ALL_MEDIA = folderName(FOLDER.all);

function expectedControl(item: ConfigItem): { tag: string; type: string } {
  if (item.secret) return { tag: 'input', type: 'password' };
  switch (item.type) {
    case 'bool': return { tag: 'input', type: 'checkbox' };
    case 'number': return { tag: 'input', type: 'number' };
    case 'select': return { tag: 'select', type: '' };
    case 'text': return { tag: 'textarea', type: '' };
    default: return { tag: 'input', type: 'text' };
  }
}

describe('browser UI (Chromium) against the real host and the emulator', () => {
  let suite: BrowserSuite | undefined;
  let chromium: LaunchedChromium;
  let emulator: Emulator;
  let baseUrl: string;
  let page: Page;
  let album: AlbumToBrowse;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    suite = await startBrowserSuite({
      // A small library: every thumbnail is encoded by the in-process emulator on the test's own (shared) CPU.
      emulator: { items: 24, albums: 4, pickableOnlyItems: 0 },
      dataDirPrefix: 'gphotos-alist-browser-',
      // One size HEAD at a time: each makes the in-process emulator encode a full JPEG, next to the thumbnails.
      host: { adminPassword: ADMIN_PASSWORD, sizeProbing: { concurrency: 1 } },
    });
    ({ chromium, emulator } = suite);
    baseUrl = suite.host.url;
    album = albumToBrowse(emulator.snapshot(), emulator.client.clientId);
    // Only the delete confirmation may ask.
    page = await watchedPage(chromium.context, pageErrors, 'Delete the storage');
  }, 30000);

  afterAll(async () => {
    await suite?.close();
  });

  it('adds a Google Photos storage through the form generated from the driver’s settings', async () => {
    await logIn(page, baseUrl, ADMIN_USER, ADMIN_PASSWORD);
    await page.click('#add-storage');
    await page.locator('#driver-select').selectOption('GooglePhoto');
    await page.locator('[data-testid="driver-fields"][data-driver="GooglePhoto"] #field-client_id').waitFor();

    // Every setting of the driver is rendered by its type, with its help text and default; secrets are password fields.
    for (const item of googlePhotosDriver.meta.configItems) {
      const field = await renderedField(page, item.name);
      const expected = expectedControl(item);
      expect({ name: item.name, tag: field.tag, type: field.type }).toEqual({ name: item.name, ...expected });
      expect(field.help).toBe(item.help ?? '');
      if (!item.secret && item.type !== 'bool') expect(field.value).toBe(String(item.default ?? ''));
    }

    // AList's storage options, with their defaults: WebDAV redirects, listings keep the storage's order.
    expect(await page.inputValue('[data-testid="storage-options"] #storage-webdav_policy')).toBe('302_redirect');
    expect(await page.inputValue('#storage-order_by')).toBe('');
    expect(await page.isChecked('#storage-web_proxy')).toBe(false);

    await page.fill('#storage-mount_path', MOUNT);
    await page.fill('#field-client_id', emulator.client.clientId);
    await page.fill('#field-client_secret', emulator.client.clientSecret);
    await page.fill('#field-api_base_url', emulator.url);
    await page.click('#storage-save');

    const row = page.locator(`[data-testid="storage-row"][data-mount-path="${MOUNT}"]`);
    await row.waitFor();
    // No refresh token yet: the storage is saved but does not work, and the list says why.
    expect(await row.locator('[data-testid="storage-status"]').getAttribute('data-status')).toBe('error');
    expect((await row.locator('[data-testid="storage-status"]').textContent())?.trim()).not.toBe('');
    await page.screenshot({ path: '/tmp/ui-manage-unauthorized.png', fullPage: true });

    // Editing never pre-fills a secret, and says that an empty one keeps the stored value.
    await row.locator('[data-testid="storage-edit"]').click();
    await page.locator('#field-client_secret').waitFor();
    expect(await page.inputValue('#field-client_secret')).toBe('');
    expect(await page.getAttribute('#field-client_secret', 'placeholder')).toMatch(/keep/i);
    expect(await page.inputValue('#field-client_id')).toBe(emulator.client.clientId);
    expect(await page.content()).not.toContain(emulator.client.clientSecret);
    // A storage option saves: the edit form shows it again.
    await page.locator('#storage-webdav_policy').selectOption('native_proxy');
    await page.click('#storage-save');
    await row.waitFor();
    await row.locator('[data-testid="storage-edit"]').click();
    await page.locator('#storage-webdav_policy').waitFor();
    expect(await page.inputValue('#storage-webdav_policy')).toBe('native_proxy');
    await page.getByRole('button', { name: 'Cancel' }).click();
    await row.waitFor();
  });

  it('authorizes the storage with Google through the consent page, and the status turns to work', async () => {
    const row = page.locator(`[data-testid="storage-row"][data-mount-path="${MOUNT}"]`);
    const [consent] = await Promise.all([
      chromium.context.waitForEvent('page'),
      row.locator('[data-testid="storage-authorize"]').click(),
    ]);
    await consent.waitForURL((url) => url.href.startsWith(`${emulator.url}/`));
    await consent.locator('form').getByRole('button', { name: /allow/i }).click();
    await consent.waitForURL((url) => url.href.startsWith(`${baseUrl}/api/google/callback`));
    expect(await consent.textContent('body')).toMatch(/authorized/i);
    await consent.close();

    await row.locator('[data-testid="storage-status"][data-status="work"]').waitFor({ timeout: 20000 });
    await page.screenshot({ path: '/tmp/ui-manage.png', fullPage: true });
  });

  it('lists an album with the names the emulator holds, with thumbnails', async () => {
    await page.goto(`${baseUrl}${MOUNT}`);
    await waitForListing(page, MOUNT);
    await openFolder(page, ALBUMS, `${MOUNT}/${ALBUMS}`);
    await openFolder(page, album.title, `${MOUNT}/${ALBUMS}/${album.title}`);

    const names = await listedNames(page);
    expect(names).toHaveLength(album.items.length);
    expect(names).toEqual(expect.arrayContaining(album.uniqueNames));
    expect(page.url()).toBe(`${baseUrl}${MOUNT}/${ALBUMS}/${encodeURIComponent(album.title)}`);
    await page.waitForFunction(pageCondition("[...document.querySelectorAll('#file-list .thumb img')].some((img) => img.complete && img.naturalWidth > 0)"));
    // A fresh album is listed before the server knows its sizes ("—"); they appear without a reload once learnt.
    await page.waitForFunction(pageCondition("[...document.querySelectorAll('#file-list [data-testid=\"entry-size\"]')].every((cell) => /^\\d/.test(cell.textContent))"), undefined, { timeout: 30_000 });
    await page.screenshot({ path: '/tmp/ui-browser.png', fullPage: true });
  });

  it('previews an image and plays a video that can seek', async () => {
    await entry(page, album.image.filename).locator('[data-testid="entry-link"]').click();
    await page.waitForFunction(pageCondition("(() => { const img = document.querySelector('#preview-image'); return !!img && img.complete && img.naturalWidth > 0; })()"));
    expect(await page.textContent('#preview-title')).toBe(album.image.filename);
    await page.click('#preview-close');

    // The download link works without the Authorization header (a browser cannot send one): it is signed.
    const href = await entry(page, album.image.filename).locator('[data-testid="download"]').getAttribute('href');
    expect(href).toMatch(/^\/d\/.+\?sign=/);
    const download = await page.request.get(`${baseUrl}${href}`);
    expect(download.status()).toBe(200);
    expect(download.headers()['content-type']).toMatch(/^image\/jpeg/);
    expect((await page.request.get(`${baseUrl}${href!.replace(/\?sign=.*$/, '')}`, { maxRedirects: 0 })).status()).toBe(401);

    await entry(page, album.video.filename).locator('[data-testid="entry-link"]').click();
    await page.waitForFunction(pageCondition("(document.querySelector('#preview-video')?.readyState ?? 0) >= 1"));
    const seekedTo = await page.evaluate(`new Promise((resolve, reject) => {
      const video = document.querySelector('#preview-video');
      video.addEventListener('seeked', () => resolve(video.currentTime), { once: true });
      video.addEventListener('error', () => reject(new Error('video error ' + video.error?.code)), { once: true });
      video.currentTime = Math.min(1, video.duration / 2);
    })`);
    expect(seekedTo).toBeGreaterThan(0);
    await page.click('#preview-close');

    // A file's own address (a shared link) shows its folder with the file open.
    const albumPath = `${MOUNT}/${ALBUMS}/${album.title}`;
    await page.goto(`${baseUrl}${[...albumPath.split('/'), album.image.filename].map(encodeURIComponent).join('/')}`);
    await page.waitForFunction(pageCondition("(() => { const img = document.querySelector('#preview-image'); return !!img && img.complete && img.naturalWidth > 0; })()"));
    await waitForListing(page, albumPath);
    await page.click('#preview-close');
  });

  it('goes back through history and shows a hostile name as text', async () => {
    await page.goBack(); // from the file's address to its album
    await waitForListing(page, `${MOUNT}/${ALBUMS}/${album.title}`);
    await page.goBack(); // from the album to the albums
    await waitForListing(page, `${MOUNT}/${ALBUMS}`);
    const hostile = emulator.snapshot().mediaItems.find((item) => item.clientId === emulator.client.clientId && /[<>]/.test(item.filename));
    expect(hostile).toBeDefined();

    await page.goto(`${baseUrl}${MOUNT}/${encodeURIComponent(ALL_MEDIA)}`);
    await waitForListing(page, `${MOUNT}/${ALL_MEDIA}`);
    expect(await entry(page, hostile!.filename).count()).toBe(1);
    expect(await page.locator('#file-list script, #file-list [onerror]').count()).toBe(0);
    expect(pageErrors).toEqual([]);
  });

  it('refreshes a folder and shows the message and hint when the storage fails', async () => {
    await page.goto(`${baseUrl}${MOUNT}/${encodeURIComponent(ALBUMS)}`);
    await waitForListing(page, `${MOUNT}/${ALBUMS}`);
    emulator.setApiEnabled('photoslibrary', false);
    try {
      await page.click('#refresh-button');
      await page.locator('#browser-error:not([hidden])').waitFor();
      expect(await page.textContent('#browser-error [data-testid="error-message"]')).toMatch(/Photos Library API/i);
      expect((await page.textContent('#browser-error [data-testid="error-hint"]'))?.trim()).not.toBe('');
      expect(await page.locator('#file-list [data-testid="entry"]').count()).toBe(0);
      await page.screenshot({ path: '/tmp/ui-browser-error.png' });
    } finally {
      emulator.setApiEnabled('photoslibrary', true);
    }
    await page.click('#refresh-button');
    await waitForListing(page, `${MOUNT}/${ALBUMS}`);
    expect(await page.isHidden('#browser-error')).toBe(true);
  });

  it('shows the error and its hint for an unknown path', async () => {
    await page.goto(`${baseUrl}${MOUNT}/no-such-folder`);
    await page.locator('#browser-error:not([hidden])').waitFor();
    expect(await page.textContent('#browser-error')).toMatch(/not found|no such|does not exist/i);
  });

  it('disables, enables and deletes a storage from the storages page', async () => {
    await page.goto(`${baseUrl}/@manage/storages`);
    const demo = page.locator('[data-testid="storage-row"][data-mount-path="/demo"]');
    await demo.locator('[data-testid="demo-badge"]').waitFor();

    await demo.locator('[data-testid="storage-disable"]').click();
    await demo.locator('[data-testid="storage-status"][data-status="disabled"]').waitFor();
    await demo.locator('[data-testid="storage-enable"]').click();
    await demo.locator('[data-testid="storage-status"][data-status="work"]').waitFor();

    await demo.locator('[data-testid="storage-delete"]').click();
    await demo.waitFor({ state: 'detached' });
    await page.goto(`${baseUrl}/`);
    await waitForListing(page, '/');
    expect(await listedNames(page)).toEqual([MOUNT.slice(1)]);
  });

  it('never makes a link, a source or a tab location of a javascript: or data: address', async () => {
    await page.goto(`${baseUrl}/`);
    // A string, so that the page (not the test's compiler) resolves the import against the server.
    const built = await page.evaluate(`(async () => {
      const { h } = await import('/assets/dom.js');
      const hrefOf = (href) => h('a', { href }).getAttribute('href');
      return {
        script: hrefOf('javascript:alert(document.domain)'),
        mixedCase: hrefOf(' JaVaScRiPt:alert(1)'),
        data: h('img', { src: 'data:text/html,<script>alert(1)</script>' }).getAttribute('src'),
        video: h('video', { src: 'vbscript:x' }).getAttribute('src'),
        https: hrefOf('https://photos.google.com/picker/S1'),
        own: hrefOf('/photos/a.jpg'),
      };
    })()`);
    expect(built).toEqual({ script: null, mixedCase: null, data: null, video: null, https: 'https://photos.google.com/picker/S1', own: '/photos/a.jpg' });
    expect(pageErrors).toEqual([]);
  });

  it('lets a guest browse once guest access is on, and sends a guest to log in when it is off', async () => {
    await page.goto(`${baseUrl}/@manage/settings`);
    await page.locator('#guest-enabled').check();
    await page.click('#settings-save');
    await page.locator('[data-testid="success-notice"]').waitFor();

    const token = await page.evaluate<string | null>("localStorage.getItem('gphotos-alist.token')");
    await page.click('[data-testid="logout"]');
    await page.waitForURL(/\/@login/);
    // Logging out ends the session on the server, not only in this tab.
    const me = await fetch(`${baseUrl}/api/me`, { headers: { authorization: token ?? '' } }).then((answer) => answer.json() as Promise<{ code: number }>);
    expect(me.code).toBe(401);
    await page.goto(`${baseUrl}${MOUNT}/${encodeURIComponent(ALBUMS)}`);
    await waitForListing(page, `${MOUNT}/${ALBUMS}`);
    expect(await listedNames(page)).toContain(album.title);
    await page.locator('[data-testid="login-link"]').waitFor();

    // Turned off again (through the API, the guest cannot): the same page now asks to log in and comes back.
    const login = await fetch(`${baseUrl}/api/auth/login`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: ADMIN_USER, password: ADMIN_PASSWORD }),
    }).then((answer) => answer.json() as Promise<{ data: { token: string } }>);
    const admin = new HostClient(baseUrl);
    admin.token = login.data.token;
    await setGuestAccess(admin, false);
    await page.reload();
    await page.waitForURL(/\/@login\?redirect=/);
    await page.fill('#username', ADMIN_USER);
    await page.fill('#password', ADMIN_PASSWORD);
    await page.click('#login-submit');
    await page.waitForURL(`${baseUrl}${MOUNT}/${encodeURIComponent(ALBUMS)}`);
    await waitForListing(page, `${MOUNT}/${ALBUMS}`);
    expect(pageErrors).toEqual([]);
  });

  it('adds a user on the Users page, who then sees only their base path and no write actions', async () => {
    await page.goto(`${baseUrl}/@manage/users`);
    await page.locator('[data-testid="user-row"][data-username="guest"]').waitFor();
    await page.fill('#user-username', 'viewer');
    await page.fill('#user-password', 'viewer-password-1');
    await page.fill('#user-base-path', `${MOUNT}/${ALBUMS}`);
    await page.click('[data-testid="user-save"]');
    const added = page.locator('[data-testid="user-row"][data-username="viewer"]');
    await added.waitFor();
    expect(await added.textContent()).toContain(`${MOUNT}/${ALBUMS}`);
    expect(await page.locator('[data-testid="user-row"][data-username="admin"] [data-testid="user-delete"]').count()).toBe(0);

    await page.click('[data-testid="logout"]');
    await page.waitForURL(/\/@login/);
    await page.fill('#username', 'viewer');
    await page.fill('#password', 'viewer-password-1');
    await page.click('#login-submit');
    await page.waitForURL(`${baseUrl}/`);
    await waitForListing(page, '/');
    expect(await listedNames(page)).toContain(album.title);
    expect(await page.isHidden('#file-actions')).toBe(true);
    expect(pageErrors).toEqual([]);
  });
});
