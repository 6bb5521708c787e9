/** The size prober against a local file server: time-bounded learn(), one HEAD per item, QUOTA_EXCEEDED pauses. */
import { afterAll, afterEach, beforeAll, expect, it } from '@jest/globals';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DriverError } from '../../src/types/errors.js';
import type { Link, Obj } from '../../src/types/obj.js';
import type { FileTarget, FsService } from '../../src/host/fs/fs-service.js';
import { SizeBook } from '../../src/host/sizes/size-book.js';
import { SizeProber } from '../../src/host/sizes/size-prober.js';
import type { LiveStorage } from '../../src/host/storages/storage-manager.js';

const SIZES: Record<string, number> = { a: 1234, b: 99, c: 0, slow: 5000, once: 321 };
const heads = new Map<string, number>();
const held: ServerResponse[] = [];
let server: Server;
let base = '';

beforeAll(async () => {
  server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const id = (request.url ?? '/').slice(1);
    heads.set(id, (heads.get(id) ?? 0) + 1);
    if (id === 'slow') return void held.push(response); // answers only when the test ends
    if (id === 'busy') return void response.writeHead(429, { 'retry-after': '3600' }).end();
    if (id === 'once' && heads.get(id) === 1) return void response.writeHead(503, { 'retry-after': '1' }).end();
    const size = SIZES[id];
    if (size === undefined) return void response.writeHead(404).end();
    response.writeHead(200, { 'content-length': String(size) }).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(() => heads.clear());

afterAll(async () => {
  for (const response of held) response.destroy();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const live = { row: { id: 7, mount_path: '/m', disabled: false } } as unknown as LiveStorage;
const file = (id: string): Obj => ({ id, name: `${id}.jpg`, isDir: false, modified: new Date(0) });

/** An fs service whose links point at the local server; `linkError` makes link() fail instead. */
function fakeFs(linkError?: () => Error): FsService {
  return {
    link: async (target: FileTarget): Promise<{ link: Link; cached: boolean }> => {
      if (linkError) throw linkError();
      return { link: { url: `${base}/${target.obj.id}` }, cached: false };
    },
  } as unknown as FsService;
}

it('learn() answers within its time bound with the sizes it could learn', async () => {
  const prober = new SizeProber(fakeFs(), new SizeBook(Date.now));
  const sizes = await prober.learn(live, [file('a'), file('slow'), file('b')], { timeoutMs: 500 });
  expect(Object.fromEntries(sizes)).toEqual({ a: 1234, b: 99 });
  prober.close();
});

it('asks once per item, however many callers ask at once or later', async () => {
  const book = new SizeBook(Date.now);
  const prober = new SizeProber(fakeFs(), book);
  const items = [file('a'), file('b'), file('c')];
  const answers = await Promise.all([1, 2, 3].map(() => prober.learn(live, items, { timeoutMs: 5000 })));
  prober.probe(live, items);
  const again = await prober.learn(live, items, { timeoutMs: 5000 });
  for (const sizes of [...answers, again]) expect(Object.fromEntries(sizes)).toEqual({ a: 1234, b: 99, c: 0 });
  expect(Object.fromEntries(heads)).toEqual({ a: 1, b: 1, c: 1 });
  prober.close();
});

it('a file that cannot be measured is not asked again at once, and learn() still answers', async () => {
  const prober = new SizeProber(fakeFs(), new SizeBook(Date.now));
  expect((await prober.learn(live, [file('missing')], { timeoutMs: 5000 })).size).toBe(0);
  expect((await prober.learn(live, [file('missing')], { timeoutMs: 5000 })).size).toBe(0);
  expect(heads.get('missing')).toBe(2); // one stale-link retry with a fresh link, then no more
  prober.close();
});

it('a quota error from the driver pauses the storage\'s probing instead of failing every file', async () => {
  let calls = 0;
  const prober = new SizeProber(fakeFs(() => {
    calls++;
    return new DriverError('QUOTA_EXCEEDED', 'Quota exceeded for quota metric');
  }), new SizeBook(Date.now), { concurrency: 1 });
  const sizes = await prober.learn(live, [file('a'), file('b'), file('c')], { timeoutMs: 300 });
  expect(sizes.size).toBe(0);
  expect(calls).toBe(1);
  expect(heads.size).toBe(0);
  prober.close();
});

it('honours Retry-After: the storage waits, then the same file is asked again and learnt', async () => {
  const prober = new SizeProber(fakeFs(), new SizeBook(Date.now), { concurrency: 1 });
  const sizes = await prober.learn(live, [file('once'), file('a')], { timeoutMs: 10_000 });
  expect(Object.fromEntries(sizes)).toEqual({ once: 321, a: 1234 });
  expect(Object.fromEntries(heads)).toEqual({ once: 2, a: 1 });
  prober.close();
});

it('while a storage is paused for longer than the bound, learn() answers at once and asks nothing', async () => {
  const prober = new SizeProber(fakeFs(), new SizeBook(Date.now), { concurrency: 1 });
  expect((await prober.learn(live, [file('busy')], { timeoutMs: 2000 })).size).toBe(0);
  expect((await prober.learn(live, [file('a'), file('b')], { timeoutMs: 60_000 })).size).toBe(0);
  expect(Object.fromEntries(heads)).toEqual({ busy: 1 });
  prober.close();
});
