/**
 * Picking and keeping in the browser UI, end to end: Chromium drives the real host (createHost) with a Google
 * Photos storage pointed at the real emulator; the user picks on the emulator's picker page in a new tab.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Page } from 'playwright-core';
import type { Emulator } from '../../src/emulator/index.js';
import { FOLDER, rootFolders } from '../../src/driver/google-photos/tree.js';
import { apiCall } from './browser-support/api.js';
import type { LaunchedChromium } from './browser-support/chromium.js';
import { imagesToPick } from './browser-support/library.js';
import { entry, listedNames, logIn, openFolder, pageCondition, waitForListing } from './browser-support/pages.js';
import { startBrowserSuite, watchedPage, type BrowserSuite } from './browser-support/suite.js';

const ADMIN_PASSWORD = 'browser-picker-password';
const MOUNT = '/photos';
const PICKED = rootFolders().find((folder) => folder.id === FOLDER.picked)!.name;
const PICKED_PATH = `${MOUNT}/${PICKED}`;
/** A label with markup in it (no slash: the driver would replace it): the folder is named after it, shown as text. */
const LABEL = 'Beach <img src=x onerror=alert(1)>';
const SESSION_PATH = `${PICKED_PATH}/${LABEL}`;
const DELETE_SESSION = /^DELETE \/photospicker\/v1\/sessions\//;

function deletesCounted(emulator: Emulator): number {
  return Object.entries(emulator.requestCounts()).filter(([key]) => DELETE_SESSION.test(key)).reduce((sum, [, count]) => sum + count, 0);
}

