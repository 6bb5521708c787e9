import type { User } from '../auth/users.js';

/** AList's permission names (internal/model/user.go) each WebDAV method needs, besides being a known user or the guest. */
const NEEDS: Record<string, readonly string[]> = {
  OPTIONS: [],
  GET: ['webdav_read'],
  HEAD: ['webdav_read'],
  PROPFIND: ['webdav_read'],
  PUT: ['webdav_read', 'webdav_manage', 'write'],
  MKCOL: ['webdav_read', 'webdav_manage', 'write'],
  DELETE: ['webdav_read', 'webdav_manage', 'remove'],
  COPY: ['webdav_read', 'webdav_manage', 'copy'],
  MOVE: ['webdav_read', 'webdav_manage', 'move'],
  PROPPATCH: ['webdav_read', 'webdav_manage'],
  LOCK: ['webdav_read', 'webdav_manage'],
  UNLOCK: ['webdav_read', 'webdav_manage'],
};

/**
 * The one place that decides whether `user` may use a WebDAV method. Until users carry AList's permission bits,
 * an admin holds every permission and the guest (only there while guest access is on) holds webdav_read alone.
 */
export function davMethodAllowed(user: User, method: string): boolean {
  const needs = NEEDS[method];
  if (!needs) return false;
  const holds = (permission: string) => user.role === 'admin' || (user.role === 'guest' && permission === 'webdav_read');
  return needs.every(holds);
}
