import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import nock from 'nock';
import { DriverError } from '../../src/types/errors.js';
import { fastRetry, LIBRARY_ORIGIN, restoreNock, setupNock, makeDriver, mediaItem, rpcError, SECRETS, tokenEndpoint } from './fixtures.js';
import { driverFailure } from '../support/driver-errors.js';

// nock stays installed in this jest worker unless restored: later files' real HTTP would go through it.
beforeAll(setupNock);
afterAll(restoreNock);

const GRANULARITY = 262_144;
const SESSION_PATH = '/upload/session';

/** ASCII bytes (nock hands request bodies over as text), distinct at every offset. */
function asciiBytes(size: number): Buffer {
  const bytes = Buffer.alloc(size);
  for (let i = 0; i < size; i++) bytes[i] = 97 + ((i * 7 + (i >> 10)) % 26);
  return bytes;
}

function file(name: string, bytes: Buffer) {
  return { name, size: bytes.length, stream: Readable.from([bytes]) };
}

interface ChunkSeen { offset: number; command: string; body: string }

/** A start that hands out SESSION_PATH (or SESSION_PATH/n), and records what it was sent. */
function startEndpoint(times = 1, headersSeen: Record<string, string>[] = []) {
  let n = 0;
  nock(LIBRARY_ORIGIN)
    .post('/v1/uploads')
    .times(times)
    .reply(function () {
      headersSeen.push(this.req.headers as Record<string, string>);
      n++;
      return [200, '', {
        'x-goog-upload-status': 'active',
        'x-goog-upload-url': `${LIBRARY_ORIGIN}${SESSION_PATH}${times > 1 ? `/${n}` : ''}?upload_id=secret-session`,
        'x-goog-upload-chunk-granularity': String(GRANULARITY),
      }];
    });
}

function batchCreateAnswering(bodies: any[], times = 1) {
  nock(LIBRARY_ORIGIN)
    .post('/v1/mediaItems:batchCreate')
    .times(times)
    .reply(200, (_uri, body: any) => {
      bodies.push(body);
      return {
        newMediaItemResults: body.newMediaItems.map((entry: any) => ({
          uploadToken: entry.simpleMediaItem.uploadToken,
          status: { message: 'Success' },
          mediaItem: mediaItem(`item-${entry.simpleMediaItem.uploadToken}`, entry.simpleMediaItem.fileName),
        })),
      };
    });
}