describe('picking from Google Photos and keeping a copy, in the browser UI', () => {
  let suite: BrowserSuite | undefined;
  let chromium: LaunchedChromium;
  let emulator: Emulator;
  let baseUrl: string;
  let page: Page;
  let picks: ReturnType<typeof imagesToPick>;
  let token: string;
  let storageId: number;
  let clockOffsetMs = 0;
  const clock = () => Date.now() + clockOffsetMs;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    // One clock for the emulator (session expiry) and the driver (its local expiry check), moved forward to expire a session.
    suite = await startBrowserSuite({
      emulator: { items: 12, albums: 2, pickableOnlyItems: 6, now: clock },
      dataDirPrefix: 'gphotos-alist-browser-picker-',
      host: { adminPassword: ADMIN_PASSWORD, demo: false, driverOptions: () => ({ now: clock }) },
    });
    ({ chromium, emulator } = suite);
    baseUrl = suite.host.url;
    picks = imagesToPick(emulator.snapshot(), emulator.client.clientId);

    // The storage is added through the API (the form has its own test); its refresh token skips the consent page.
    ({ token } = await apiCall<{ token: string }>(baseUrl, '/api/auth/login', '', { username: 'admin', password: ADMIN_PASSWORD }));
    ({ id: storageId } = await apiCall<{ id: number }>(baseUrl, '/api/admin/storage/create', token, {
      mount_path: MOUNT,
      driver: 'GooglePhoto',
      addition: JSON.stringify({
        client_id: emulator.client.clientId,
        client_secret: emulator.client.clientSecret,
        refresh_token: emulator.issueRefreshToken(),
        api_base_url: emulator.url,
      }),
    }));

    page = await watchedPage(chromium.context, pageErrors, 'Delete the picked folder');
  }, 30000);

  afterAll(async () => {
    await suite?.close();
  });

  it('offers Pick from Google Photos on the storage row, at the storage root and in its Picked folder', async () => {
    await logIn(page, baseUrl, 'admin', ADMIN_PASSWORD);
    const row = page.locator(`[data-testid="storage-row"][data-mount-path="${MOUNT}"]`);
    await row.locator('[data-testid="storage-pick"]').waitFor();

    await page.goto(`${baseUrl}${MOUNT}`);
    await waitForListing(page, MOUNT);
    await page.locator('#pick-button').waitFor();
    await openFolder(page, PICKED, PICKED_PATH);
    await page.locator('#pick-button').waitFor();
    expect(await listedNames(page)).toEqual([]);
  });

  it('picks on Google’s page in a new tab, waits, then shows the new folder with the picked names', async () => {
    await page.fill('#pick-label', LABEL);
    const [pickerTab] = await Promise.all([chromium.context.waitForEvent('page'), page.click('#pick-button')]);
    // One look only: each call on a tab behind another one is slow.
    expect(await page.locator('[data-testid="pick-waiting"]').textContent()).toMatch(/Waiting for you to pick in Google Photos.*expires/);

    await pickerTab.waitForURL((url) => url.href.startsWith(`${emulator.url}/picker/`) && url.pathname.endsWith('/autoclose'));
    for (const item of picks.items) await pickerTab.locator(`input[data-item-id="${item.id}"]`).check();
    const closed = pickerTab.waitForEvent('close');
    await pickerTab.click('#done');
    await closed; // "/autoclose": Google's tab closes itself after Done

    await waitForListing(page, SESSION_PATH);
    expect(await page.locator('[data-testid="pick-waiting"]').count()).toBe(0);
    expect(new URL(page.url()).pathname).toBe(`/${SESSION_PATH.split('/').slice(1).map(encodeURIComponent).join('/')}`);
    expect((await listedNames(page)).sort()).toEqual(picks.items.map((item) => item.filename).sort());
    // Every picked item shows when it stops being available.
    expect(await page.locator('#file-list [data-testid="entry-expires"]').count()).toBe(picks.items.length);
    await page.screenshot({ path: '/tmp/ui-pick-session.png', fullPage: true });

    // The picked folder lists the session by its label, as text, with its expiry and its actions.
    await page.goto(`${baseUrl}/${PICKED_PATH.split('/').slice(1).map(encodeURIComponent).join('/')}`);
    await waitForListing(page, PICKED_PATH);
    const folder = entry(page, LABEL);
    expect(await folder.locator('[data-testid="entry-description"]').textContent()).toMatch(new RegExp(`${picks.items.length} items .*expires`));
    expect(await folder.locator('[data-testid="expired-badge"]').count()).toBe(0);
    await folder.locator('[data-testid="keep-button"]').waitFor();
    expect(await page.locator('#file-list [onerror], #file-list script').count()).toBe(0);
    await page.screenshot({ path: '/tmp/ui-pick-folders.png', fullPage: true });
    await page.click('#view-toggle'); // the grid keeps the folder's buttons visible
    expect(await folder.locator('[data-testid="keep-button"]').isVisible()).toBe(true);
    await page.screenshot({ path: '/tmp/ui-pick-folders-grid.png', fullPage: true });
    await page.click('#view-toggle');
  });

  it('previews a picked image (its bytes need the bearer header, so the host proxies them)', async () => {
    await openFolder(page, LABEL, SESSION_PATH);
    await entry(page, picks.pickableOnly.filename).locator('[data-testid="entry-link"]').click();
    await page.waitForFunction(pageCondition("(() => { const img = document.querySelector('#preview-image'); return !!img && img.complete && img.naturalWidth > 0; })()"));
    expect(await page.textContent('#preview-title')).toBe(picks.pickableOnly.filename);
    await page.click('#preview-close');
  });

  it('keeps a copy with progress, and the kept folder lists the same names', async () => {
    await page.locator('[data-testid="session-bar"] [data-testid="keep-button"]').click();
    const done = page.locator('[data-testid="keep-progress"][data-status="done"]');
    await done.waitFor({ timeout: 20000 });
    expect(await done.locator('[data-testid="keep-counts"]').textContent()).toMatch(new RegExp(`^${picks.items.length} of ${picks.items.length} files`));
    await page.screenshot({ path: '/tmp/ui-pick-kept.png', fullPage: true });

    await done.locator('[data-testid="keep-target"]').click();
    const keptPath = `/kept/photos/${LABEL}`;
    await waitForListing(page, keptPath);
    expect((await listedNames(page)).sort()).toEqual(picks.items.map((item) => item.filename).sort());
  });

  it('cancels a pick (file browser, storages page): the waiting state ends and the session is deleted at Google', async () => {
    await page.goto(`${baseUrl}${MOUNT}`);
    await waitForListing(page, MOUNT);
    const [pickerTab] = await Promise.all([chromium.context.waitForEvent('page'), page.click('#pick-button')]);
    await page.locator('[data-testid="pick-waiting"]').waitFor();
    await pickerTab.waitForURL((url) => url.href.startsWith(`${emulator.url}/picker/`));
    // The user closes Google's tab without picking (a tab behind another one paints no frame for a screenshot).
    await pickerTab.close();
    await page.screenshot({ path: '/tmp/ui-pick-waiting.png' });
    const deletesBefore = deletesCounted(emulator);

    await page.click('[data-testid="pick-cancel"]');
    await page.locator('[data-testid="pick-cancelled"]').waitFor();
    expect(await page.locator('[data-testid="pick-waiting"]').count()).toBe(0);
    expect(deletesCounted(emulator)).toBe(deletesBefore + 1);

    // The same from the storage's row on the storages page.
    await page.goto(`${baseUrl}/@manage/storages`);
    const row = page.locator(`[data-testid="storage-row"][data-mount-path="${MOUNT}"]`);
    const [managerTab] = await Promise.all([chromium.context.waitForEvent('page'), row.locator('[data-testid="storage-pick"]').click()]);
    await managerTab.waitForURL((url) => url.href.startsWith(`${emulator.url}/picker/`));
    await managerTab.close();
    await page.locator('[data-testid="pick-waiting"]').waitFor();
    await page.click('[data-testid="pick-cancel"]');
    await page.locator('[data-testid="pick-cancelled"]').waitFor();
    expect(deletesCounted(emulator)).toBe(deletesBefore + 2);

    // Only the session picked before is left.
    await page.goto(`${baseUrl}/${PICKED_PATH.split('/').slice(1).map(encodeURIComponent).join('/')}`);
    await waitForListing(page, PICKED_PATH);
    expect(await listedNames(page)).toEqual([LABEL]);
  });

  it('deletes a picked folder, which deletes its session at Google', async () => {
    const deletesBefore = deletesCounted(emulator);
    await entry(page, LABEL).locator('[data-testid="session-delete"]').click();
    await page.locator('[data-testid="session-deleted"]').waitFor();
    await waitForListing(page, PICKED_PATH);
    expect(await listedNames(page)).toEqual([]);
    expect(deletesCounted(emulator)).toBe(deletesBefore + 1);
  });

  it('marks an expired picked folder, says why it cannot be opened (hint once), and the kept copy stays', async () => {
    // A session picked elsewhere (e.g. the CLI): this browser does not know its id, so it offers no buttons for it.
    const old = await apiCall<{ session_id: string }>(baseUrl, '/api/admin/google/picker/create', token, { storage_id: storageId, label: 'Old picks' });
    emulator.pick(old.session_id, [picks.pickableOnly.id]);
    await apiCall(baseUrl, `/api/admin/google/picker/get?storage_id=${storageId}&session_id=${old.session_id}`, token);
    clockOffsetMs += 61 * 60 * 1000; // sessions live 60 minutes

    await page.click('#refresh-button');
    await waitForListing(page, PICKED_PATH);
    const expired = entry(page, 'Old picks');
    await expired.locator('[data-testid="expired-badge"]').waitFor();
    expect(await expired.locator('[data-testid="keep-button"]').count()).toBe(0);
    await page.screenshot({ path: '/tmp/ui-pick-expired.png', fullPage: true });

    await expired.locator('[data-testid="entry-link"]').click();
    await page.locator('#browser-error:not([hidden])').waitFor();
    const message = (await page.textContent('#browser-error [data-testid="error-message"]')) ?? '';
    const hint = (await page.textContent('#browser-error [data-testid="error-hint"]')) ?? '';
    expect(hint).toMatch(/pick them again/i);
    expect(message).not.toContain(hint);
    expect(await page.locator('#browser-error').textContent()).toContain(hint);
    await page.screenshot({ path: '/tmp/ui-pick-expired-error.png', fullPage: true });

    // What was kept stays browsable after its session is gone.
    await page.goto(`${baseUrl}/kept/photos/${encodeURIComponent(LABEL)}`);
    await waitForListing(page, `/kept/photos/${LABEL}`);
    expect((await listedNames(page)).sort()).toEqual(picks.items.map((item) => item.filename).sort());
    expect(pageErrors).toEqual([]);
  });
});
