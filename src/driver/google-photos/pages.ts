/** Walking Google's page-token chains one page at a time. */

/** Guards against an upstream that hands out page tokens forever. */
export const MAX_PAGES = 10_000;

export interface UpstreamPage<T> {
  /** This page's items not seen on an earlier page (or earlier in this one). */
  items: T[];
  /** No page follows. */
  done: boolean;
}

export type FetchPage<T> = (pageToken: string | undefined) => Promise<{ items: T[]; next?: string }>;

/**
 * The pages of a listing as they arrive, each id once. A short or empty page does not end it; only a missing
 * nextPageToken does. Google may list an id twice (within or across pages): the first occurrence stays, so
 * names built from the listing stay unique and stable. A stray token leads to an empty `{}` page, which ends
 * the listing; a token already followed also ends it rather than looping. The page tokens seen live in this
 * generator, so a caller that stops pulling can resume later where it left off.
 */
export async function* upstreamPages<T extends { id: string }>(fetchPage: FetchPage<T>): AsyncGenerator<UpstreamPage<T>> {
  const ids = new Set<string>();
  const followed = new Set<string>();
  let pageToken: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const { items, next } = await fetchPage(pageToken);
    const fresh: T[] = [];
    for (const item of items) {
      if (ids.has(item.id)) continue;
      ids.add(item.id);
      fresh.push(item);
    }
    const done = !next || followed.has(next) || page === MAX_PAGES - 1;
    yield { items: fresh, done };
    if (done || !next) return;
    followed.add(next);
    pageToken = next;
  }
}

/** Every item of the pages, in order. */
export async function collectPages<T>(pages: AsyncIterable<{ items: T[] }>): Promise<T[]> {
  const all: T[] = [];
  for await (const page of pages) for (const item of page.items) all.push(item);
  return all;
}
