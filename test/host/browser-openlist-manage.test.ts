/**
 * OpenList's published web frontend's manage pages against the real host (`ui: 'openlist'`), driven by Debian's
 * Chromium through its own forms: the manage menu an admin sees and a plain user does not, the site settings page,
 * the users page (a user with a base path and permissions, logged in through the login form; the guest enabled) and
 * the metas page (a folder password the guest is asked for, a hide pattern). Every /api answer the frontend gets is recorded; a
 * failure it did not expect fails the step. Nothing is fetched from the network.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { Page } from 'playwright-core';
import { FOLDER, rootFolders } from '../../src/driver/google-photos/tree.js';
import { eventually } from '../support/eventually.js';
import { apiCall } from './browser-support/api.js';
import {
  entryLink, logInThroughForm, logOutThroughManage, startOpenListSuite, unexpectedApiFailures, type ApiCallSeen, type OpenListSuite,
} from './browser-support/openlist.js';

const ADMIN_PASSWORD = 'openlist-manage-password';
const ALBUMS_NAME = rootFolders().find((folder) => folder.id === FOLDER.albums)!.name;
const ALBUMS = `/demo/${ALBUMS_NAME}`;
const USER = { username: 'harbour', password: 'harbour-pass-7Q' };
const WRITE = 8;
const RENAME = 16;
const COPY = 64;
const FOLDER_PASSWORD = 'open-sesame-4';
/** The links of the manage menu only an admin has; "Settings" opens a group of pages instead. */
const ADMIN_MENU_LINKS = ['/@manage/storages', '/@manage/users', '/@manage/metas'];

interface UserSeen { id: number; username: string; base_path: string; role: number; permission: number; disabled: boolean }
interface MetaSeen { id: number; path: string; password: string; hide: string }

/** Picks a folder in the frontend's folder tree dialog: opens each folder of `names` but the last, then selects it. */
async function pickFolder(page: Page, names: string[]): Promise<void> {
  const dialog = page.getByRole('dialog');
  const node = (name: string) => dialog.locator('.hope-stack').filter({ has: page.getByText(name, { exact: true }) }).last();
  for (const name of ['root', ...names.slice(0, -1)]) await node(name).locator('svg').click(); // the triangle opens it
  await node(names[names.length - 1]!).click();
  await dialog.getByRole('button', { name: 'Confirm', exact: true }).click();
}

/** The value an input of the page comes to hold (the frontend fills its forms once their data is in). */
const valueOf = (page: Page, selector: string, expected: string) => eventually(() => page.locator(selector).inputValue(), (value) => value === expected);

/** Runs `click` and returns the envelope of the /api route it makes the frontend call, as recorded on its way. */
async function answerOf(suite: OpenListSuite, route: string, click: () => Promise<void>): Promise<ApiCallSeen> {
  const before = suite.apiCalls.length;
  await click();
  const seen = () => Promise.resolve(suite.apiCalls.slice(before).find((call) => call.route === route));
  return (await eventually(seen, (call) => call !== undefined))!;
}

/** Submits a manage form with its `button` and returns the answer of `route`, once the frontend has gone back from the form. */
async function submitForm(suite: OpenListSuite, route: string, button: string): Promise<ApiCallSeen> {
  const form = suite.page.url();
  const answer = await answerOf(suite, route, () => suite.page.getByRole('button', { name: button, exact: true }).click());
  await suite.page.waitForURL((url) => url.href !== form);
  return answer;
}

/** Deletes the row of a manage table holding `text` with its Delete button and the popover's confirmation. */
async function deleteRow(page: Page, text: string): Promise<void> {
  await page.locator('tr', { has: page.getByText(text, { exact: true }) }).getByRole('button', { name: 'Delete', exact: true }).click();
  await page.getByRole('button', { name: 'Confirm', exact: true }).click();
}

