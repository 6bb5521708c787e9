import { DavError } from './dav-errors.js';
import { headerValue, isMacJunk, lockedEmpty, type Dav, type DavCall } from './dav-context.js';
import { parentOf } from './dav-paths.js';

/** Folders above the mount points are made by adding storages, not by WebDAV. */
export function outsideStorages(path: string): DavError {
  return new DavError(403, `${path} is outside every storage; add a storage to put something there`);
}

/** MKCOL: one new folder (an album inside Google Photos' Albums); its parent must exist, and no body is taken. */
export async function makeCollection(server: Dav, { request, reply, user, path }: DavCall): Promise<unknown> {
  const length = Number(headerValue(request, 'content-length') ?? 0);
  if (length > 0 || headerValue(request, 'transfer-encoding') !== undefined) {
    throw new DavError(415, 'MKCOL with a request body is not supported; send none');
  }
  if (await server.tree.find(path)) throw new DavError(405, `${path} already exists`);
  const parent = await server.tree.find(parentOf(path));
  if (!parent?.isDir) throw new DavError(409, `The folder ${parentOf(path)} does not exist; create it first`);
  if (!parent.live) throw outsideStorages(path);
  await server.guard.check(request, user, path, [{ path, depth: 0 }, { path: parent.path, depth: 0 }]);
  await server.ctx.writes.mkdir(path);
  return reply.code(201).send();
}

/** Removes what is at `path` through the storage, with its dead properties and locks. */
export async function removeResource(server: Dav, path: string): Promise<void> {
  const entry = await server.ctx.writes.entry(path);
  await server.ctx.writes.remove(entry);
  await server.props.remove(path);
  server.locks.removeWithin(path);
}

/** DELETE of a file or folder (Google Photos: an item leaves its album; see the driver for what else it allows). */
export async function deleteResource(server: Dav, { request, reply, user, path }: DavCall): Promise<unknown> {
  const resource = await server.tree.find(path);
  if (!resource) {
    if (lockedEmpty(server, path)) {
      await server.guard.check(request, user, path, [{ path, depth: 0 }]);
      server.locks.removeWithin(path);
      return reply.code(204).send();
    }
    if (isMacJunk(path)) return reply.code(204).send();
    throw new DavError(404, `Nothing at ${path}`);
  }
  if (!resource.obj) throw new DavError(403, `${path} is a storage's mount point (or leads to one); change it in the storage settings`);
  await server.guard.check(request, user, path, [{ path, depth: 'infinity' }, { path: parentOf(path), depth: 0 }]);
  await removeResource(server, path);
  return reply.code(204).send();
}
