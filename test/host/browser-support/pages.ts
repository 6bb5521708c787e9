import { expect } from '@jest/globals';
import type { Page } from 'playwright-core';

/**
 * A page-side condition for page.waitForFunction. Playwright polls a string condition with eval inside the page,
 * which the UI's Content-Security-Policy forbids; a function is sent through DevTools instead. Built here from
 * the expression's text (the tests compile without DOM types).
 */
export function pageCondition(expression: string): () => unknown {
  return new Function(`return (${expression});`) as () => unknown;
}

/** The file browser's entries, by the selectors the UI pins (data-testid="entry", data-name). */
export function entry(page: Page, name: string) {
  return page.locator('[data-testid="entry"]').filter({ has: page.locator(`[data-testid="entry-name"]`).getByText(name, { exact: true }) });
}

export async function logIn(page: Page, baseUrl: string, username: string, password: string): Promise<void> {
  await page.goto(`${baseUrl}/@login?redirect=${encodeURIComponent('/@manage')}`);
  await page.fill('#username', username);
  await page.fill('#password', password);
  await page.click('#login-submit');
  await page.waitForURL(`${baseUrl}/@manage`);
}

/** Waits until the list shows the folder at `path` (the browser sets data-loaded-path when a listing is in). */
export async function waitForListing(page: Page, path: string): Promise<void> {
  await page.locator(`#file-list[data-loaded-path="${path.replace(/["\\]/g, '\\$&')}"]`).waitFor({ state: 'attached' });
}

export async function openFolder(page: Page, name: string, path: string): Promise<void> {
  await entry(page, name).locator('[data-testid="entry-link"]').click();
  await waitForListing(page, path);
}

export async function listedNames(page: Page): Promise<string[]> {
  return page.locator('#file-list [data-testid="entry-name"]').allTextContents();
}

export function expectNoPageErrors(errors: string[]): void {
  expect(errors).toEqual([]);
}

/** What the generated form shows for one config item: the control's tag and type, and the help text under it. */
export async function renderedField(page: Page, name: string): Promise<{ tag: string; type: string; help: string; value: string }> {
  const control = page.locator(`[data-testid="driver-fields"] [name="${name}"]`);
  const tag = await control.evaluate((el) => el.tagName.toLowerCase());
  const type = (await control.getAttribute('type')) ?? '';
  const helpId = await control.getAttribute('aria-describedby');
  const help = helpId ? ((await page.locator(`[id="${helpId}"]`).textContent()) ?? '') : '';
  const value = type === 'checkbox' ? String(await control.isChecked()) : await control.inputValue();
  return { tag, type, help, value };
}
