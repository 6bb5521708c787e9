import { DavError } from './dav-errors.js';
import { headerValue, lockedEmpty, lockedEmptyMembers, type Dav, type DavCall } from './dav-context.js';
import { davResponse, propstat, sendXml } from './dav-multistatus.js';
import { hrefOf } from './dav-paths.js';
import { isLiveProperty, liveProperty, LIVE_PROPERTIES, type PropertyContext } from './dav-properties.js';
import type { DavResource } from './dav-resources.js';
import { DAV_NS, dav, davChild, element, elementsOf, parseXml, type XmlElement } from './dav-xml.js';

type Wanted = { kind: 'allprop'; include: XmlElement[] } | { kind: 'propname' } | { kind: 'prop'; names: XmlElement[] };

function wantedOf(body: Buffer | undefined): Wanted {
  const root = parseXml(body);
  if (!root) return { kind: 'allprop', include: [] };
  if (root.ns !== DAV_NS || root.local !== 'propfind') throw new DavError(400, 'A PROPFIND body must be a DAV: propfind element');
  if (davChild(root, 'propname')) return { kind: 'propname' };
  const prop = davChild(root, 'prop');
  if (prop) return { kind: 'prop', names: elementsOf(prop) };
  if (davChild(root, 'allprop')) return { kind: 'allprop', include: elementsOf(davChild(root, 'include') ?? dav('include')) };
  throw new DavError(400, 'A PROPFIND body must hold prop, allprop or propname');
}

function sameName(a: XmlElement, b: XmlElement): boolean {
  return a.ns === b.ns && a.local === b.local;
}

async function propertiesOf(server: Dav, resource: DavResource, wanted: Wanted, context: PropertyContext): Promise<XmlElement[]> {
  const dead = await server.props.all(resource.path);
  const live = (local: string) => liveProperty(local, resource, context);
  if (wanted.kind === 'propname') {
    const names = [...LIVE_PROPERTIES.filter((local) => live(local) !== undefined).map((local) => dav(local)), ...dead.map((prop) => element(prop.ns, prop.local))];
    return [propstat(200, names)];
  }
  if (wanted.kind === 'allprop') {
    const found = LIVE_PROPERTIES.map(live).filter((prop): prop is XmlElement => prop !== undefined);
    return [propstat(200, [...found, ...dead])];
  }
  const found: XmlElement[] = [];
  const missing: XmlElement[] = [];
  for (const name of wanted.names) {
    const value = isLiveProperty(name.ns, name.local) ? live(name.local) : dead.find((prop) => sameName(prop, name));
    if (value) found.push(value);
    else missing.push(element(name.ns, name.local));
  }
  return [...(found.length > 0 ? [propstat(200, found)] : []), ...(missing.length > 0 ? [propstat(404, missing)] : [])];
}

/**
 * PROPFIND with Depth 0 or 1. Depth infinity (also the default when no Depth is sent) is refused with 403
 * propfind-finite-depth, as RFC 4918 9.1 allows: a whole library at once would take minutes. A folder's files
 * whose sizes are unknown are measured first, within FOLDER_SIZE_BOUND_MS.
 */
export async function propfind(server: Dav, { request, reply, user, path }: DavCall): Promise<unknown> {
  const depth = headerValue(request, 'depth')?.trim().toLowerCase() ?? 'infinity';
  if (depth === 'infinity') throw new DavError(403, 'PROPFIND with Depth infinity is not served; use Depth 0 or 1', 'propfind-finite-depth');
  if (depth !== '0' && depth !== '1') throw new DavError(400, 'Depth must be 0, 1 or infinity');
  const wanted = wantedOf(request.body as Buffer | undefined);
  const wantsSize = wanted.kind === 'allprop' || (wanted.kind === 'prop' && wanted.names.some((name) => name.ns === DAV_NS && name.local === 'getcontentlength'));
  const resource = (await server.tree.find(path, wantsSize)) ?? lockedEmpty(server, path);
  if (!resource) throw new DavError(404, `Nothing at ${path}`);
  const resources = [resource];
  if (depth === '1' && resource.isDir) {
    const members = await server.tree.members(resource);
    resources.push(...members, ...lockedEmptyMembers(server, path, new Set(members.map((member) => member.path))));
  }
  const context: PropertyContext = { locks: server.locks, base: user.base_path, windows: /microsoft-webdav/i.test(headerValue(request, 'user-agent') ?? '') };
  const responses = await Promise.all(resources.map(async (each) =>
    davResponse(hrefOf(each.path, each.isDir, user.base_path), await propertiesOf(server, each, wanted, context))));
  return sendXml(reply, 207, dav('multistatus', responses));
}
