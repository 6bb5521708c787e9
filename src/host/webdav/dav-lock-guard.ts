import type { FastifyRequest } from 'fastify';
import type { User } from '../auth/users.js';
import { DavError } from './dav-errors.js';
import { evaluateIf, parseIfHeader, submittedTokens } from './dav-if-header.js';
import type { DavLock, DavLocks } from './dav-locks.js';
import { hrefOf, urlTreePath } from './dav-paths.js';
import { etagOf, type DavTree } from './dav-resources.js';

/** A resource a request changes; `infinity`: everything below it too (DELETE, MOVE of a folder). */
export interface Touched {
  path: string;
  depth: 0 | 'infinity';
}

/**
 * The checks every modifying method runs first: the If header must hold (else 412), and every lock on what the
 * request changes must have been submitted in it by the lock's owner (else 423 with the locked resource's href).
 */
export class DavLockGuard {
  constructor(private readonly locks: DavLocks, private readonly tree: DavTree) {}

  /** The tokens the request submitted, once its If header (if any) held for `requestPath`. */
  async submitted(request: FastifyRequest, user: User, requestPath: string): Promise<Set<string>> {
    const header = request.headers.if;
    if (typeof header !== 'string' || header.trim() === '') return new Set();
    const lists = parseIfHeader(header);
    const holds = await evaluateIf(lists, requestPath, (url) => urlTreePath(url, user.base_path), {
      holds: (path, token) => this.locks.covering(path).some((lock) => lock.token === token),
      etag: async (path) => {
        const resource = await this.tree.find(path);
        return resource && etagOf(resource);
      },
    });
    if (!holds) throw new DavError(412, 'The If header\'s conditions do not hold');
    return submittedTokens(lists);
  }

  /**
   * Locks on the touched resources that keep `user` out: an exclusive lock whose token was not submitted by its
   * owner; shared locks on one resource when the user submitted none of them (sharing a lock is sharing the write).
   */
  blocking(user: User, touched: Touched[], tokens: Set<string>): DavLock[] {
    const submitted = (lock: DavLock) => tokens.has(lock.token) && lock.userId === user.id;
    const found = new Set<DavLock>();
    for (const { path, depth } of touched) {
      const locks = [...this.locks.covering(path), ...(depth === 'infinity' ? this.locks.within(path) : [])];
      for (const lock of locks) if (lock.scope === 'exclusive' && !submitted(lock)) found.add(lock);
      for (const root of new Set(locks.filter((lock) => lock.scope === 'shared').map((lock) => lock.root))) {
        const shared = locks.filter((lock) => lock.scope === 'shared' && lock.root === root);
        if (!shared.some(submitted)) shared.forEach((lock) => found.add(lock));
      }
    }
    return [...found];
  }

  async check(request: FastifyRequest, user: User, requestPath: string, touched: Touched[]): Promise<Set<string>> {
    const tokens = await this.submitted(request, user, requestPath);
    const blocking = this.blocking(user, touched, tokens);
    if (blocking.length > 0) {
      throw new DavError(423, 'The resource is locked; submit the lock\'s token in an If header', 'lock-token-submitted', blocking.map((lock) => hrefOf(lock.root, false, user.base_path)));
    }
    return tokens;
  }
}
