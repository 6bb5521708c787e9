import { decodeUrlPath, joinSegments, pathSegments } from '../fs/paths.js';
import { joinBasePath, pathForUser } from '../auth/access.js';
import { DavError } from './dav-errors.js';

export const DAV_PREFIX = '/dav';

/**
 * The tree path a /dav URL (path and query, as sent) names: "/dav/a%20b/" → "/a b". A user's /dav/ is their base
 * path (as AList's WebDAV joins it), so for base "/demo" "/dav/x" names "/demo/x".
 */
export function treePathOf(url: string, base = '/'): string {
  const path = url.split('?')[0]!;
  if (path !== DAV_PREFIX && !path.startsWith(`${DAV_PREFIX}/`)) throw new DavError(404, `${path} is not below ${DAV_PREFIX}/`);
  const decoded = decodeUrlPath(path.slice(DAV_PREFIX.length) || '/');
  return base === '/' ? decoded : joinBasePath({ base_path: base }, decoded);
}

/** The href of a tree path: each segment percent-encoded, a folder ending in "/"; relative to the user's base path. */
export function hrefOf(path: string, isDir: boolean, base = '/'): string {
  const seen = base === '/' ? path : pathForUser({ base_path: base }, path) ?? path;
  const encoded = pathSegments(seen).map(encodeURIComponent).join('/');
  const href = `${DAV_PREFIX}/${encoded}`;
  return isDir && encoded !== '' ? `${href}/` : href;
}

export function parentOf(path: string): string {
  return joinSegments(pathSegments(path).slice(0, -1));
}

export function nameOf(path: string): string {
  return pathSegments(path).pop() ?? '';
}

/** `path` is `folder` or lies below it. */
export function isWithin(path: string, folder: string): boolean {
  return path === folder || path.startsWith(folder === '/' ? '/' : `${folder}/`);
}

/**
 * The tree path of a Destination header (or an If header's resource tag): an absolute URL of this server, or an
 * absolute path. Its host is not compared with the request's: behind a reverse proxy the two often differ. A path
 * outside /dav/ is a 502, as RFC 4918 asks of a destination this server cannot write to.
 */
export function urlTreePath(value: string, base = '/'): string {
  let url: URL;
  try {
    url = new URL(value, 'http://localhost');
  } catch {
    throw new DavError(400, `"${value}" is not a URL`);
  }
  if (url.pathname !== DAV_PREFIX && !url.pathname.startsWith(`${DAV_PREFIX}/`)) throw new DavError(502, `${value} is not below ${DAV_PREFIX}/ of this server`);
  return treePathOf(url.pathname, base);
}
