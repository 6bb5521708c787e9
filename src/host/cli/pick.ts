import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { registerBuiltinDrivers } from '../../driver/index.js';
import { HELP_OPTION, printedHelp } from './options.js';
import { openDatabase } from '../state/database.js';
import { FsService } from '../fs/fs-service.js';
import { canPick, sessionFolder, sessionFolderId, type PickerDriver } from '../picker/picked-folders.js';
import { DatabasePickerSessionStore } from '../picker/database-picker-sessions.js';
import { normalizeMountPath } from '../fs/paths.js';
import { StorageManager, statusText } from '../storages/storage-manager.js';
import { StorageStore } from '../storages/storage-store.js';

const USAGE = `Usage: gphotos-alist pick --storage /mount [--data ./data] [--label NAME] [--timeout-s SECONDS]

Starts a Google Photos picking session for the GooglePhoto storage mounted at --storage in the server's data
folder, prints the address to open, waits while you pick (as often as Google says), then prints the names of the
picked items and the folder the server shows them in. The session is stored in the data folder, so the server
lists it too. Without --timeout-s it waits as long as Google's polling advice allows; Ctrl-C (or the timeout)
ends the session at Google.`;

export interface PickOptions {
  storage: string;
  dataDir?: string;
  label?: string;
  /** Give up (and end the session) after this long; default: as long as Google's pollingConfig allows. */
  timeoutSec?: number;
  /** Aborting (e.g. Ctrl-C) ends the session at Google. */
  signal?: AbortSignal;
}

export interface PickResult {
  sessionId: string;
  names: string[];
  /** The session's folder in the server's tree ('' when the storage does not show the picked folder). */
  folderPath: string;
}

async function waitUntilPicked(driver: PickerDriver, first: { id: string; pollIntervalMs: number; timeoutMs: number }, options: PickOptions, print: (line: string) => void): Promise<void> {
  const limitMs = Math.min(first.timeoutMs, options.timeoutSec !== undefined ? options.timeoutSec * 1000 : Infinity);
  const deadline = Date.now() + limitMs;
  let interval = first.pollIntervalMs;
  print('Waiting for you to press Done in Google Photos ...');
  for (;;) {
    if (Date.now() + interval > deadline) throw new Error(`Nothing was picked within ${Math.round(limitMs / 1000)} s; the session was ended`);
    await sleep(interval, undefined, options.signal ? { signal: options.signal } : undefined);
    const state = await driver.getPickerSession(first.id);
    if (state.mediaItemsSet) return;
    interval = state.pollIntervalMs;
  }
}

/** The terminal picking: `print` gets each line meant for the person (the picker's address first). */
export async function runPick(options: PickOptions, print: (line: string) => void): Promise<PickResult> {
  registerBuiltinDrivers();
  const mountPath = normalizeMountPath(options.storage);
  const dataDir = path.resolve(options.dataDir ?? './data');
  const db = await openDatabase({ dataDir, databaseUrl: process.env.DATABASE_URL || undefined });
  const store = new StorageStore(db, Date.now);
  // The same driver the server builds, with the same database-backed session store: the server sees this session.
  const storages = new StorageManager(store, undefined, () => undefined, {
    forStorage: (storageId) => new DatabasePickerSessionStore(db, storageId),
    removeAll: (storageId) => DatabasePickerSessionStore.removeAll(db, storageId),
  });
  try {
    const row = (await store.list()).find((candidate) => candidate.mount_path === mountPath);
    if (!row) throw new Error(`No storage is mounted at ${mountPath} in ${dataDir}`);
    const live = (await storages.startOne(row.id))!;
    await live.ready;
    if (live.state !== 'work' || !live.driver) throw new Error(`Storage ${mountPath} does not work: ${statusText(live)}`);
    const driver = live.driver;
    if (!canPick(driver)) throw new Error(`Storage ${mountPath} (${row.driver}) cannot pick from Google Photos; choose a GooglePhoto storage`);

    const session = await driver.createPickerSession(options.label ? { label: options.label } : {});
    print('Open this address in a browser signed in to the storage\'s Google account, pick photos and press Done:');
    print(session.pickerUri);
    print(`(${session.pickerUri}/autoclose closes the tab by itself once you are done)`);
    try {
      await waitUntilPicked(driver, session, options, print);
    } catch (err) {
      await driver.deletePickerSession(session.id).catch(() => undefined);
      throw err;
    }
    const names = (await driver.list(sessionFolderId(session.id))).filter((obj) => !obj.isDir).map((obj) => obj.name);
    const folder = await sessionFolder(new FsService(storages, Date.now), live, driver, session.id);
    print(`Picked ${names.length} ${names.length === 1 ? 'item' : 'items'}:`);
    for (const name of names) print(`  ${name}`);
    if (folder) print(`Folder: ${folder.path}`);
    return { sessionId: session.id, names, folderPath: folder?.path ?? '' };
  } finally {
    await storages.closeAll();
    await db.close();
  }
}

export async function main(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      storage: { type: 'string' },
      data: { type: 'string', default: './data' },
      label: { type: 'string' },
      'timeout-s': { type: 'string' },
      help: HELP_OPTION,
    },
  });
  if (printedHelp(values.help, USAGE)) return;
  if (!values.storage) throw new Error(`--storage is required\n\n${USAGE}`);
  const timeoutSec = values['timeout-s'] === undefined ? undefined : Number(values['timeout-s']);
  if (timeoutSec !== undefined && !(Number.isFinite(timeoutSec) && timeoutSec > 0)) {
    throw new Error(`--timeout-s must be a positive number of seconds, not "${values['timeout-s']}"`);
  }
  const controller = new AbortController();
  const interrupt = () => controller.abort(new Error('Interrupted; the session was ended'));
  process.once('SIGINT', interrupt);
  try {
    await runPick({ storage: values.storage, dataDir: values.data, label: values.label, timeoutSec, signal: controller.signal }, (line) => console.log(line));
  } finally {
    process.removeListener('SIGINT', interrupt);
  }
}
