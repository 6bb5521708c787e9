import { decodeUrlPath, joinSegments, pathSegments } from '../fs/paths.js';
import { DavError } from './dav-errors.js';

export const DAV_PREFIX = '/dav';

/** The tree path a /dav URL (path and query, as sent) names: "/dav/a%20b/" → "/a b". */
export function treePathOf(url: string): string {
  const path = url.split('?')[0]!;
  if (path !== DAV_PREFIX && !path.startsWith(`${DAV_PREFIX}/`)) throw new DavError(404, `${path} is not below ${DAV_PREFIX}/`);
  return decodeUrlPath(path.slice(DAV_PREFIX.length) || '/');
}

/** The href of a tree path: each segment percent-encoded, a folder ending in "/". */
export function hrefOf(path: string, isDir: boolean): string {
  const encoded = pathSegments(path).map(encodeURIComponent).join('/');
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
export function urlTreePath(value: string): string {
  let url: URL;
  try {
    url = new URL(value, 'http://localhost');
  } catch {
    throw new DavError(400, `"${value}" is not a URL`);
  }
  if (url.pathname !== DAV_PREFIX && !url.pathname.startsWith(`${DAV_PREFIX}/`)) throw new DavError(502, `${value} is not below ${DAV_PREFIX}/ of this server`);
  return treePathOf(url.pathname);
}
