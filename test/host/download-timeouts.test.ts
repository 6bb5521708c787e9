/** /p/ downloads whose client stops reading, or whose storage stops sending, are cut off rather than held forever. */
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { rmSync } from 'node:fs';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { createHost, type Host, type HostOptions } from '../../src/host/index.js';
import { registerDriver } from '../../src/types/registry.js';
import { ByteStoreServer } from './support/byte-store-server.js';
import { settledStorage } from './support/google-photos-storage.js';
import { HostClient } from './support/host-client.js';
import { ADMIN_PASSWORD, FAST_DRIVER_OPTIONS, makeDataDir } from './support/host-setup.js';
import { testFilesDriver } from './support/test-files-driver.js';

const STORE_TOKEN = 'byte-store-token-timeouts';
const ENDLESS_BYTES = 1024 * 1024 * 1024;
const STALLING_BYTES = 1024 * 1024;
const IDLE_MS = 200;

let store: ByteStoreServer;
const hosts: Array<{ host: Host; dataDir: string }> = [];

/** A host with one TestFiles storage at /files on the byte store; `idle` sets its download idle timeouts. */
async function startHost(idle: HostOptions['downloadIdleTimeoutMs']): Promise<{ url: string; token: string }> {
  const dataDir = makeDataDir();
  const host = await createHost({ dataDir, port: 0, adminPassword: ADMIN_PASSWORD, demo: false, driverOptions: FAST_DRIVER_OPTIONS, downloadIdleTimeoutMs: idle });
  hosts.push({ host, dataDir });
  const client = new HostClient(host.url);
  await client.login('admin', ADMIN_PASSWORD);
  const created = await client.post('/api/admin/storage/create', {
    mount_path: '/files', driver: 'TestFiles', addition: JSON.stringify({ base_url: store.url, token: STORE_TOKEN }),
  });
  expect(created.code).toBe(200);
  expect((await settledStorage(client, created.data.id)).status).toBe('work');
  return { url: host.url, token: client.token };
}

function get(url: string, token: string): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    httpRequest(url, { headers: { authorization: token } }, resolve).on('error', reject).end();
  });
}

/**
 * Reads the rest of a response: the bytes it got, and whether it was cut off (closed before its last byte). Also
 * answers when the response was already closed, since a cut connection may be noticed before this is called.
 */
function drain(response: IncomingMessage): Promise<{ bytes: number; cutOff: boolean }> {
  let bytes = 0;
  return new Promise((resolve) => {
    const done = () => resolve({ bytes, cutOff: !response.complete });
    if (response.closed) return done();
    response.on('data', (chunk: Buffer) => { bytes += chunk.length; }).on('error', () => {}).once('close', done).resume();
  });
}

beforeAll(async () => {
  registerDriver(testFilesDriver);
  store = await new ByteStoreServer({}, new Set([STORE_TOKEN]), { 'endless.bin': ENDLESS_BYTES, 'stalling.bin': STALLING_BYTES }, { 'stalling.bin': 32 * 1024 }).start();
});

afterAll(async () => {
  for (const { host, dataDir } of hosts) {
    await host.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
  await store?.close();
});

it('cuts off a client that stops reading, and stops the storage transfer behind it', async () => {
  const { url, token } = await startHost({ client: IDLE_MS });
  const aborted = store.nextAbort();
  const response = await get(`${url}/p/files/endless.bin`, token);
  expect(response.statusCode).toBe(200);
  await new Promise((resolve) => response.once('readable', resolve));
  response.pause(); // reads nothing more: the host's buffers and the storage's fill, then stay full
  await aborted;
  const rest = await drain(response);
  expect(rest.cutOff).toBe(true);
  expect(rest.bytes).toBeLessThan(ENDLESS_BYTES);
}, 30_000);

it('ends the client’s download with an error when the storage stops sending mid-body', async () => {
  const { url, token } = await startHost({ upstream: IDLE_MS });
  const aborted = store.nextAbort();
  const response = await get(`${url}/p/files/stalling.bin`, token);
  expect(response.statusCode).toBe(200);
  expect(response.headers['content-length']).toBe(String(STALLING_BYTES));
  const rest = await drain(response);
  expect(rest.cutOff).toBe(true);
  expect(rest.bytes).toBe(32 * 1024);
  await aborted; // the host closed its connection to the storage too
}, 30_000);
