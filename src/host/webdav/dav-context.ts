import type { FastifyReply, FastifyRequest } from 'fastify';
import type { User } from '../auth/users.js';
import type { HostContext } from '../host-context.js';
import type { DeadProperties } from './dead-properties.js';
import type { DavLockGuard } from './dav-lock-guard.js';
import type { DavLocks } from './dav-locks.js';
import { nameOf, parentOf } from './dav-paths.js';
import type { DavResource, DavTree } from './dav-resources.js';

/** What the method handlers share. */
export interface Dav {
  ctx: HostContext;
  tree: DavTree;
  locks: DavLocks;
  guard: DavLockGuard;
  props: DeadProperties;
}

/** One WebDAV request: who asks, and the tree path its URL names. */
export interface DavCall {
  request: FastifyRequest;
  reply: FastifyReply;
  user: User;
  path: string;
}

export type DavHandler = (dav: Dav, call: DavCall) => Promise<unknown>;

/**
 * A locked name with nothing behind it (LOCK of an unmapped URL): shown as an empty file until something is put
 * there or the lock goes, as RFC 4918 asks of a "locked empty resource".
 */
export function lockedEmpty(dav: Dav, path: string): DavResource | undefined {
  if (!dav.locks.within(path).some((lock) => lock.root === path)) return undefined;
  const now = new Date(dav.ctx.now());
  return { path, name: nameOf(path), isDir: false, size: 0, modified: now, created: now };
}

/** The locked empty resources whose parent is `folder`. */
export function lockedEmptyMembers(dav: Dav, folder: string, present: Set<string>): DavResource[] {
  const roots = new Set(dav.locks.within(folder).map((lock) => lock.root).filter((root) => root !== folder && parentOf(root) === folder && !present.has(root)));
  return [...roots].map((root) => lockedEmpty(dav, root)!);
}

/** macOS Finder's AppleDouble (`._name`) and folder-view (`.DS_Store`) files: accepted and not kept (docs/webdav.md). */
export function isMacJunk(path: string): boolean {
  const name = nameOf(path);
  return name.startsWith('._') || name === '.DS_Store';
}

export function headerValue(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
