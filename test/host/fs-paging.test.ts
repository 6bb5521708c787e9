/** fs/list with page/per_page on a big folder: answered after as few upstream pages as the page needs. */
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { GooglePhotos } from '../../src/driver/google-photos/driver.js';
import { startHostWithEmulator, type HostSetup } from './support/host-setup.js';

const ITEMS = 2500;
const PER_PAGE = 100;
const LIST_ROUTE = 'GET /photoslibrary/v1/mediaItems';

let setup: HostSetup;

interface ListAnswer { content: Array<{ name: string }>; total: number; total_final: boolean }

async function list(path: string, extra: Record<string, unknown> = {}): Promise<ListAnswer> {
  const answer = await setup.client.post<ListAnswer>('/api/fs/list', { path, ...extra });
  if (answer.code !== 200) throw new Error(`list ${path}: ${answer.code} ${answer.message}`);
  return answer.data;
}

function listRequests(): number {
  return setup.emulator.requestCounts()[LIST_ROUTE] ?? 0;
}

async function listRequestsDuring<T>(work: () => Promise<T>): Promise<{ result: T; requests: number }> {
  const before = listRequests();
  const result = await work();
  return { result, requests: listRequests() - before };
}

/** Every name of the folder, walking page by page until the total is final. */
async function walk(path: string): Promise<{ names: string[]; answers: ListAnswer[] }> {
  const names: string[] = [];
  const answers: ListAnswer[] = [];
  for (let page = 1; ; page++) {
    const answer = await list(path, { page, per_page: PER_PAGE });
    answers.push(answer);
    names.push(...answer.content.map((item) => item.name));
    if (answer.total_final && names.length >= answer.total) return { names, answers };
    if (page > ITEMS) throw new Error('the listing never became final');
  }
}

async function mount(path: string): Promise<void> {
  const id = await setup.addGooglePhotos(path, { root_folder_id: 'all' }, { cache_expiration: 30 });
  expect((await setup.settled(id)).status).toBe('work');
}

beforeAll(async () => {
  setup = await startHostWithEmulator({ items: ITEMS, albums: 2 });
  for (const path of ['/photos', '/cold', '/shared', '/again', '/broken', '/repeat', '/ahead']) await mount(path);
}, 60_000);

afterAll(async () => {
  await setup?.close();
});

it('answers page 1 after at most 2 upstream pages, with a total that says it is not final', async () => {
  const { result, requests } = await listRequestsDuring(() => list('/photos', { page: 1, per_page: PER_PAGE }));
  expect(requests).toBeLessThanOrEqual(2);
  expect(result.content).toHaveLength(PER_PAGE);
  expect(result.total_final).toBe(false);
  expect(result.total).toBeGreaterThan(PER_PAGE);
});

it('answers page 20 after about 20 upstream pages, and pages already fetched from what it kept', async () => {
  const { result, requests } = await listRequestsDuring(() => list('/photos', { page: 20, per_page: PER_PAGE }));
  expect(requests).toBeLessThanOrEqual(20);
  expect(result.content).toHaveLength(PER_PAGE);
  expect(result.total_final).toBe(false);
  expect(result.total).toBeGreaterThan(20 * PER_PAGE);
  // Page 7 was fetched already; at most page 21, read ahead after page 20, arrives meanwhile.
  expect((await listRequestsDuring(() => list('/photos', { page: 7, per_page: PER_PAGE }))).requests).toBeLessThanOrEqual(1);
});

it('reaches the whole folder, ends with an exact total, and names it as the driver does', async () => {
  const page1 = (await list('/photos', { page: 1, per_page: PER_PAGE })).content.map((item) => item.name);
  const { names, answers } = await walk('/photos');
  expect(names).toHaveLength(ITEMS);
  expect(new Set(names).size).toBe(ITEMS);
  expect(answers.slice(0, -1).every((answer) => !answer.total_final)).toBe(true);
  expect(answers.at(-1)).toMatchObject({ total: ITEMS, total_final: true });
  // Names given with page 1 stayed as they were while later pages came in.
  expect(names.slice(0, PER_PAGE)).toEqual(page1);
  // Past the end: nothing, and the exact total.
  expect(await list('/photos', { page: 99, per_page: PER_PAGE })).toMatchObject({ content: [], total: ITEMS, total_final: true });

  const driver = new GooglePhotos({
    client_id: setup.emulator.client.clientId,
    client_secret: setup.emulator.client.clientSecret,
    refresh_token: setup.emulator.issueRefreshToken(),
    api_base_url: setup.emulator.url,
  });
  expect((await driver.list('all')).map((obj) => obj.name)).toEqual(names);
  // The whole listing in one answer is the same listing.
  expect((await list('/photos')).content.map((item) => item.name)).toEqual(names);
  // Repeated filenames: the first keeps its name only when no other item on the first page shares it.
  expect(names.filter((name) => name.startsWith('IMG_0001')).every((name) => name !== 'IMG_0001.jpg')).toBe(true);
}, 60_000);

