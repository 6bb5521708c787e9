/** A link's redirects: followed a bounded number of times, and its headers (the bearer token) only for the same origin. */
import { afterAll, afterEach, beforeAll, expect, it } from '@jest/globals';
import nock from 'nock';
import { fetchLink } from '../../src/host/downloads/upstream.js';
import { restoreNock, setupNock } from '../driver/fixtures.js';

// nock stays installed in this jest worker unless restored: later files' real HTTP would go through it.
beforeAll(setupNock);
afterAll(restoreNock);

const TOKEN = 'Bearer link-header-token';
const request = () => ({ method: 'GET' as const, signal: new AbortController().signal, timeoutMs: 5000 });

/** Answers 200 on `origin` + `path` and records the Authorization header it got. */
function recordingTarget(origin: string, path: string): { authorization: () => string | undefined } {
  let seen: string | undefined;
  nock(origin).get(path).reply(function reply() {
    seen = this.req.headers.authorization as string | undefined;
    return [200, 'bytes'];
  });
  return { authorization: () => seen };
}

afterEach(() => {
  nock.cleanAll();
});

it('keeps the link header on a redirect to the same origin', async () => {
  nock('https://files.test').get('/a').reply(302, '', { location: '/b' });
  const target = recordingTarget('https://files.test', '/b');
  const answer = await fetchLink({ url: 'https://files.test/a', header: { Authorization: TOKEN } }, request());
  answer.body?.resume();
  expect(answer.status).toBe(200);
  expect(target.authorization()).toBe(TOKEN);
});

it.each([
  ['to plain http on the same host', 'http://files.test/b'],
  ['to another port', 'https://files.test:8443/b'],
  ['to another host', 'https://elsewhere.test/b'],
])('drops the link header on a redirect %s', async (_label, location) => {
  nock('https://files.test').get('/a').reply(302, '', { location });
  const { origin, pathname } = new URL(location);
  const target = recordingTarget(origin, pathname);
  const answer = await fetchLink({ url: 'https://files.test/a', header: { Authorization: TOKEN } }, request());
  answer.body?.resume();
  expect(answer.status).toBe(200);
  expect(target.authorization()).toBeUndefined();
});

it('does not follow a redirect to anything but http(s)', async () => {
  nock('https://files.test').get('/a').reply(302, '', { location: 'file:///etc/passwd' });
  await expect(fetchLink({ url: 'https://files.test/a' }, request())).rejects.toThrow(/redirect/i);
});

it('stops after a few redirects', async () => {
  nock('https://files.test').persist().get('/loop').reply(302, '', { location: '/loop' });
  await expect(fetchLink({ url: 'https://files.test/loop' }, request())).rejects.toThrow(/redirect/i);
});
