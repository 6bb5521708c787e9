import type { DavLock, DavLocks } from './dav-locks.js';
import { hrefOf } from './dav-paths.js';
import { contentTypeOf, etagOf, type DavResource } from './dav-resources.js';
import { dav, type XmlElement, type XmlNode } from './dav-xml.js';

/** The live properties, in the order allprop shows them; clients can read them, never set them. */
export const LIVE_PROPERTIES = [
  'resourcetype', 'displayname', 'getcontentlength', 'getlastmodified', 'creationdate', 'getcontenttype', 'getetag', 'supportedlock', 'lockdiscovery',
] as const;

export interface PropertyContext {
  locks: DavLocks;
  /** The asking user's base path: hrefs are relative to it. */
  base: string;
  /** The Windows mini-redirector reads creationdate in the RFC 1123 form only (as AList serves it). */
  windows: boolean;
}

export function isLiveProperty(ns: string, local: string): boolean {
  return ns === 'DAV:' && (LIVE_PROPERTIES as readonly string[]).includes(local);
}

export function activeLock(lock: DavLock, secondsLeft: number, base: string): XmlElement {
  return dav('activelock', [
    dav('locktype', [dav('write')]),
    dav('lockscope', [dav(lock.scope)]),
    dav('depth', [lock.depth === 0 ? '0' : 'infinity']),
    ...(lock.owner ? [lock.owner] : []),
    dav('timeout', [`Second-${secondsLeft}`]),
    dav('locktoken', [dav('href', [lock.token])]),
    dav('lockroot', [dav('href', [hrefOf(lock.root, false, base)])]),
  ]);
}

export function lockDiscovery(locks: DavLocks, path: string, base: string): XmlElement {
  return dav('lockdiscovery', locks.covering(path).map((lock) => activeLock(lock, locks.secondsLeft(lock), base)));
}

function supportedLock(): XmlNode[] {
  return (['exclusive', 'shared'] as const).map((scope) => dav('lockentry', [dav('lockscope', [dav(scope)]), dav('locktype', [dav('write')])]));
}

/** A live property's value for the resource, or undefined when the resource has none (a folder's length, an unknown size). */
export function liveProperty(local: string, resource: DavResource, context: PropertyContext): XmlElement | undefined {
  switch (local) {
    case 'resourcetype':
      return dav('resourcetype', resource.isDir ? [dav('collection')] : []);
    case 'displayname':
      return dav('displayname', [resource.name]);
    case 'getcontentlength':
      return resource.isDir || resource.size === undefined ? undefined : dav('getcontentlength', [String(resource.size)]);
    case 'getlastmodified':
      return dav('getlastmodified', [resource.modified.toUTCString()]);
    case 'creationdate':
      return dav('creationdate', [context.windows ? resource.created.toUTCString() : resource.created.toISOString().replace(/\.\d{3}Z$/, 'Z')]);
    case 'getcontenttype':
      return resource.isDir ? undefined : dav('getcontenttype', [contentTypeOf(resource)]);
    case 'getetag':
      return dav('getetag', [etagOf(resource)]);
    case 'supportedlock':
      return dav('supportedlock', supportedLock());
    case 'lockdiscovery':
      return lockDiscovery(context.locks, resource.path, context.base);
    default:
      return undefined;
  }
}