describe('Google Photos uploads (protocol, with nock)', () => {
  beforeEach(() => {
    nock.disableNetConnect();
  });
  afterEach(() => {
    nock.cleanAll();
    nock.enableNetConnect();
  });

  it('starts with the size and type, sends chunks aligned to the granularity, finalizes with the last, then batchCreates into the album', async () => {
    tokenEndpoint();
    const starts: Record<string, string>[] = [];
    startEndpoint(1, starts);
    const chunks: ChunkSeen[] = [];
    nock(LIBRARY_ORIGIN).post(SESSION_PATH).query(true).times(3).reply(function (_uri, body) {
      const command = String(this.req.headers['x-goog-upload-command']);
      chunks.push({ offset: Number(this.req.headers['x-goog-upload-offset']), command, body: String(body) });
      return command.includes('finalize') ? [200, 'upload-token-1'] : [200, ''];
    });
    const created: any[] = [];
    batchCreateAnswering(created);

    const bytes = asciiBytes(1_100_000);
    const progress: number[] = [];
    const driver = makeDriver({}, { uploadChunkBytes: 600_000 });
    const obj = await driver.put('ALBUM-1', file('holiday photo.jpg', bytes), { onProgress: (sent) => progress.push(sent) });

    expect(obj).toMatchObject({ id: 'item-upload-token-1', name: 'holiday photo.jpg', isDir: false });
    expect(starts[0]).toMatchObject({
      'x-goog-upload-protocol': 'resumable', 'x-goog-upload-command': 'start', 'x-goog-upload-raw-size': '1100000',
      'x-goog-upload-content-type': 'image/jpeg', 'x-goog-upload-file-name': 'holiday%20photo.jpg',
    });
    expect(chunks.map(({ offset, command, body }) => [offset, command, body.length])).toEqual([
      [0, 'upload', 2 * GRANULARITY],
      [2 * GRANULARITY, 'upload', 2 * GRANULARITY],
      [4 * GRANULARITY, 'upload, finalize', 1_100_000 - 4 * GRANULARITY],
    ]);
    expect(chunks.map((chunk) => chunk.body).join('')).toBe(bytes.toString('latin1'));
    expect(progress.at(-1)).toBe(1_100_000);
    expect(created).toEqual([{ albumId: 'ALBUM-1', newMediaItems: [{ simpleMediaItem: { uploadToken: 'upload-token-1', fileName: 'holiday photo.jpg' } }] }]);
  });

  it('after a dropped connection or a 503 asks what Google committed and sends only the rest; never from zero', async () => {
    // nock cannot drop a connection reliably: the upload session lives on a real local server that does.
    type Step = (req: IncomingMessage, body: Buffer, res: ServerResponse) => void;
    const received: ChunkSeen[] = [];
    const queried: number[] = [];
    const chunkOk = (answer = ''): Step => (req, body, res) => {
      received.push({ offset: Number(req.headers['x-goog-upload-offset']), command: String(req.headers['x-goog-upload-command']), body: body.toString('latin1') });
      res.writeHead(200).end(answer);
    };
    const queryAnswer = (size: number): Step => (req, _body, res) => {
      queried.push(req.headers['x-goog-upload-command'] === 'query' ? size : -1);
      res.writeHead(200, { 'x-goog-upload-status': 'active', 'x-goog-upload-size-received': String(size) }).end();
    };
    const steps: Step[] = [
      chunkOk(),
      (_req, _body, res) => { res.writeHead(503, { 'content-type': 'application/json' }).end(JSON.stringify(rpcError(503, 'UNAVAILABLE', 'The service is currently unavailable.'))); },
      queryAnswer(3 * GRANULARITY),
      chunkOk(),
      (req) => { req.socket.destroy(); },
      queryAnswer(4 * GRANULARITY),
      chunkOk('token-after-resume'),
    ];
    const server = createServer((req, res) => {
      const parts: Buffer[] = [];
      req.on('data', (part: Buffer) => parts.push(part));
      req.on('end', () => steps.shift()!(req, Buffer.concat(parts), res));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    nock.enableNetConnect('127.0.0.1');
    try {
      tokenEndpoint();
      const sessionUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/upload?upload_id=s`;
      nock(LIBRARY_ORIGIN).post('/v1/uploads').reply(200, '', { 'x-goog-upload-url': sessionUrl, 'x-goog-upload-chunk-granularity': String(GRANULARITY) });
      batchCreateAnswering([]);

      // Chunks of 2 granules: [0, 2G) ok; [2G, 4G) 503, query says 3G, [3G, 4G) sent; [4G, 5G+10) dropped, query 4G, sent again.
      const bytes = asciiBytes(5 * GRANULARITY + 10);
      const driver = makeDriver({}, { uploadChunkBytes: 2 * GRANULARITY });
      const obj = await driver.put('all', file('resumed.jpg', bytes));

      expect(obj.id).toBe('item-token-after-resume');
      expect(queried).toEqual([3 * GRANULARITY, 4 * GRANULARITY]);
      expect(received.map(({ offset, command, body }) => [offset, command, body.length])).toEqual([
        [0, 'upload', 2 * GRANULARITY], [3 * GRANULARITY, 'upload', GRANULARITY], [4 * GRANULARITY, 'upload, finalize', GRANULARITY + 10],
      ]);
      // What Google holds: the first 2G, the 3rd granule committed before the 503, then the rest.
      const held = received[0]!.body + bytes.toString('latin1', 2 * GRANULARITY, 3 * GRANULARITY) + received[1]!.body + received[2]!.body;
      expect(held).toBe(bytes.toString('latin1'));
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('a file Google refused in batchCreate fails with its name and Google\'s message; the other file of the call succeeds', async () => {
    tokenEndpoint();
    startEndpoint(2);
    nock(LIBRARY_ORIGIN).post(/\/upload\/session\/\d/).query(true).times(2)
      .reply(function () { return [200, `token-${this.req.path.split('/')[3]!.split('?')[0]}`]; });
    const bodies: any[] = [];
    nock(LIBRARY_ORIGIN).post('/v1/mediaItems:batchCreate').reply(200, (_uri, body: any) => {
      bodies.push(body);
      return {
        newMediaItemResults: body.newMediaItems.map((entry: any) => (entry.simpleMediaItem.fileName === 'broken.jpg'
          ? { uploadToken: entry.simpleMediaItem.uploadToken, status: { code: 3, message: 'Failed: There was an error while trying to create this media item.' } }
          : { uploadToken: entry.simpleMediaItem.uploadToken, status: { message: 'Success' }, mediaItem: mediaItem('good-id', 'good.jpg') })),
      };
    });

    const driver = makeDriver();
    const [good, broken] = await Promise.allSettled([
      driver.put('ALBUM-2', file('good.jpg', asciiBytes(100))),
      driver.put('ALBUM-2', file('broken.jpg', asciiBytes(120))),
    ]);
    expect(bodies).toHaveLength(1);
    expect(bodies[0].newMediaItems).toHaveLength(2);
    expect(good).toMatchObject({ status: 'fulfilled', value: { id: 'good-id', name: 'good.jpg' } });
    expect(broken.status).toBe('rejected');
    const error = (broken as PromiseRejectedResult).reason as DriverError;
    expect(error).toBeInstanceOf(DriverError);
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.message).toContain('"broken.jpg"');
    expect(error.message).toContain('Failed: There was an error while trying to create this media item.');
  });

  it('a chunk Google refuses fails at once, ends the session, and the error holds neither the token nor the session URL', async () => {
    tokenEndpoint();
    startEndpoint();
    nock(LIBRARY_ORIGIN).post(SESSION_PATH).query(true).reply(400, rpcError(400, 'INVALID_ARGUMENT', 'Invalid X-Goog-Upload-Offset: expected 0.'));
    let cancelled = false;
    nock(LIBRARY_ORIGIN).post(SESSION_PATH).query(true).reply(function () {
      cancelled = this.req.headers['x-goog-upload-command'] === 'cancel';
      return [200, ''];
    });
    const error = await driverFailure(makeDriver().put('all', file('refused.jpg', asciiBytes(100))));
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.message).toContain('Invalid X-Goog-Upload-Offset: expected 0.');
    const seen = `${error.message} ${error.hint} ${JSON.stringify(error)} ${JSON.stringify(error.cause)}`;
    for (const secret of [...SECRETS, 'secret-session']) expect(seen).not.toContain(secret);
    for (let i = 0; i < 250 && !cancelled; i++) await new Promise((resolve) => setTimeout(resolve, 20));   // sent without waiting for it
    expect(cancelled).toBe(true);
  });

  it.each([
    ['shorter', 3 * GRANULARITY, 2 * GRANULARITY + 1000, /held 525288/],
    ['longer', 2 * GRANULARITY, 2 * GRANULARITY + 1000, /held more than 524288/],
  ])('a stream %s than its announced size fails, never finalizes, and ends the session', async (_what, announced, streamed, message) => {
    tokenEndpoint();
    startEndpoint();
    const commands: string[] = [];
    nock(LIBRARY_ORIGIN).post(SESSION_PATH).query(true).times(4).reply(function () {
      commands.push(String(this.req.headers['x-goog-upload-command']));
      return [200, ''];
    });
    const bytes = asciiBytes(streamed);
    // Several pieces, so that the next chunk is read while one is sent; the extra bytes of the longer stream come
    // in a piece of their own, after the announced size was reached.
    const pieces = [bytes.subarray(0, 100_000), bytes.subarray(100_000, 2 * GRANULARITY), bytes.subarray(2 * GRANULARITY)];
    const driver = makeDriver({}, { uploadChunkBytes: GRANULARITY });
    const error = await driverFailure(driver.put('all', { name: 'sized.jpg', size: announced, stream: Readable.from(pieces) }));
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.message).toMatch(message);
    for (let i = 0; i < 250 && !commands.includes('cancel'); i++) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(commands).toContain('cancel');
    expect(commands.filter((command) => command.includes('finalize'))).toEqual([]);
  });

  it('checks type, size and name before a single request', async () => {
    const driver = makeDriver();
    const tooBigPhoto = await driverFailure(driver.put('all', { name: 'huge.jpg', size: 200 * 1024 * 1024 + 1, stream: Readable.from([]) }));
    expect(tooBigPhoto.code).toBe('INVALID_ARGUMENT');
    expect(tooBigPhoto.message).toContain('200 MB');
    const tooBigVideo = await driverFailure(driver.put('all', { name: 'long.mp4', size: 20 * 1024 ** 3 + 1, stream: Readable.from([]) }));
    expect(tooBigVideo.message).toContain('20 GB');
    const document = await driverFailure(driver.put('all', file('report.pdf', asciiBytes(10))));
    expect(document.code).toBe('UNSUPPORTED');
    expect(document.message).toMatch(/photos: AVIF, BMP, GIF, HEIC, ICO, JPG, PNG, TIFF, WEBP.*videos: 3GP.*MP4/);
    const longName = await driverFailure(driver.put('all', file(`${'é'.repeat(253)}.jpg`, asciiBytes(10))));
    expect(longName.code).toBe('INVALID_ARGUMENT');
    expect(longName.message).toContain('255');
    const empty = await driverFailure(driver.put('all', file('empty.jpg', Buffer.alloc(0))));
    expect(empty.code).toBe('INVALID_ARGUMENT');
    // Nothing was intercepted and nothing may go out: any request would have failed as UPSTREAM_UNAVAILABLE instead.
    expect(nock.pendingMocks()).toEqual([]);
  });

  it('waits as long as Retry-After says when the start answers 429, then uploads', async () => {
    tokenEndpoint();
    nock(LIBRARY_ORIGIN).post('/v1/uploads')
      .reply(429, rpcError(429, 'RESOURCE_EXHAUSTED', "Quota exceeded for quota metric 'Write requests' and limit 'Write requests per minute per user'."), { 'retry-after': '7' });
    startEndpoint();
    nock(LIBRARY_ORIGIN).post(SESSION_PATH).query(true).reply(200, 'token-429');
    batchCreateAnswering([]);
    const sleeps: number[] = [];
    const driver = makeDriver({}, { retry: fastRetry(sleeps) });
    const obj = await driver.put('all', file('later.jpg', asciiBytes(50)));
    expect(obj.id).toBe('item-token-429');
    expect(sleeps).toEqual([7000]);
  });

  it('concurrent puts into one album share batchCreate calls of at most 50 items, each settling with its own item', async () => {
    tokenEndpoint();
    startEndpoint(120);
    nock(LIBRARY_ORIGIN).post(/\/upload\/session\/\d+/).query(true).times(120)
      .reply(function () { return [200, `t${this.req.path.split('/')[3]!.split('?')[0]}`]; });
    const bodies: any[] = [];
    batchCreateAnswering(bodies, 3);

    const driver = makeDriver();
    const names = Array.from({ length: 120 }, (_, i) => `photo-${i}.jpg`);
    const objs = await Promise.all(names.map((name) => driver.put('ALBUM-3', file(name, asciiBytes(20)))));

    expect(objs.map((obj) => obj.name)).toEqual(names);
    expect(new Set(objs.map((obj) => obj.id)).size).toBe(120);
    expect(bodies.map((body) => body.newMediaItems.length)).toEqual([50, 50, 20]);
    expect(bodies.every((body) => body.albumId === 'ALBUM-3')).toBe(true);
  });
});
