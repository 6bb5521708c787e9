import { proxyFile } from '../downloads/download.js';
import { DavError } from './dav-errors.js';
import { lockedEmpty, type Dav, type DavCall } from './dav-context.js';
import { downloadPolicy, downProxyLocation } from '../downloads/download-policy.js';
import { etagOf } from './dav-resources.js';

/** GET and HEAD of a file: proxied with Range, or a 302 to the link or the down proxy, by the storage's webdav_policy. */
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
  let policy = downloadPolicy(target.live, 'webdav');
  if (policy.action === 'redirect') {
    const { link } = await server.ctx.fs.link(target);
    policy = downloadPolicy(target.live, 'webdav', link);
    if (policy.action === 'redirect') {
      server.ctx.sizes.probe(target.live, [target.obj]); // a redirected download never shows this server the size
      return reply.header('cache-control', 'no-store').redirect(link.url, 302);
    }
  }
  if (policy.action === 'down_proxy') {
    return reply.header('cache-control', 'no-store').redirect(downProxyLocation(policy.base, path, server.ctx.signer.sign(path)), 302);
  }
  if (await server.ctx.accelRedirect?.answer(server.ctx, target, request, reply, 'inline')) return reply;
  await proxyFile(server.ctx.fs, target, request, reply, 'inline', {}, { etag: etagOf(resource) });
  return reply;
}