describe('OpenList’s manage pages (Chromium) against the host', () => {
  let suite: OpenListSuite | undefined;
  let baseUrl: string;
  let token: string;
  let page: Page;
  let firstCall = 0;

  const users = () => apiCall<{ content: UserSeen[] }>(baseUrl, '/api/admin/user/list', token).then((data) => data.content);
  const metas = () => apiCall<{ content: MetaSeen[] }>(baseUrl, '/api/admin/meta/list', token).then((data) => data.content);
  const namesIn = (folder: string, asToken = token) => apiCall<{ content: Array<{ name: string }> }>(baseUrl, '/api/fs/list', asToken, { path: folder }).then((data) => data.content.map((item) => item.name));
  /** The /api answers of this step that failed, other than the ones `expected` accepts. */
  const failuresOfThisStep = (expected?: (call: ApiCallSeen) => boolean) => unexpectedApiFailures(suite!.apiCalls.slice(firstCall), expected);

  beforeAll(async () => {
    suite = await startOpenListSuite('gphotos-alist-openlist-manage-', ADMIN_PASSWORD);
    ({ baseUrl, token, page } = suite);
  }, 60000);

  beforeEach(() => {
    firstCall = suite?.apiCalls.length ?? 0;
  });

  afterAll(async () => {
    await suite?.close();
  });

  it('logged in as admin through its form, shows the manage menu with Storages, Users, Metas and Settings', async () => {
    await logInThroughForm(page, baseUrl, 'admin', ADMIN_PASSWORD);
    await entryLink(page, 'demo').waitFor();
    await page.goto(`${baseUrl}/@manage`);
    for (const href of ADMIN_MENU_LINKS) await page.locator(`a[href="${href}"]`).waitFor();
    await page.getByText('Settings', { exact: true }).waitFor();
    expect(failuresOfThisStep()).toEqual([]);
  });

  it('changes the site title on the site settings page; it stays after a reload and is public', async () => {
    await page.goto(`${baseUrl}/@manage/settings/site`);
    await page.locator('#site_title').fill('Harbour Files');
    const saved = await answerOf(suite!, '/api/admin/setting/save', () => page.getByRole('button', { name: 'Save', exact: true }).click());
    expect(saved.code).toBe(200);
    await page.reload();
    expect(await valueOf(page, '#site_title', 'Harbour Files')).toBe('Harbour Files');
    const publicSettings = await apiCall<{ site_title: string }>(baseUrl, '/api/public/settings', '');
    expect(publicSettings.site_title).toBe('Harbour Files');
    expect(failuresOfThisStep()).toEqual([]);
  });

  it('adds a user with a base path and permissions, edits it; that user sees only its base path and no admin menu; deletes it', async () => {
    await page.goto(`${baseUrl}/@manage/users/add`);
    await page.locator('#username').fill(USER.username);
    await page.locator('#password').fill(USER.password);
    await page.locator('#base_path').click(); // read-only: it opens the folder tree
    await pickFolder(page, ['demo', ALBUMS_NAME]);
    expect(await valueOf(page, '#base_path', ALBUMS)).toBe(ALBUMS);
    await page.getByText('Write content (Create / Upload / Modify)', { exact: true }).click();
    await page.getByText('Rename', { exact: true }).click();
    const created = await submitForm(suite!, '/api/admin/user/create', 'Add');
    expect(created.code).toBe(200);
    const added = (await users()).find((user) => user.username === USER.username);
    expect(added).toMatchObject({ base_path: ALBUMS, role: 0, permission: WRITE | RENAME, disabled: false });

    await page.goto(`${baseUrl}/@manage/users`);
    await page.locator('tr', { has: page.getByText(USER.username, { exact: true }) }).getByRole('button', { name: 'Edit', exact: true }).click();
    expect(await valueOf(page, '#username', USER.username)).toBe(USER.username);
    await page.getByText('Copy', { exact: true }).click();
    const updated = await submitForm(suite!, '/api/admin/user/update', 'Save');
    expect(updated.code).toBe(200);
    expect((await users()).find((user) => user.id === added!.id)).toMatchObject({ base_path: ALBUMS, permission: WRITE | RENAME | COPY });

    // The user's root is the albums folder; the storages' mount points are out of its sight.
    const albums = await namesIn(ALBUMS);
    await logOutThroughManage(page, baseUrl);
    await logInThroughForm(page, baseUrl, USER.username, USER.password);
    for (const album of albums) await entryLink(page, album).waitFor();
    expect(await page.getByText('demo', { exact: true }).count()).toBe(0);
    await page.goto(`${baseUrl}/@manage`);
    await page.locator('a[href="/@manage"]').first().waitFor();
    for (const href of ADMIN_MENU_LINKS) expect(await page.locator(`a[href="${href}"]`).count()).toBe(0);
    expect(await page.getByText('Settings', { exact: true }).count()).toBe(0);

    await logOutThroughManage(page, baseUrl);
    await logInThroughForm(page, baseUrl, 'admin', ADMIN_PASSWORD);
    await page.goto(`${baseUrl}/@manage/users`);
    await deleteRow(page, USER.username);
    const left = () => users().then((all) => all.map((user) => user.username));
    expect(await eventually(left, (names) => !names.includes(USER.username))).toEqual(['admin', 'guest']);
    expect(failuresOfThisStep()).toEqual([]);
  }, 90000);

  it('enables the guest; adds metas on a Local folder: the guest is asked for its password, a hide pattern hides a name; deletes them', async () => {
    const root = suite!.localRoot;
    mkdirSync(path.join(root, 'secret'));
    writeFileSync(path.join(root, 'secret', 'inside.txt'), 'behind the password');
    mkdirSync(path.join(root, 'open'));
    writeFileSync(path.join(root, 'open', 'keep.txt'), 'shown');
    writeFileSync(path.join(root, 'open', 'hideme.txt'), 'hidden');
    await apiCall(baseUrl, '/api/admin/storage/create', token, { mount_path: '/local', driver: 'Local', addition: JSON.stringify({ root_folder_path: root }) });
    // The guest user (disabled at first) is enabled on its page of the users list.
    const guest = (await users()).find((user) => user.role === 1)!;
    await page.goto(`${baseUrl}/@manage/users/edit/${guest.id}`);
    expect(await valueOf(page, '#base_path', '/')).toBe('/'); // the guest's form has no name or password
    expect(await eventually(() => page.locator('#disabled').isChecked(), (checked) => checked)).toBe(true);
    await page.getByText('Disabled', { exact: true }).click();
    expect((await submitForm(suite!, '/api/admin/user/update', 'Save')).code).toBe(200);
    expect((await users()).find((user) => user.id === guest.id)).toMatchObject({ role: 1, disabled: false });

    await page.goto(`${baseUrl}/@manage/metas/add`);
    await page.locator('#path').fill('/local/secret');
    await page.locator('#password').fill(FOLDER_PASSWORD);
    expect((await submitForm(suite!, '/api/admin/meta/create', 'Add')).code).toBe(200);
    await page.goto(`${baseUrl}/@manage/metas/add`);
    await page.locator('#path').fill('/local/open');
    await page.locator('#hide').fill('^hide');
    expect((await submitForm(suite!, '/api/admin/meta/create', 'Add')).code).toBe(200);
    const made = await metas();
    expect(made.map(({ path, password, hide }) => ({ path, password, hide })).sort((a, b) => a.path.localeCompare(b.path))).toEqual([
      { path: '/local/open', password: '', hide: '^hide' },
      { path: '/local/secret', password: FOLDER_PASSWORD, hide: '' },
    ]);

    await logOutThroughManage(page, baseUrl);
    await page.goto(`${baseUrl}/local/secret`);
    const password = page.locator('input[type="password"]');
    await password.fill('not-the-password');
    await page.getByRole('button', { name: 'OK', exact: true }).click();
    await page.getByText('Password is incorrect or you have no permission').first().waitFor();
    await password.fill(FOLDER_PASSWORD);
    await page.getByRole('button', { name: 'OK', exact: true }).click();
    await entryLink(page, 'inside.txt').waitFor();

    await page.goto(`${baseUrl}/local/open`);
    await entryLink(page, 'keep.txt').waitFor();
    expect(await page.getByText('hideme.txt', { exact: true }).count()).toBe(0);

    await logInThroughForm(page, baseUrl, 'admin', ADMIN_PASSWORD);
    await page.goto(`${baseUrl}/@manage/metas`);
    await deleteRow(page, '/local/secret');
    await deleteRow(page, '/local/open');
    expect(await eventually(metas, (all) => all.length === 0)).toEqual([]);
    expect((await namesIn('/local/open', '')).sort()).toEqual(['hideme.txt', 'keep.txt']); // the guest, no meta left

    // The frontend asks for the folder's password after fs/get's 403, as it does with AList.
    const passwordAsked = (call: ApiCallSeen) => call.method === 'POST' && call.route === '/api/fs/get' && call.code === 403;
    expect(suite!.apiCalls.slice(firstCall).filter(passwordAsked).length).toBeGreaterThan(0);
    expect(failuresOfThisStep(passwordAsked)).toEqual([]);
  }, 90000);

  it('raised no page error, no CSP report and no dialog', () => {
    expect(suite!.pageErrors).toEqual([]);
  });
});
