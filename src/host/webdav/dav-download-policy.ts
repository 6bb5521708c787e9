import type { Link } from '../../types/obj.js';
import { canRedirect } from '../downloads/download.js';
import type { FileTarget } from '../fs/fs-service.js';
import type { LiveStorage } from '../storages/storage-manager.js';

/** AList's per-storage WebDAV download policies. */
export type WebdavPolicy = '302_redirect' | 'use_proxy_url' | 'native_proxy';

/** The storage's policy; proxying until storages carry AList's webdav_policy setting. */
export function webdavPolicyOf(live: LiveStorage): WebdavPolicy {
  const chosen = (live.row as { webdav_policy?: unknown }).webdav_policy;
  return chosen === '302_redirect' || chosen === 'use_proxy_url' ? chosen : 'native_proxy';
}

/**
 * Whether a WebDAV GET is answered with a 302 to the storage's own link: only under 302_redirect, and only when the
 * link can be handed out (as /d/ decides: no headers the fetch needs, such as a picked item's token). use_proxy_url
 * without a separate download proxy means proxying here, as in AList.
 */
export function redirectsWebdav(target: FileTarget, link: Link): boolean {
  return webdavPolicyOf(target.live) === '302_redirect' && canRedirect(target, link);
}
