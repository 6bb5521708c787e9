/** Storage paths ("/demo/albums/Trips") and the URLs that point at them. */

export function pathSegments(path) {
  return String(path).split('/').filter((segment) => segment !== '');
}

export function normalizePath(path) {
  return '/' + pathSegments(path).join('/');
}

export function joinPath(dir, name) {
  return normalizePath(`${dir}/${name}`);
}

export function parentPath(path) {
  const segments = pathSegments(path);
  return '/' + segments.slice(0, -1).join('/');
}

function encodePath(path) {
  return pathSegments(path).map(encodeURIComponent).join('/');
}

/** The storage path shown by the file browser at `pathname` (the URL path of the page). */
export function pathFromPathname(pathname) {
  const segments = pathSegments(pathname).map((segment) => {
    try {
      return decodeURIComponent(segment);
    } catch {
      return segment;
    }
  });
  return '/' + segments.join('/');
}

/** The page URL of the file browser for a storage path. */
export function browserUrl(path) {
  return '/' + encodePath(path);
}

/** The /d/ (download) or /p/ (proxy) URL of a file, signed when the list gave a sign. */
export function fileUrl(path, { sign = '', proxy = false } = {}) {
  const base = `/${proxy ? 'p' : 'd'}/${encodePath(path)}`;
  return sign ? `${base}?sign=${encodeURIComponent(sign)}` : base;
}
