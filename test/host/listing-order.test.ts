/** fs/list in the storage's order: order_by / order_direction / extract_folder, on a whole folder and on a paged one. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { StorageOptions } from '../../src/host/storages/storage-options.js';
import { startHostWithEmulator, type HostSetup } from './support/host-setup.js';

const ITEMS = 250;
const PER_PAGE = 20;

let setup: HostSetup;
let localRoot: string;
let localId: number;

interface ListAnswer { content: Array<{ name: string; is_dir: boolean }>; total: number; total_final: boolean }

async function list(listPath: string, extra: Record<string, unknown> = {}): Promise<ListAnswer> {
  const answer = await setup.client.post<ListAnswer>('/api/fs/list', { path: listPath, ...extra });
  if (answer.code !== 200) throw new Error(`list ${listPath}: ${answer.code} ${answer.message}`);
  return answer.data;
}

async function localNames(options: Partial<StorageOptions>): Promise<string[]> {
  const reset = { order_by: '', order_direction: '', extract_folder: '' };
  expect((await setup.client.post(`/api/admin/storage/update?id=${localId}`, { ...reset, ...options })).code).toBe(200);
  expect((await setup.settled(localId)).status).toBe('work');
  return (await list('/local')).content.map((item) => item.name);
}

function put(name: string, size: number, year: number): void {
  writeFileSync(path.join(localRoot, name), Buffer.alloc(size, 1));
  const when = new Date(Date.UTC(year, 0, 1));
  utimesSync(path.join(localRoot, name), when, when);
}

beforeAll(async () => {
  localRoot = mkdtempSync(path.join(tmpdir(), 'listing-order-'));
  mkdirSync(path.join(localRoot, 'b-folder'));
  mkdirSync(path.join(localRoot, 'A-folder'));
  put('IMG_10.jpg', 30, 2021);
  put('IMG_2.jpg', 10, 2023);
  put('img_1.txt', 20, 2022);
  setup = await startHostWithEmulator({ items: ITEMS, albums: 1 });
  const created = await setup.client.post('/api/admin/storage/create', {
    mount_path: '/local', driver: 'Local', addition: JSON.stringify({ root_folder_path: localRoot }),
  });
  localId = created.data.id;
}, 60_000);

afterAll(async () => {
  await setup?.close();
  rmSync(localRoot, { recursive: true, force: true });
});

describe('a whole folder', () => {
  it('is sorted by name in natural order, ascending or descending', async () => {
    const ascending = ['A-folder', 'b-folder', 'img_1.txt', 'IMG_2.jpg', 'IMG_10.jpg'];
    expect(await localNames({ order_by: 'name', order_direction: 'asc' })).toEqual(ascending);
    expect(await localNames({ order_by: 'name', order_direction: 'desc' })).toEqual([...ascending].reverse());
  });

  it('is sorted by size with the folders in front, or by modified time, newest first, with the folders at the back', async () => {
    expect((await localNames({ order_by: 'size', order_direction: 'asc', extract_folder: 'front' })).slice(2)).toEqual(['IMG_2.jpg', 'img_1.txt', 'IMG_10.jpg']);
    expect((await localNames({ order_by: 'size', extract_folder: 'front' })).slice(0, 2).sort()).toEqual(['A-folder', 'b-folder']);
    const byTime = await localNames({ order_by: 'modified', order_direction: 'desc', extract_folder: 'back' });
    expect(byTime.slice(0, 3)).toEqual(['IMG_2.jpg', 'img_1.txt', 'IMG_10.jpg']);
    expect(byTime.slice(3).sort()).toEqual(['A-folder', 'b-folder']);
  });

  it('puts the folders in front without another order, and the folder picker (fs/dirs) follows the same order', async () => {
    expect((await localNames({ extract_folder: 'front' })).slice(0, 2).sort()).toEqual(['A-folder', 'b-folder']);
    await localNames({ order_by: 'name', order_direction: 'desc' });
    const dirs = await setup.client.post('/api/fs/dirs', { path: '/local' });
    expect(dirs.data.map((dir: { name: string }) => dir.name)).toEqual(['b-folder', 'A-folder']);
  });
});

describe('a folder listed page by page (Google Photos, all media)', () => {
  beforeAll(async () => {
    for (const [mountPath, options] of [['/upstream', {}], ['/by-name', { order_by: 'name', order_direction: 'desc' }]] as const) {
      const id = await setup.addGooglePhotos(mountPath, { root_folder_id: 'all' }, { cache_expiration: 30, ...options });
      expect((await setup.settled(id)).status).toBe('work');
    }
  });

  it('without an order of its own: page 1 is answered before the whole folder is read, in upstream order, its total not final', async () => {
    const page1 = await list('/upstream', { page: 1, per_page: PER_PAGE });
    expect(page1.content).toHaveLength(PER_PAGE);
    expect(page1.total_final).toBe(false);
    const all = (await list('/upstream')).content.map((item) => item.name);
    expect(page1.content.map((item) => item.name)).toEqual(all.slice(0, PER_PAGE));
  });

  it('with order_by: the whole folder is read first, so page 1 is the true first page of the sorted folder and its total is final', async () => {
    const names = (await list('/upstream')).content.map((item) => item.name);
    expect(names).toHaveLength(ITEMS);
    const sorted = [...names].sort(new Intl.Collator('en', { numeric: true }).compare).reverse();
    const page1 = await list('/by-name', { page: 1, per_page: PER_PAGE });
    expect(page1.total_final).toBe(true);
    expect(page1.total).toBe(ITEMS);
    expect(page1.content.map((item) => item.name)).toEqual(sorted.slice(0, PER_PAGE));
    const page2 = await list('/by-name', { page: 2, per_page: PER_PAGE });
    expect(page2.content.map((item) => item.name)).toEqual(sorted.slice(PER_PAGE, 2 * PER_PAGE));
    expect((await list('/by-name')).content.map((item) => item.name)).toEqual(sorted);
  });
});
