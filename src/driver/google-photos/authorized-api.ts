import type { z } from 'zod';
import { isDriverError } from '../../types/errors.js';
import type { TokenManager } from './auth.js';
import type { GoogleHttp, GoogleRequest } from './http.js';

/** Guards against an upstream that hands out page tokens forever. */
const MAX_PAGES = 10_000;

export type AuthorizedRequest = Omit<GoogleRequest, 'accessToken' | 'url'> & { path: string };

/** Calls to one Google API base: every call carries a fresh token and is retried once after a 401. */
export class AuthorizedApi {
  constructor(
    private readonly baseUrl: string,
    private readonly http: GoogleHttp,
    private readonly tokens: TokenManager,
  ) {}

  async call<S extends z.ZodType>(request: AuthorizedRequest, schema: S): Promise<z.output<S>> {
    const { path, ...rest } = request;
    const send = (accessToken: string) => this.http.send({ ...rest, url: `${this.baseUrl}${path}`, accessToken }, schema);
    const token = await this.tokens.accessToken();
    try {
      return await send(token);
    } catch (error) {
      if (!isDriverError(error, 'UNAUTHENTICATED') || error.status !== 401) throw error;
      // One refresh and one retry; a second 401 stands.
      return send(await this.tokens.renewAfterRejection(token));
    }
  }
}

/**
 * Every page of a listing, each id once. A short page does not end it; only a missing nextPageToken does.
 * Google may list an id twice (within or across pages): the first occurrence stays, so names built from the
 * listing stay unique and stable. A stray token leads to an empty `{}` page, which ends the listing; a token
 * already followed also ends it rather than looping.
 */
export async function allPages<T extends { id: string }>(
  fetchPage: (pageToken: string | undefined) => Promise<{ items: T[]; next?: string }>,
): Promise<T[]> {
  const all: T[] = [];
  const ids = new Set<string>();
  const followed = new Set<string>();
  let pageToken: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const { items, next } = await fetchPage(pageToken);
    for (const item of items) {
      if (ids.has(item.id)) continue;
      ids.add(item.id);
      all.push(item);
    }
    if (!next || followed.has(next)) return all;
    followed.add(next);
    pageToken = next;
  }
  return all;
}
