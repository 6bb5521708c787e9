import { proxyFile } from '../downloads/download.js';
import { DavError } from './dav-errors.js';
import { lockedEmpty, type Dav, type DavCall } from './dav-context.js';
import { redirectsWebdav } from './dav-download-policy.js';
import { etagOf } from './dav-resources.js';

/** GET and HEAD of a file: proxied with Range (or a 302 where the storage's WebDAV policy says so). */
export async function getFile(server: Dav, { request, reply, path }: DavCall): Promise<unknown> {
  const resource = await server.tree.find(path);
  if (!resource) {
    if (lockedEmpty(server, path)) return reply.code(200).header('content-length', '0').send();
    throw new DavError(404, `Nothing at ${path}`);
  }
  if (resource.isDir || !resource.live || !resource.obj) {
    reply.header('allow', 'OPTIONS, PROPFIND, PROPPATCH, MKCOL, DELETE, COPY, MOVE, LOCK, UNLOCK, PUT');
    throw new DavError(405, `${path} is a folder: list it with PROPFIND`);
  }
  const target = { live: resource.live, obj: resource.obj, path };
  const { link } = await server.ctx.fs.link(target);
  if (redirectsWebdav(target, link)) {
    server.ctx.sizes.probe(target.live, [target.obj]); // a redirected download never shows this server the size
    return reply.header('cache-control', 'no-store').redirect(link.url, 302);
  }
  await proxyFile(server.ctx.fs, target, request, reply, 'inline', {}, { etag: etagOf(resource) });
  return reply;
}
