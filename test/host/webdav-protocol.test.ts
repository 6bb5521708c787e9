/**
 * WebDAV at /dav on the wire, against the real host: what a client library does not show. OPTIONS and Basic auth
 * (failures, the guest, the login limiter), PROPFIND forms and Depth infinity, bad bodies and methods, special names,
 * locks (exclusive, shared, refresh, unmapped URLs) with If headers and 423s, PROPPATCH properties surviving a
 * restart and following moves, macOS metadata files, and curl.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import path from 'node:path';
import { promisify } from 'node:util';
import { createTestHost } from './support/test-host.js';
import { ADMIN_PASSWORD, FAST_DRIVER_OPTIONS, startHostWithEmulator, type HostSetup } from './support/host-setup.js';
import { davRequest, multistatus, okProps, type DavRequestOptions } from './support/dav-request.js';
import { withGuestAccess } from './support/google-writes-setup.js';
import { updateGuestUser } from './support/guest-user.js';
import { PERMISSION_BITS } from '../../src/host/auth/user-model.js';

let setup: HostSetup;
let root: string;
const ADMIN: [string, string] = ['admin', ADMIN_PASSWORD];

beforeAll(async () => {
  setup = await startHostWithEmulator({ items: 2, albums: 1 });
  root = path.join(setup.dataDir, 'files');
  mkdirSync(root, { recursive: true });
  const created = await setup.client.post('/api/admin/storage/create', {
    mount_path: '/local', driver: 'Local', addition: JSON.stringify({ root_folder_path: root }), cache_expiration: 0, // files are also made on disk here
  });
  expect(created.code).toBe(200);
}, 60_000);

afterAll(async () => {
  await setup?.close();
});

const dav = (method: string, target: string, options: DavRequestOptions = {}) => davRequest(setup.host.url, method, target, { auth: ADMIN, ...options });
const onDisk = (name: string) => readFileSync(path.join(root, name), 'utf8');
const lockBody = (scope: 'exclusive' | 'shared') =>
  `<?xml version="1.0"?><D:lockinfo xmlns:D="DAV:"><D:lockscope><D:${scope}/></D:lockscope><D:locktype><D:write/></D:locktype><D:owner><D:href>mailto:ann@example.org</D:href></D:owner></D:lockinfo>`;
const tokenOf = (answer: { headers: Record<string, unknown> }) => /<(.+)>/.exec(String(answer.headers['lock-token']))![1]!;

describe('OPTIONS and authentication', () => {
  it('answers OPTIONS without credentials, saying class 1 and 2', async () => {
    const answer = await davRequest(setup.host.url, 'OPTIONS', '/dav/local/');
    expect(answer.status).toBe(200);
    expect(answer.headers.dav).toBe('1, 2');
    expect(String(answer.headers.allow)).toContain('PROPFIND');
    expect(String(answer.headers.allow)).toContain('LOCK');
    // Windows' mini-redirector asks the server root first when a drive is mapped to http://host/dav.
    const root = await davRequest(setup.host.url, 'OPTIONS', '/');
    expect(root.status).toBe(200);
    expect(root.headers.dav).toBe('1, 2');
  });

  it('asks for Basic credentials, refuses wrong ones, takes right ones', async () => {
    const none = await davRequest(setup.host.url, 'PROPFIND', '/dav/', { headers: { depth: '0' } });
    expect(none.status).toBe(401);
    expect(none.headers['www-authenticate']).toMatch(/^Basic realm="/);
    const wrong = await davRequest(setup.host.url, 'PROPFIND', '/dav/', { headers: { depth: '0' }, auth: ['admin', 'not-the-password'] });
    expect(wrong.status).toBe(401);
    expect(wrong.text).not.toContain(ADMIN_PASSWORD);
    expect((await dav('PROPFIND', '/dav/', { headers: { depth: '1' } })).status).toBe(207);
  });

  it('lets the guest read when it is enabled with the WebDAV read bit, and asks it to log in for writes', async () => {
    await withGuestAccess(setup, async () => {
      expect((await davRequest(setup.host.url, 'PROPFIND', '/dav/', { headers: { depth: '1' } })).status).toBe(401);
      await updateGuestUser(setup.client, { permission: 1 << PERMISSION_BITS.webdav_read });
      const listed = await davRequest(setup.host.url, 'PROPFIND', '/dav/', { headers: { depth: '1' } });
      expect(listed.status).toBe(207);
      expect([...multistatus(listed.text).keys()]).toEqual(['/dav/', '/dav/local/']);
      const put = await davRequest(setup.host.url, 'PUT', '/dav/local/guest.txt', { body: 'no' });
      expect(put.status).toBe(401);
      expect(put.headers['www-authenticate']).toMatch(/^Basic /);
      expect(existsSync(path.join(root, 'guest.txt'))).toBe(false);
    });
    expect((await davRequest(setup.host.url, 'PROPFIND', '/dav/', { headers: { depth: '1' } })).status).toBe(401);
  });
});

describe('users with a base path and permission bits', () => {
  it('roots /dav/ at the base path, with hrefs relative to it, and needs the WebDAV bits', async () => {
    mkdirSync(path.join(root, 'shared'), { recursive: true });
    writeFileSync(path.join(root, 'shared', 'inside.txt'), 'inside');
    writeFileSync(path.join(root, 'outside.txt'), 'outside');
    const carol: [string, string] = ['carol', 'carol-password'];
    const bits = (...names: Array<keyof typeof PERMISSION_BITS>) => names.reduce((sum, name) => sum | (1 << PERMISSION_BITS[name]), 0);
    const created = await setup.client.post('/api/admin/user/create', {
      username: carol[0], password: carol[1], base_path: '/local/shared', permission: bits('webdav_read'),
    });
    expect(created.code).toBe(200);
    const listed = await davRequest(setup.host.url, 'PROPFIND', '/dav/', { headers: { depth: '1' }, auth: carol });
    expect(listed.status).toBe(207);
    expect([...multistatus(listed.text).keys()]).toEqual(['/dav/', '/dav/inside.txt']);
    const read = await davRequest(setup.host.url, 'GET', '/dav/inside.txt', { auth: carol });
    expect(read.text).toBe('inside');
    expect((await davRequest(setup.host.url, 'GET', '/dav/%2e%2e/outside.txt', { auth: carol })).status).toBeGreaterThanOrEqual(400);
    // Read bits only: writing is refused, and nothing lands on disk.
    expect((await davRequest(setup.host.url, 'PUT', '/dav/new.txt', { auth: carol, body: 'new' })).status).toBe(403);
    expect(existsSync(path.join(root, 'shared', 'new.txt'))).toBe(false);
    const id = (await setup.client.get<{ content: Array<{ id: number; username: string }> }>('/api/admin/user/list')).data.content.find((user) => user.username === 'carol')!.id;
    expect((await setup.client.post('/api/admin/user/update', { id, permission: bits('webdav_read', 'webdav_manage', 'write') })).code).toBe(200);
    expect((await davRequest(setup.host.url, 'PUT', '/dav/new.txt', { auth: carol, body: 'new' })).status).toBe(201);
    expect(readFileSync(path.join(root, 'shared', 'new.txt'), 'utf8')).toBe('new');
    // Without webdav_read, not even a listing.
    expect((await setup.client.post('/api/admin/user/update', { id, permission: bits('write') })).code).toBe(200);
    expect((await davRequest(setup.host.url, 'PROPFIND', '/dav/', { headers: { depth: '0' }, auth: carol })).status).toBe(403);
  });
});

describe('PROPFIND', () => {
  beforeAll(() => writeFileSync(path.join(root, 'p.txt'), 'properties'));

  it('refuses Depth infinity, also as the default, with propfind-finite-depth', async () => {
    for (const headers of [{ depth: 'infinity' }, {}] as Array<Record<string, string>>) {
      const answer = await dav('PROPFIND', '/dav/local/', { headers });
      expect(answer.status).toBe(403);
      expect(answer.text).toContain('propfind-finite-depth');
    }
  });

  it('answers named properties, unknown ones in a 404 propstat, with a default namespace and another prefix', async () => {
    const body = '<?xml version="1.0"?><propfind xmlns="DAV:" xmlns:z="urn:zzz"><prop><getcontentlength/><getetag/><z:unknown/></prop></propfind>';
    const answer = await dav('PROPFIND', '/dav/local/p.txt', { headers: { depth: '0', 'content-type': 'application/xml' }, body });
    expect(answer.status).toBe(207);
    const [found, missing] = multistatus(answer.text).get('/dav/local/p.txt')!;
    expect(found).toMatchObject({ status: 'HTTP/1.1 200 OK', prop: { getcontentlength: '10' } });
    expect(String(found!.prop.getetag)).toMatch(/^".+"$/);
    expect(missing).toMatchObject({ status: 'HTTP/1.1 404 Not Found', prop: { unknown: '' } });
  });

  it('shows dates as RFC 1123 and RFC 3339, and creationdate as RFC 1123 to the Windows mini-redirector', async () => {
    const props = okProps((await dav('PROPFIND', '/dav/local/p.txt', { headers: { depth: '0' } })).text, '/dav/local/p.txt');
    expect(props.getlastmodified).toMatch(/^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/);
    expect(props.creationdate).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    expect(props).toMatchObject({ displayname: 'p.txt', getcontenttype: 'text/plain', resourcetype: '' });
    const windows = await dav('PROPFIND', '/dav/local/p.txt', { headers: { depth: '0', 'user-agent': 'Microsoft-WebDAV-MiniRedir/10.0.19045' } });
    expect(okProps(windows.text, '/dav/local/p.txt').creationdate).toMatch(/ GMT$/);
  });

  it('lists names with propname, folders with a collection resourcetype and a trailing slash', async () => {
    mkdirSync(path.join(root, 'sub'), { recursive: true });
    const names = await dav('PROPFIND', '/dav/local/', { headers: { depth: '1' }, body: '<D:propfind xmlns:D="DAV:"><D:propname/></D:propfind>' });
    expect(Object.keys(okProps(names.text, '/dav/local/p.txt'))).toEqual(expect.arrayContaining(['getcontentlength', 'getetag', 'lockdiscovery', 'supportedlock']));
    const listed = await dav('PROPFIND', '/dav/local', { headers: { depth: '1' } });
    expect(okProps(listed.text, '/dav/local/sub/').resourcetype).toEqual({ collection: '' });
  });
});

describe('bad requests leave the server working', () => {
  it('answers 400 to malformed XML and to a document type, 413 to a huge body, 501/405 to methods it does not take', async () => {
    expect((await dav('PROPFIND', '/dav/local/', { headers: { depth: '1' }, body: '<D:propfind xmlns:D="DAV:"><D:prop>' })).status).toBe(400);
    expect((await dav('PROPFIND', '/dav/local/', { headers: { depth: '1' }, body: '<D:propfind xmlns:D="DAV:"><D:allprop/></x:propfind>' })).status).toBe(400);
    const bomb = '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">]><D:propfind xmlns:D="DAV:"><D:prop>&lol;</D:prop></D:propfind>';
    expect((await dav('PROPFIND', '/dav/local/', { headers: { depth: '1' }, body: bomb })).status).toBe(400);
    expect((await dav('PROPFIND', '/dav/local/', { headers: { depth: '1' }, body: `<a>${'x'.repeat(2 * 1024 * 1024)}</a>` })).status).toBe(413);
    expect((await dav('PROPPATCH', '/dav/local/p.txt', { body: '<D:propertyupdate xmlns:D="DAV:"><x:set/></D:propertyupdate>' })).status).toBe(400);
    expect((await dav('REPORT', '/dav/local/', { body: '<x/>' })).status).toBe(501);
    expect((await dav('PATCH', '/dav/local/p.txt', { body: 'x' })).status).toBe(405);
    expect((await dav('PROPFIND', '/dav/local/p.txt', { headers: { depth: '0' } })).status).toBe(207);
  });
});

describe('names with spaces, #, %, ?, +, CJK and emoji', () => {
  it('round-trip through PUT, PROPFIND, GET and MOVE', async () => {
    const name = 'a b#c%d?e+f 中文 😀.txt';
    const href = `/dav/local/${encodeURIComponent(name)}`;
    expect((await dav('PUT', href, { body: 'special' })).status).toBe(201);
    expect(onDisk(name)).toBe('special');
    const listed = await dav('PROPFIND', '/dav/local/', { headers: { depth: '1' } });
    expect(okProps(listed.text, href).displayname).toBe(name);
    expect((await dav('GET', href)).text).toBe('special');
    const moved = 'moved #2 % 写真 🎉.txt';
    const answer = await dav('MOVE', href, { headers: { destination: `${setup.host.url}/dav/local/${encodeURIComponent(moved)}` } });
    expect(answer.status).toBe(201);
    expect(onDisk(moved)).toBe('special');
    expect(existsSync(path.join(root, name))).toBe(false);
  });
});

describe('PUT, GET and DELETE details', () => {
  it('keeps X-OC-Mtime as the file\'s time where the storage can (Local) and says so', async () => {
    const answer = await dav('PUT', '/dav/local/dated.txt', { body: 'dated', headers: { 'x-oc-mtime': '1600000000' } });
    expect(answer.status).toBe(201);
    expect(answer.headers['x-oc-mtime']).toBe('accepted');
    expect(statSync(path.join(root, 'dated.txt')).mtimeMs).toBe(1600000000 * 1000);
  });

  it('streams a chunked PUT (no Content-Length), refuses GET of a folder and DELETE of a mount point', async () => {
    const chunked = await new Promise<number>((resolve, reject) => {
      const url = new URL(`${setup.host.url}/dav/local/chunked.txt`);
      const outgoing = request({ host: url.hostname, port: url.port, path: url.pathname, method: 'PUT', headers: {
        authorization: `Basic ${Buffer.from(ADMIN.join(':')).toString('base64')}`, 'transfer-encoding': 'chunked',
      } }, (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      });
      outgoing.on('error', reject);
      outgoing.write('part one, ');
      outgoing.end('part two');
    });
    expect(chunked).toBe(201);
    expect(onDisk('chunked.txt')).toBe('part one, part two');
    expect((await dav('GET', '/dav/local/')).status).toBe(405);
    expect((await dav('DELETE', '/dav/local/')).status).toBe(403);
    expect((await dav('GET', '/dav/local/missing.txt')).status).toBe(404);
  });
});

describe('MKCOL, COPY and MOVE edge cases', () => {
  it('MKCOL: 405 on an existing name, 409 without its parent, 415 with a body', async () => {
    expect((await dav('MKCOL', '/dav/local/made')).status).toBe(201);
    expect((await dav('MKCOL', '/dav/local/made')).status).toBe(405);
    expect((await dav('MKCOL', '/dav/local/missing/child')).status).toBe(409);
    expect((await dav('MKCOL', '/dav/local/with-body', { body: '<x/>', headers: { 'content-type': 'application/xml' } })).status).toBe(415);
    expect(existsSync(path.join(root, 'with-body'))).toBe(false);
    expect((await dav('MKCOL', '/dav/new-mount')).status).toBe(403);
    expect((await dav('PUT', '/dav/at-the-root.txt', { body: 'x' })).status).toBe(403);
  });

  it('COPY honours Overwrite: F refuses (412), T replaces (204)', async () => {
    writeFileSync(path.join(root, 'one.txt'), 'one');
    writeFileSync(path.join(root, 'two.txt'), 'two');
    const destination = '/dav/local/two.txt';
    expect((await dav('COPY', '/dav/local/one.txt', { headers: { destination, overwrite: 'F' } })).status).toBe(412);
    expect(onDisk('two.txt')).toBe('two');
    expect((await dav('COPY', '/dav/local/one.txt', { headers: { destination, overwrite: 'T' } })).status).toBe(204);
    expect(onDisk('two.txt')).toBe('one');
  });
});

describe('locks and If headers', () => {
  it('an exclusive lock: 423 without its token, 412 for a wrong one, writes with it, refresh, unlock', async () => {
    writeFileSync(path.join(root, 'l.txt'), 'start');
    const locked = await dav('LOCK', '/dav/local/l.txt', { body: lockBody('exclusive'), headers: { timeout: 'Second-600' } });
    expect(locked.status).toBe(200);
    const token = tokenOf(locked);
    expect(locked.text).toContain('mailto:ann@example.org');
    const refused = await dav('PUT', '/dav/local/l.txt', { body: 'x' });
    expect(refused.status).toBe(423);
    expect(refused.text).toContain('lock-token-submitted');
    expect((await dav('PUT', '/dav/local/l.txt', { body: 'x', headers: { if: '(<opaquelocktoken:wrong>)' } })).status).toBe(412);
    expect((await dav('PUT', '/dav/local/l.txt', { body: 'x', headers: { if: '(Not <opaquelocktoken:none>)' } })).status).toBe(423);
    expect((await dav('DELETE', '/dav/local/l.txt')).status).toBe(423);
    expect((await dav('LOCK', '/dav/local/l.txt', { body: lockBody('shared') })).status).toBe(423);
    expect(onDisk('l.txt')).toBe('start');
    expect((await dav('PUT', '/dav/local/l.txt', { body: 'first', headers: { if: `(<${token}>)` } })).status).toBe(204);
    expect(onDisk('l.txt')).toBe('first');
    const tagged = `<${setup.host.url}/dav/local/l.txt> (<${token}>)`;
    expect((await dav('PUT', '/dav/local/l.txt', { body: 'second', headers: { if: tagged } })).status).toBe(204);
    expect(onDisk('l.txt')).toBe('second');
    const refreshed = await dav('LOCK', '/dav/local/l.txt', { headers: { if: `(<${token}>)`, timeout: 'Second-100' } });
    expect(refreshed.status).toBe(200);
    expect(refreshed.text).toMatch(/Second-(100|99)</);
    expect((await dav('UNLOCK', '/dav/local/l.txt', { headers: { 'lock-token': `<${token}>` } })).status).toBe(204);
    expect((await dav('PUT', '/dav/local/l.txt', { body: 'free' })).status).toBe(204);
    expect(onDisk('l.txt')).toBe('free');
  });

  it('shared locks: several at once, an exclusive one refused, any holder writes with its own token', async () => {
    writeFileSync(path.join(root, 's.txt'), 'shared');
    const first = await dav('LOCK', '/dav/local/s.txt', { body: lockBody('shared') });
    const second = await dav('LOCK', '/dav/local/s.txt', { body: lockBody('shared') });
    expect([first.status, second.status]).toEqual([200, 200]);
    expect((await dav('LOCK', '/dav/local/s.txt', { body: lockBody('exclusive') })).status).toBe(423);
    const discovery = await dav('PROPFIND', '/dav/local/s.txt', { headers: { depth: '0' }, body: '<D:propfind xmlns:D="DAV:"><D:prop><D:lockdiscovery/></D:prop></D:propfind>' });
    expect(discovery.text.match(/<D:activelock>/g)).toHaveLength(2);
    expect((await dav('PUT', '/dav/local/s.txt', { body: 'nope' })).status).toBe(423);
    expect((await dav('PUT', '/dav/local/s.txt', { body: 'by second', headers: { if: `(<${tokenOf(second)}>)` } })).status).toBe(204);
    expect(onDisk('s.txt')).toBe('by second');
  });

  it('a lock on an unmapped URL reserves the name (201) until a PUT fills it', async () => {
    const locked = await dav('LOCK', '/dav/local/reserved.txt', { body: lockBody('exclusive'), headers: { depth: '0' } });
    expect(locked.status).toBe(201);
    const shown = await dav('PROPFIND', '/dav/local/reserved.txt', { headers: { depth: '0' } });
    expect(okProps(shown.text, '/dav/local/reserved.txt')).toMatchObject({ getcontentlength: '0' });
    expect(okProps((await dav('PROPFIND', '/dav/local/', { headers: { depth: '1' } })).text, '/dav/local/reserved.txt')).toBeDefined();
    expect((await dav('PUT', '/dav/local/reserved.txt', { body: 'other' })).status).toBe(423);
    expect((await dav('PUT', '/dav/local/reserved.txt', { body: 'mine', headers: { if: `(<${tokenOf(locked)}>)` } })).status).toBe(201);
    expect(onDisk('reserved.txt')).toBe('mine');
    expect((await dav('UNLOCK', '/dav/local/reserved.txt', { headers: { 'lock-token': `<${tokenOf(locked)}>` } })).status).toBe(204);
    expect((await dav('LOCK', '/dav/local/nowhere/x.txt', { body: lockBody('exclusive') })).status).toBe(409);
  });

  it('a depth-0 lock on a folder guards its members list; entity tags in If', async () => {
    mkdirSync(path.join(root, 'guarded'), { recursive: true });
    const locked = await dav('LOCK', '/dav/local/guarded/', { body: lockBody('exclusive'), headers: { depth: '0' } });
    expect((await dav('PUT', '/dav/local/guarded/new.txt', { body: 'x' })).status).toBe(423);
    expect((await dav('PUT', '/dav/local/guarded/new.txt', { body: 'x', headers: { if: `</dav/local/guarded/> (<${tokenOf(locked)}>)` } })).status).toBe(201);
    const etag = String(okProps((await dav('PROPFIND', '/dav/local/guarded/new.txt', { headers: { depth: '0' } })).text, '/dav/local/guarded/new.txt').getetag);
    expect((await dav('PUT', '/dav/local/guarded/new.txt', { body: 'y', headers: { if: '(["not-the-etag"])' } })).status).toBe(412);
    expect((await dav('PUT', '/dav/local/guarded/new.txt', { body: 'y', headers: { if: `([${etag}])` } })).status).toBe(204);
    expect(readFileSync(path.join(root, 'guarded', 'new.txt'), 'utf8')).toBe('y');
  });
});

describe('PROPPATCH', () => {
  const patch = '<?xml version="1.0"?><propertyupdate xmlns="DAV:" xmlns:t="urn:test"><set><prop><t:color>blue &amp; green</t:color>'
    + '<note xmlns="urn:notes">a <b>bold</b> note</note></prop></set></propertyupdate>';
  const ask = '<?xml version="1.0"?><x:propfind xmlns:x="DAV:" xmlns:t="urn:test"><x:prop><t:color/><note xmlns="urn:notes"/></x:prop></x:propfind>';

  it('stores dead properties, refuses live ones all-or-nothing, and keeps them across a restart and a MOVE', async () => {
    writeFileSync(path.join(root, 'props.txt'), 'props');
    const set = await dav('PROPPATCH', '/dav/local/props.txt', { body: patch, headers: { 'content-type': 'text/xml' } });
    expect(set.status).toBe(207);
    expect(multistatus(set.text).get('/dav/local/props.txt')![0]!.status).toBe('HTTP/1.1 200 OK');
    const refused = await dav('PROPPATCH', '/dav/local/props.txt', {
      body: '<D:propertyupdate xmlns:D="DAV:" xmlns:t="urn:test"><D:set><D:prop><D:getetag>"x"</D:getetag><t:size>big</t:size></D:prop></D:set></D:propertyupdate>',
    });
    const statuses = multistatus(refused.text).get('/dav/local/props.txt')!.map((each) => each.status);
    expect(statuses).toEqual(['HTTP/1.1 403 Forbidden', 'HTTP/1.1 424 Failed Dependency']);
    expect(refused.text).toContain('cannot-modify-protected-property');

    const close = setup.host.close();
    await close;
    setup.host = await createTestHost({ dataDir: setup.dataDir, port: 0, adminPassword: ADMIN_PASSWORD, demo: false, driverOptions: FAST_DRIVER_OPTIONS, sizeProbing: { background: false } });
    await dav('PROPFIND', '/dav/local/', { headers: { depth: '1' } }); // the Local storage starts in the background

    const read = await dav('PROPFIND', '/dav/local/props.txt', { headers: { depth: '0' }, body: ask });
    expect(read.text).toContain('<note xmlns="urn:notes">a <b>bold</b> note</note>');
    expect(okProps(read.text, '/dav/local/props.txt')).toMatchObject({ color: 'blue & green' });
    const all = await dav('PROPFIND', '/dav/local/props.txt', { headers: { depth: '0' }, body: '<D:propfind xmlns:D="DAV:"><D:prop><t:size xmlns:t="urn:test"/></D:prop></D:propfind>' });
    expect(multistatus(all.text).get('/dav/local/props.txt')![0]!.status).toBe('HTTP/1.1 404 Not Found');

    expect((await dav('MOVE', '/dav/local/props.txt', { headers: { destination: '/dav/local/props-moved.txt' } })).status).toBe(201);
    expect(okProps((await dav('PROPFIND', '/dav/local/props-moved.txt', { headers: { depth: '0' }, body: ask })).text, '/dav/local/props-moved.txt'))
      .toMatchObject({ color: 'blue & green' });
    expect((await dav('DELETE', '/dav/local/props-moved.txt')).status).toBe(204);
    writeFileSync(path.join(root, 'props-moved.txt'), 'again');
    const fresh = await dav('PROPFIND', '/dav/local/props-moved.txt', { headers: { depth: '0' }, body: ask });
    expect(multistatus(fresh.text).get('/dav/local/props-moved.txt')!.map((each) => each.status)).toEqual(['HTTP/1.1 404 Not Found']);
  });
});

describe('macOS metadata files', () => {
  it('accepts ._* and .DS_Store writes without storing them', async () => {
    expect((await dav('PUT', '/dav/local/._photo.jpg', { body: Buffer.alloc(4096, 1) })).status).toBe(201);
    expect((await dav('PUT', '/dav/local/.DS_Store', { body: 'finder' })).status).toBe(201);
    expect(existsSync(path.join(root, '._photo.jpg'))).toBe(false);
    expect(existsSync(path.join(root, '.DS_Store'))).toBe(false);
    expect((await dav('PROPFIND', '/dav/local/._photo.jpg', { headers: { depth: '0' } })).status).toBe(404);
    expect((await dav('DELETE', '/dav/local/._photo.jpg')).status).toBe(204);
  });
});

describe('curl', () => {
  it('lists with PROPFIND and reads a byte range with GET', async () => {
    writeFileSync(path.join(root, 'curl.txt'), '0123456789');
    const run = promisify(execFile);
    const auth = `admin:${ADMIN_PASSWORD}`;
    const listed = await run('/usr/bin/curl', ['-s', '-u', auth, '-X', 'PROPFIND', '-H', 'Depth: 1', `${setup.host.url}/dav/local/`]);
    expect(okProps(listed.stdout, '/dav/local/curl.txt')).toMatchObject({ getcontentlength: '10' });
    const range = await run('/usr/bin/curl', ['-s', '-u', auth, '-r', '2-5', '-w', '\n%{http_code}', `${setup.host.url}/dav/local/curl.txt`]);
    expect(range.stdout).toBe('2345\n206');
  });
});

describe('password guessing through /dav', () => {
  it('goes through the login limiter: an address that keeps failing gets 429', async () => {
    const answers = [];
    for (let i = 0; i < 7; i++) {
      answers.push(await davRequest(setup.host.url, 'PROPFIND', '/dav/', { headers: { depth: '0' }, auth: ['admin', `guess-${i}`], from: '127.0.0.2' }));
    }
    expect(answers.map((answer) => answer.status)).toEqual([401, 401, 401, 401, 401, 429, 429]);
    expect(Number(answers[6]!.headers['retry-after'])).toBeGreaterThan(0);
    // Other addresses are not affected.
    expect((await dav('PROPFIND', '/dav/', { headers: { depth: '0' } })).status).toBe(207);
  }, 60_000);
});
