import type { Link } from '../../types/obj.js';
import type { LiveStorage } from '../storages/storage-manager.js';
import { downProxyBase } from '../storages/storage-options.js';
import { encodeUrlPath } from '../fs/paths.js';

/** Which door a download came through: the web routes (/d/) or WebDAV. */
export type DownloadVia = 'web' | 'webdav';

/**
 * How a download is answered: a 302 to the storage's link, bytes through this server, or a 302 to the storage's
 * down_proxy_url (`base`; build the address with downProxyLocation).
 */
export type DownloadPolicy = { action: 'redirect' } | { action: 'proxy' } | { action: 'down_proxy'; base: string };

type PolicyStorage = Pick<LiveStorage, 'row' | 'driver'>;

/** A browser can be sent to this link itself: plain http(s), no header only this server knows (e.g. a bearer token). */
export function linkIsRedirectable(link: Link): boolean {
  return !link.header && /^https?:/.test(link.url);
}

/** The driver hands out links only this server can fetch (AList's OnlyProxy / OnlyLocal). */
function mustProxy(storage: PolicyStorage): boolean {
  return storage.driver?.meta.onlyProxy ?? false;
}

function proxyOrDownProxy(storage: PolicyStorage): DownloadPolicy {
  const base = downProxyBase(storage.row);
  return base ? { action: 'down_proxy', base } : { action: 'proxy' };
}

/**
 * AList's rules for answering a download of this storage's file (server/handles/down.go for 'web', server/webdav
 * for 'webdav'), plus this host's own: a link the browser cannot use (it needs a header, or is a file: link) is
 * never redirected to.
 * - web: proxied when the driver must proxy, the storage has web_proxy on, or the link is not redirectable; a
 *   proxied download goes to down_proxy_url when one is set. Otherwise redirected.
 * - webdav: 'native_proxy' proxies here; 'use_proxy_url' goes to down_proxy_url (proxied here without one);
 *   '302_redirect' redirects unless the driver or link must be proxied.
 * Without `link`, 'redirect' means "redirect if the link allows": fetch the link and ask again with it.
 */
export function downloadPolicy(storage: PolicyStorage, via: DownloadVia, link?: Link): DownloadPolicy {
  const linkNeedsProxy = link !== undefined && !linkIsRedirectable(link);
  if (via === 'webdav') {
    const policy = storage.row.webdav_policy;
    if (policy === 'native_proxy') return { action: 'proxy' };
    if (policy === 'use_proxy_url') return proxyOrDownProxy(storage);
    return mustProxy(storage) || linkNeedsProxy ? { action: 'proxy' } : { action: 'redirect' };
  }
  if (mustProxy(storage) || storage.row.web_proxy || linkNeedsProxy) return proxyOrDownProxy(storage);
  return { action: 'redirect' };
}

/** AList's down proxy address: `<down_proxy_url><path>?sign=<sign>`. */
export function downProxyLocation(base: string, path: string, sign: string): string {
  return `${base}${encodeUrlPath(path)}?sign=${encodeURIComponent(sign)}`;
}
