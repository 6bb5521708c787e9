/**
 * The address clients reach this server at, for the absolute links it hands out (raw_url, Google's
 * redirect_uri). Taken from configuration, never from a request's Host header, which any client may forge.
 */

export class SiteUrlError extends Error {
  constructor(value: string) {
    super(`"site_url" must be an http(s) address such as https://files.example.org (a path is fine, no query): got ${JSON.stringify(value.slice(0, 100))}`);
    this.name = 'SiteUrlError';
  }
}

/** A site URL without its trailing slash; SiteUrlError for anything but http(s) with no query, fragment or credentials. */
export function normalizeSiteUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw new SiteUrlError(value);
  }
  const plain = (url.protocol === 'http:' || url.protocol === 'https:') && !url.search && !url.hash && !url.username && !url.password;
  if (!plain || value.includes('?') || value.includes('#')) throw new SiteUrlError(value);
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

/** The address the server listens on, as a URL; a wildcard address is shown as the loopback one. */
export function listeningUrl(host: string, port: number): string {
  const shown = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
  return `http://${shown.includes(':') ? `[${shown}]` : shown}:${port}`;
}
