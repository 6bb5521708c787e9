/**
 * What the OpenList frontend's Chromium suites stand on: the real host serving OpenList's published frontend
 * (`ui: 'openlist'`, the demo storage on the in-process emulator) on a fresh data folder with an empty folder for a
 * Local storage, Chromium kept off the network, the watched tab with every /api answer recorded, and the frontend's
 * own controls (its login form, list entries, folder toolbar).
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { APIResponse, Page } from 'playwright-core';
import { createHost, type Host } from '../../../src/host/index.js';
import { OPENLIST_DIR } from '../../../src/host/routes/openlist-pages.js';
import { apiCall } from './api.js';
import { launchChromium, type LaunchedChromium } from './chromium.js';
import { watchedPage } from './suite.js';

/** One /api request the frontend made: its method, path and query, HTTP status, and the envelope's code (unset when not JSON). */
export interface ApiCallSeen { method: string; route: string; status: number; code?: number }

export interface OpenListSuite {
  baseUrl: string;
  /** The admin's token, for checking through the API what the frontend did. */
  token: string;
  dataDir: string;
  /** An empty folder to mount as a Local storage. */
  localRoot: string;
  page: Page;
  pageErrors: string[];
  apiCalls: ApiCallSeen[];
  close(): Promise<void>;
}

/**
 * Records the envelope of every /api answer the page receives. The answers pass through the test (route.fetch), so
 * that one read after the frontend has navigated on (it goes back as soon as a form is saved) is still recorded.
 */
async function recordApiCalls(page: Page, calls: ApiCallSeen[]): Promise<void> {
  await page.route((url) => url.pathname.startsWith('/api/'), async (route) => {
    const url = new URL(route.request().url());
    let response: APIResponse;
    let body: Buffer;
    try {
      response = await route.fetch();
      body = await response.body();
    } catch {
      return route.abort().catch(() => undefined); // the page navigated away meanwhile: nobody reads this answer
    }
    const call: ApiCallSeen = { method: route.request().method(), route: url.pathname + url.search, status: response.status() };
    try {
      call.code = (JSON.parse(body.toString('utf8')) as { code?: number }).code;
    } catch {
      // not JSON: an OPTIONS preflight or an empty answer
    }
    calls.push(call);
    await route.fulfill({ response, body }).catch(() => undefined);
  });
}

/** The recorded /api answers that failed (HTTP status or envelope code ≥ 400) other than those `expected` accepts. */
export function unexpectedApiFailures(calls: ApiCallSeen[], expected: (call: ApiCallSeen) => boolean = () => false): ApiCallSeen[] {
  return calls.filter((call) => (call.status >= 400 || (call.code ?? 0) >= 400) && !expected(call));
}

export async function startOpenListSuite(dataDirPrefix: string, adminPassword: string): Promise<OpenListSuite> {
  if (!existsSync(path.join(OPENLIST_DIR, 'index.html'))) {
    throw new Error(`OpenList's frontend is missing in ${OPENLIST_DIR}: run \`node scripts/fetch-openlist.mjs\` (npm ci runs it as postinstall).`);
  }
  let chromium: LaunchedChromium | undefined;
  let host: Host | undefined;
  const dataDir = mkdtempSync(path.join(tmpdir(), dataDirPrefix));
  const close = async () => {
    await chromium?.close();
    await host?.close();
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    chromium = await launchChromium();
    const localRoot = path.join(dataDir, 'local-files');
    mkdirSync(localRoot);
    // The demo storage (the in-process emulator) at /demo; one size probe at a time on the shared CPU.
    host = await createHost({ dataDir, host: '127.0.0.1', port: 0, adminPassword, ui: 'openlist', sizeProbing: { concurrency: 1 } });
    const baseUrl = host.url;
    const { token } = await apiCall<{ token: string }>(baseUrl, '/api/auth/login', '', { username: 'admin', password: adminPassword });
    // The frontend links logos on the Internet; the test never leaves this machine.
    await chromium.context.route(/^https?:\/\/(?!127\.0\.0\.1[:/])/, (route) => route.abort());
    const pageErrors: string[] = [];
    const page = await watchedPage(chromium.context, pageErrors, '\u0000 no native dialog is expected');
    const apiCalls: ApiCallSeen[] = [];
    await recordApiCalls(page, apiCalls);
    return { baseUrl, token, dataDir, localRoot, page, pageErrors, apiCalls, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** Logs in through the frontend's login form and waits for the root listing it opens. */
export async function logInThroughForm(page: Page, baseUrl: string, username: string, password: string): Promise<void> {
  await page.goto(`${baseUrl}/@login`);
  await page.fill('input[name="username"]', username);
  await page.fill('input[name="password"]', password);
  await page.getByRole('button', { name: 'Login', exact: true }).click();
  await page.waitForURL((url) => url.pathname === '/');
}

/** Logs out with the logout button of the frontend's manage header (auth/logout), which opens the login page. */
export async function logOutThroughManage(page: Page, baseUrl: string): Promise<void> {
  await page.goto(`${baseUrl}/@manage`);
  await page.getByRole('button', { name: 'logout', exact: true }).click();
  await page.waitForURL((url) => url.pathname === '/@login');
}

/** The entry of the frontend's list view named `name` (a link holding the name; breadcrumbs come first). */
export const entryLink = (page: Page, name: string) => page.locator('a[href]').filter({ has: page.getByText(name, { exact: true }) }).last();

/** Waits until the page shows `folder` (the frontend encodes fewer characters in its URLs than encodeURIComponent). */
export const waitForPath = (page: Page, folder: string) => page.waitForURL((url) => decodeURIComponent(url.pathname) === folder);

/** Opens the floating toolbar of a folder unless it is open already (the frontend remembers its state). */
export async function toolbarAction(page: Page, tip: string): Promise<void> {
  const action = page.locator(`svg[tips="${tip}"]`);
  const toggle = page.locator('svg.toolbar-toggle');
  await action.or(toggle).first().waitFor(); // the folder page has drawn its toolbar, open or closed
  if (!(await action.isVisible())) await toggle.click();
  await action.click();
}
