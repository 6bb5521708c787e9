import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import nock from 'nock';
import type { ListPage } from '../../src/types/driver.js';
import { LIBRARY_ORIGIN, album, itemsPage, makeDriver, mediaItem, restoreNock, setupNock, teardownNock, tokenEndpoint } from './fixtures.js';

beforeAll(setupNock);
afterEach(teardownNock);
afterAll(restoreNock);

async function allPages(pages: AsyncIterable<ListPage>): Promise<ListPage[]> {
  const seen: ListPage[] = [];
  for await (const page of pages) seen.push(page);
  return seen;
}

const names = (page: ListPage) => page.objs.map((obj) => obj.name);

describe('GooglePhotos listPages', () => {
  it('hands out the first page before asking for the second', async () => {
    tokenEndpoint();
    const first = itemsPage(undefined, [mediaItem('a1', 'one.jpg'), mediaItem('a2', 'two.jpg')], 't1');
    const second = itemsPage('t1', [mediaItem('a3', 'three.jpg')]);
    const pages = makeDriver().listPages!('all')[Symbol.asyncIterator]();
    const page1 = await pages.next();
    expect(page1.value).toMatchObject({ done: false });
    expect(names(page1.value as ListPage)).toEqual(['one.jpg', 'two.jpg']);
    expect(first.isDone()).toBe(true);
    expect(second.isDone()).toBe(false);
    const page2 = await pages.next();
    expect(names(page2.value as ListPage)).toEqual(['three.jpg']);
    expect(page2.value).toMatchObject({ done: true });
    expect((await pages.next()).done).toBe(true);
  });

  it('lists an id repeated on a later page once', async () => {
    tokenEndpoint();
    itemsPage(undefined, [mediaItem('a1', 'one.jpg'), mediaItem('a2', 'two.jpg')], 't1');
    itemsPage('t1', [mediaItem('a2', 'two.jpg'), mediaItem('a3', 'three.jpg')]);
    const pages = await allPages(makeDriver().listPages!('all'));
    expect(pages.map(names)).toEqual([['one.jpg', 'two.jpg'], ['three.jpg']]);
  });

  it('keeps first-page names when a later page repeats a filename, and names the later one with its id', async () => {
    tokenEndpoint();
    itemsPage(undefined, [mediaItem('a1', 'one.jpg'), mediaItem('d1', 'dup.jpg'), mediaItem('d2', 'dup.jpg')], 't1');
    itemsPage('t1', [mediaItem('a2', 'one.jpg'), mediaItem('b1', 'new.jpg'), mediaItem('b2', 'new.jpg'), mediaItem('d3', 'dup.jpg')], 't2');
    itemsPage('t2', [mediaItem('w1', 'one {a2}.jpg'), mediaItem('n1', undefined)]);
    const pages = await allPages(makeDriver().listPages!('all'));
    expect(pages.map(names)).toEqual([
      // The first page: the whole-listing rule (every repeated name carries its id).
      ['one.jpg', 'dup {d1}.jpg', 'dup {d2}.jpg'],
      // Later: the first of a name keeps it; an earlier name is never changed.
      ['one {a2}.jpg', 'new.jpg', 'new {b2}.jpg', 'dup {d3}.jpg'],
      // A real filename equal to a given name still gets a unique one.
      ['one {a2} {w1}.jpg', 'Untitled {n1}.jpg'],
    ]);
  });

  it('puts together the same listing that list() returns', async () => {
    const pageReplies = () => {
      itemsPage(undefined, [mediaItem('a1', 'x.jpg'), mediaItem('a2', 'y.jpg')], 't1');
      itemsPage('t1', [mediaItem('a3', 'x.jpg'), mediaItem('a4', 'z.jpg')]);
    };
    tokenEndpoint();
    pageReplies();
    const driver = makeDriver();
    const paged = (await allPages(driver.listPages!('all'))).flatMap((page) => page.objs);
    pageReplies();
    const listed = await driver.list('all');
    expect(listed).toEqual(paged);
    expect(listed.map((obj) => obj.name)).toEqual(['x.jpg', 'y.jpg', 'x {a3}.jpg', 'z.jpg']);
  });

  it('pages albums too, and root as one final page', async () => {
    tokenEndpoint();
    nock(LIBRARY_ORIGIN).get('/v1/albums').query((q) => q.pageToken === undefined).reply(200, { albums: [album('al1', 'Trip')], nextPageToken: 'p2' });
    nock(LIBRARY_ORIGIN).get('/v1/albums').query((q) => q.pageToken === 'p2').reply(200, { albums: [album('al2', 'Trip')] });
    const driver = makeDriver();
    expect((await allPages(driver.listPages!('albums'))).map(names)).toEqual([['Trip'], ['Trip {al2}']]);
    const root = await allPages(driver.listPages!('root'));
    expect(root).toHaveLength(1);
    expect(root[0]).toMatchObject({ done: true });
  });
});
