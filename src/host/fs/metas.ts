import { timingSafeEqual } from 'node:crypto';
import { hasPermission, type User } from '../auth/user-model.js';
import { ApiError } from '../routes/api-error.js';
import type { Meta, MetaStore } from './meta-store.js';

/** AList's answer when a meta refuses a path (handles/fsread.go). */
export const META_REFUSED = 'password is incorrect or you have no permission';

/** What the metas say about one path for one user (the path was allowed). */
export interface PathView {
  readme: string;
  header: string;
  /** The user may upload and make folders here (AList's `write` of fs/list). */
  write: boolean;
  /** Whether a child of this name is hidden from the user. */
  hidden(name: string): boolean;
}

function isBelow(path: string, folder: string): boolean {
  return folder === '/' ? path !== '/' : path.startsWith(`${folder}/`);
}

/** AList's common.IsApply: the meta's own path, or one below it when the flag says so. */
function applies(meta: Meta, path: string, sub: boolean): boolean {
  return meta.path === path || (sub && isBelow(path, meta.path));
}

function parentOf(path: string): string {
  const cut = path.lastIndexOf('/');
  return cut <= 0 ? '/' : path.slice(0, cut);
}

function baseName(path: string): string {
  return path === '/' ? '/' : path.slice(path.lastIndexOf('/') + 1);
}

/** The regular expressions of a meta's `hide` (empty lines, which would hide everything, are skipped). */
export function hidePatterns(hide: string): RegExp[] {
  return hide.split('\n').map((line) => line.replace(/\r$/, '')).filter((line) => line !== '').map((line) => new RegExp(line));
}

function samePassword(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** AList's metas applied to requests: the nearest meta of a path (its own, or an ancestor's), and what it allows. */
export class MetaRules {
  constructor(readonly store: MetaStore) {}

  /** AList's op.GetNearestMeta. */
  nearest(path: string): Meta | undefined {
    for (let at = path; ; at = parentOf(at)) {
      const meta = this.store.byPath(at);
      if (meta || at === '/') return meta;
    }
  }

  /** AList's common.CanAccess: hidden names are refused to who may not see them, then the password is checked. */
  private canAccess(user: User, meta: Meta | undefined, path: string, password: string): boolean {
    if (meta && meta.hide !== '' && !hasPermission(user, 'see_hides') && applies(meta, parentOf(path), meta.h_sub)) {
      if (hidePatterns(meta.hide).some((pattern) => pattern.test(baseName(path)))) return false;
    }
    if (hasPermission(user, 'access_without_password')) return true;
    if (!meta || meta.password === '' || !applies(meta, path, meta.p_sub)) return true;
    return samePassword(password, meta.password);
  }

  private canWrite(user: User, meta: Meta | undefined, folder: string): boolean {
    return hasPermission(user, 'write') || (!!meta && meta.write && applies(meta, folder, meta.w_sub));
  }

  /** For fs/list, fs/dirs and fs/get: 403 with AList's message when refused; else what the metas say about `path`. */
  open(user: User, path: string, password: string): PathView {
    const meta = this.nearest(path);
    if (!this.canAccess(user, meta, path, password)) throw new ApiError(403, META_REFUSED);
    const hides = meta && meta.hide !== '' && !hasPermission(user, 'see_hides') && applies(meta, path, meta.h_sub) ? hidePatterns(meta.hide) : [];
    return {
      readme: meta && applies(meta, path, meta.r_sub) ? meta.readme : '',
      header: meta && applies(meta, path, meta.header_sub) ? meta.header : '',
      write: this.canWrite(user, meta, path),
      hidden: (name) => hides.some((pattern) => pattern.test(name)),
    };
  }

  /**
   * Uploads and new folders at `path`: allowed with the write permission, or a `write` meta on its folder (AList's
   * FsUp and FsMkdir). An upload also passes the folder's password (`password`); a new folder does not (undefined), as in AList.
   */
  assertCanWrite(user: User, path: string, password: string | undefined): void {
    const folder = parentOf(path);
    const meta = this.nearest(folder);
    const allowed = (password === undefined || this.canAccess(user, meta, path, password)) && this.canWrite(user, meta, folder);
    if (!allowed) throw new ApiError(403, 'permission denied');
  }

  /** A meta password applies to `path`: its /d/ and /p/ links need a sign (AList's middlewares/down.go). */
  passwordApplies(path: string): boolean {
    const meta = this.nearest(path);
    return !!meta && meta.password !== '' && applies(meta, path, meta.p_sub);
  }

  /** Whether `user` may read `path` with no password given (e.g. a download without a sign). */
  mayReadWithoutPassword(user: User, path: string): boolean {
    return this.canAccess(user, this.nearest(path), path, '');
  }
}
