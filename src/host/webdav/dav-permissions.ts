import { hasPermission, type PermissionName, type User } from '../auth/user-model.js';

/** AList's permission names (internal/model/user.go) each WebDAV method needs, besides being a known user or the guest. */
const NEEDS: Record<string, readonly PermissionName[]> = {
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

/** The one place that decides whether `user` may use a WebDAV method: AList's permission bits (an admin holds all). */
export function davMethodAllowed(user: User, method: string): boolean {
  const needs = NEEDS[method];
  if (!needs) return false;
  return needs.every((permission) => hasPermission(user, permission));
}
