import type { z } from 'zod';
import { isDriverError } from '../../types/errors.js';
import type { TokenManager } from './auth.js';
import type { GoogleHttp, GoogleRequest } from './http.js';
import { collectPages, upstreamPages, type FetchPage } from './pages.js';

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

/** Every page of a listing, each id once (see upstreamPages for the rules). */
export function allPages<T extends { id: string }>(fetchPage: FetchPage<T>): Promise<T[]> {
  return collectPages(upstreamPages(fetchPage));
}
