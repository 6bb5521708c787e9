import { DavError } from './dav-errors.js';
import type { Dav, DavCall } from './dav-context.js';
import type { PropertyChange } from './dead-properties.js';
import { davResponse, propstat, sendXml } from './dav-multistatus.js';
import { hrefOf } from './dav-paths.js';
import { isLiveProperty } from './dav-properties.js';
import { DAV_NS, dav, davChild, element, elementsOf, parseXml, type XmlElement } from './dav-xml.js';

/** The set and remove instructions in document order (RFC 4918 9.2: applied in that order). */
function changesOf(body: XmlElement | undefined): PropertyChange[] {
  if (!body || body.ns !== DAV_NS || body.local !== 'propertyupdate') throw new DavError(400, 'A PROPPATCH body must be a DAV: propertyupdate element');
  const changes: PropertyChange[] = [];
  for (const instruction of elementsOf(body)) {
    if (instruction.ns !== DAV_NS || (instruction.local !== 'set' && instruction.local !== 'remove')) continue;
    for (const property of elementsOf(davChild(instruction, 'prop') ?? dav('prop'))) {
      changes.push(instruction.local === 'set' ? { kind: 'set', property } : { kind: 'remove', ns: property.ns, local: property.local });
    }
  }
  if (changes.length === 0) throw new DavError(400, 'The propertyupdate sets or removes no property');
  return changes;
}

/**
 * PROPPATCH: dead properties stored in the database, all or none. A live property cannot be set or removed (403
 * cannot-modify-protected-property); when one fails, every other one of the request answers 424 and nothing changes.
 */
export async function proppatch(server: Dav, { request, reply, user, path }: DavCall): Promise<unknown> {
  const changes = changesOf(parseXml(request.body as Buffer | undefined));
  const resource = await server.tree.find(path);
  if (!resource) throw new DavError(404, `Nothing at ${path}`);
  if (!server.props.keyOf(path)) throw new DavError(403, `${path} is outside every storage; properties can be set only inside a storage`);
  await server.guard.check(request, user, path, [{ path, depth: 0 }]);
  const nameOfChange = (change: PropertyChange) => (change.kind === 'set' ? element(change.property.ns, change.property.local) : element(change.ns, change.local));
  const isProtected = (change: PropertyChange) => (change.kind === 'set' ? isLiveProperty(change.property.ns, change.property.local) : isLiveProperty(change.ns, change.local));
  const refused = changes.filter(isProtected);
  let propstats: XmlElement[];
  if (refused.length > 0) {
    const others = changes.filter((change) => !isProtected(change));
    propstats = [propstat(403, refused.map(nameOfChange), 'cannot-modify-protected-property'), ...(others.length > 0 ? [propstat(424, others.map(nameOfChange))] : [])];
  } else {
    await server.props.apply(path, changes);
    propstats = [propstat(200, changes.map(nameOfChange))];
  }
  return sendXml(reply, 207, dav('multistatus', [davResponse(hrefOf(path, resource.isDir, user.base_path), propstats)]));
}
