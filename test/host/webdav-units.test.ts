/** The pure parts of WebDAV: the If header's grammar and evaluation, XML namespaces, hrefs, and the download policy. */
import { describe, expect, it } from '@jest/globals';
import type { FileTarget } from '../../src/host/fs/fs-service.js';
import type { LiveStorage } from '../../src/host/storages/storage-manager.js';
import { evaluateIf, parseIfHeader, submittedTokens } from '../../src/host/webdav/dav-if-header.js';
import { hrefOf, treePathOf } from '../../src/host/webdav/dav-paths.js';
import { buildXml, dav, parseXml } from '../../src/host/webdav/dav-xml.js';

describe('If header', () => {
  it('parses untagged and tagged lists with Not, tokens and entity tags', () => {
    expect(parseIfHeader('(<urn:a> ["e1"]) (Not <urn:b>)')).toEqual([
      { conditions: [{ not: false, token: 'urn:a' }, { not: false, etag: '"e1"' }] },
      { conditions: [{ not: true, token: 'urn:b' }] },
    ]);
    const tagged = parseIfHeader('<http://h/dav/a> (<urn:a>) <http://h/dav/b> (["x"])');
    expect(tagged.map((list) => list.resource)).toEqual(['http://h/dav/a', 'http://h/dav/b']);
    expect([...submittedTokens(tagged)]).toEqual(['urn:a']);
  });

  it('refuses what is not its grammar (400)', () => {
    for (const bad of ['', 'urn:a', '(<urn:a>', '()', '(<urn:a>) <http://h/x> (<urn:b>)', '<http://h/x>']) {
      expect(() => parseIfHeader(bad)).toThrow(expect.objectContaining({ status: 400 }));
    }
  });

  it('holds when one list holds: every condition, Not inverting, etags compared weakly', async () => {
    const state = { holds: (path: string, token: string) => path === '/a' && token === 'urn:a', etag: async (path: string) => (path === '/a' ? 'W/"e1"' : undefined) };
    const holds = (header: string) => evaluateIf(parseIfHeader(header), '/a', (url) => new URL(url).pathname.replace(/^\/dav/, ''), state);
    expect(await holds('(<urn:a>)')).toBe(true);
    expect(await holds('(<urn:other>)')).toBe(false);
    expect(await holds('(<urn:other>) (<urn:a>)')).toBe(true);
    expect(await holds('(<urn:a> Not ["e1"])')).toBe(false);
    expect(await holds('(Not <urn:other> ["e1"])')).toBe(true);
    expect(await holds('<http://h/dav/b> (<urn:a>)')).toBe(false);
  });
});

describe('XML', () => {
  it('resolves default namespaces and prefixes, and refuses undeclared prefixes', () => {
    const root = parseXml('<propfind xmlns="DAV:" xmlns:z="urn:z"><prop><z:color/><plain xmlns=""/></prop></propfind>')!;
    expect(root).toMatchObject({ ns: 'DAV:', local: 'propfind' });
    const prop = root.children[0] as { children: Array<{ ns: string; local: string }> };
    expect(prop.children.map((child) => [child.ns, child.local])).toEqual([['urn:z', 'color'], ['', 'plain']]);
    expect(() => parseXml('<x:propfind/>')).toThrow(expect.objectContaining({ status: 400 }));
  });

  it('escapes what it builds', () => {
    const xml = buildXml(dav('href', ['</D:href><evil attr="1">&']));
    expect(xml).toContain('<D:href xmlns:D="DAV:">&lt;/D:href&gt;&lt;evil attr=&quot;1&quot;&gt;&amp;</D:href>');
    expect(parseXml(xml)!.children).toEqual(['</D:href><evil attr="1">&']);
  });
});

describe('hrefs', () => {
  it('encode each segment and end folders with a slash; URLs decode back', () => {
    const name = 'a b#c%d?e+f 中文 😀';
    expect(hrefOf(`/local/${name}`, true)).toBe(`/dav/local/${encodeURIComponent(name)}/`);
    expect(treePathOf(hrefOf(`/local/${name}`, false))).toBe(`/local/${name}`);
    expect(hrefOf('/', true)).toBe('/dav/');
    expect(() => treePathOf('/dav/%2e%2e/etc')).toThrow();
  });
});