it('starts over on refresh, with the same names', async () => {
  const before = await list('/photos', { page: 1, per_page: PER_PAGE });
  const { result, requests } = await listRequestsDuring(() => list('/photos', { page: 1, per_page: PER_PAGE, refresh: true }));
  expect(requests).toBe(1);
  expect(result.total_final).toBe(false);
  const names = (answer: ListAnswer) => answer.content.map((item) => item.name);
  expect(names(result)).toEqual(names(before));
  // Pages 2 and 3, and perhaps already page 4 read ahead.
  const third = await listRequestsDuring(() => list('/photos', { page: 3, per_page: PER_PAGE }));
  expect(third.requests).toBeGreaterThanOrEqual(2);
  expect(third.requests).toBeLessThanOrEqual(3);
});

it('finds a file far down a folder nobody listed yet', async () => {
  const { names } = await walk('/again');
  const far = names[ITEMS - 3]!;
  const { result, requests } = await listRequestsDuring(() => setup.client.post('/api/fs/get', { path: `/cold/${far}` }));
  expect(result.code).toBe(200);
  expect(result.data.name).toBe(far);
  expect(requests).toBe(ITEMS / PER_PAGE);
  expect((await setup.client.post('/api/fs/get', { path: '/cold/no such file.jpg' })).code).toBe(404);
});

it('shares one upstream walk between concurrent requests for the same folder', async () => {
  const { result, requests } = await listRequestsDuring(() => Promise.all([
    list('/shared', { page: 10, per_page: PER_PAGE }),
    list('/shared', { page: 10, per_page: PER_PAGE }),
    list('/shared', { page: 5, per_page: PER_PAGE }),
  ]));
  // Ten pages, and perhaps the eleventh read ahead.
  expect(requests).toBeGreaterThanOrEqual(10);
  expect(requests).toBeLessThanOrEqual(11);
  expect(result[0]).toEqual(result[1]);
  expect(result[2].content).toHaveLength(PER_PAGE);
});

it('answers an upstream failure mid-folder with an error, and the next request starts over', async () => {
  expect((await list('/broken', { page: 2, per_page: PER_PAGE })).content).toHaveLength(PER_PAGE);
  setup.emulator.setFaults({ failRate: 1, failCodes: [500] });
  try {
    const failed = await setup.client.post('/api/fs/list', { path: '/broken', page: 5, per_page: PER_PAGE });
    expect(failed.code).not.toBe(200);
    expect(failed.message).toMatch(/Internal error encountered/);
  } finally {
    setup.emulator.setFaults({ failRate: 0 });
  }
  const { result, requests } = await listRequestsDuring(() => list('/broken', { page: 5, per_page: PER_PAGE }));
  expect(result.content).toHaveLength(PER_PAGE);
  expect(requests).toBeGreaterThanOrEqual(5);
  expect(requests).toBeLessThanOrEqual(6);
});

it('lists an item Google repeats on the next page once', async () => {
  setup.emulator.setFaults({ repeatIds: true });
  try {
    const { names, answers } = await walk('/repeat');
    expect(names).toHaveLength(ITEMS);
    expect(new Set(names).size).toBe(ITEMS);
    expect(answers.at(-1)).toMatchObject({ total: ITEMS, total_final: true });
  } finally {
    setup.emulator.setFaults({ repeatIds: false });
  }
}, 60_000);

it('fetches the next page while a reader going through the folder reads this one, but not after page 1', async () => {
  const start = listRequests();
  await list('/ahead', { page: 1, per_page: PER_PAGE });
  expect(listRequests() - start).toBe(1);
  await list('/ahead', { page: 2, per_page: PER_PAGE });
  // Page 3 is on its way without anyone asking: wait (a bounded while) until the emulator has served it.
  for (let tries = 0; tries < 500 && listRequests() - start < 3; tries++) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(listRequests() - start).toBe(3);
  expect((await listRequestsDuring(() => list('/ahead', { page: 3, per_page: PER_PAGE }))).requests).toBeLessThanOrEqual(1);
});
