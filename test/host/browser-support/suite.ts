/** What both browser suites stand on: Chromium, the emulator, a real host on a fresh data folder, and the watched tab. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { startEmulator, type Emulator, type EmulatorOptions } from '../../../src/emulator/index.js';
import { createHost, type Host, type HostOptions } from '../../../src/host/index.js';
import { launchChromium, type LaunchedChromium } from './chromium.js';

export interface BrowserSuite {
  chromium: LaunchedChromium;
  emulator: Emulator;
  host: Host;
  dataDir: string;
  /** Closes all of it (what started) and removes the data folder. */
  close(): Promise<void>;
}

export interface BrowserSuiteOptions {
  emulator: EmulatorOptions;
  /** Prefix of the temporary data folder's name. */
  dataDirPrefix: string;
  host: Omit<HostOptions, 'dataDir'>;
}

export async function startBrowserSuite(options: BrowserSuiteOptions): Promise<BrowserSuite> {
  const started: Partial<Omit<BrowserSuite, 'close'>> = {};
  const close = async () => {
    await started.chromium?.close();
    await started.host?.close();
    await started.emulator?.close();
    if (started.dataDir) rmSync(started.dataDir, { recursive: true, force: true });
  };
  try {
    started.chromium = await launchChromium(); // first: a missing Chromium fails the suite with its own message
    started.emulator = await startEmulator(options.emulator);
    started.dataDir = mkdtempSync(path.join(tmpdir(), options.dataDirPrefix));
    started.host = await createHost({ dataDir: started.dataDir, host: '127.0.0.1', port: 0, ...options.host });
    return { ...(started as Required<typeof started>), close };
  } catch (error) {
    await close();
    throw error;
  }
}

/**
 * The context's first tab, with every page error and every dialog but the one confirmation expected (whose
 * message starts with `acceptedConfirm`) recorded in `pageErrors`: an alert would be injected script running.
 */
export async function watchedPage(context: BrowserContext, pageErrors: string[], acceptedConfirm: string): Promise<Page> {
  const page = context.pages()[0] ?? (await context.newPage());
  context.setDefaultTimeout(15000);
  page.on('pageerror', (error) => pageErrors.push(error.message));
  // Anything the pages' Content-Security-Policy blocks is a failure too.
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) pageErrors.push(`CSP: ${message.text()}`);
  });
  page.on('dialog', (dialog) => {
    if (dialog.type() === 'confirm' && dialog.message().startsWith(acceptedConfirm)) return void dialog.accept();
    pageErrors.push(`unexpected ${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss();
  });
  return page;
}
