import { Role } from '../auth/user-model.js';
import type { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { HostContext } from '../host-context.js';
import { DavAuth } from './dav-auth.js';
import { makeCollection, deleteResource } from './dav-collections.js';
import type { Dav, DavHandler } from './dav-context.js';
import { copyOrMove } from './dav-copy-move.js';
import { asDavError, DavError } from './dav-errors.js';
import { getFile } from './dav-get.js';
import { DavLockGuard } from './dav-lock-guard.js';
import { lock, unlock } from './dav-lock-methods.js';
import { DavLocks } from './dav-locks.js';
import { sendDavError } from './dav-multistatus.js';
import { treePathOf } from './dav-paths.js';
import { davMethodAllowed } from './dav-permissions.js';
import { propfind } from './dav-propfind.js';
import { proppatch } from './dav-proppatch.js';
import { putFile } from './dav-put.js';
import { DavTree } from './dav-resources.js';
import { DeadProperties } from './dead-properties.js';

/** Largest XML body taken (PROPFIND, PROPPATCH, LOCK); PUT bodies are streamed, never buffered. */
export const DAV_XML_LIMIT = 1024 * 1024;
const WEBDAV_METHODS = ['PROPFIND', 'PROPPATCH', 'MKCOL', 'COPY', 'MOVE', 'LOCK', 'UNLOCK'] as const;

const HANDLERS: Record<string, DavHandler> = {
  GET: getFile, HEAD: getFile, PUT: putFile, PROPFIND: propfind, PROPPATCH: proppatch, MKCOL: makeCollection, DELETE: deleteResource,
  COPY: copyOrMove, MOVE: copyOrMove, LOCK: lock, UNLOCK: unlock,
};
export const DAV_ALLOW = ['OPTIONS', ...Object.keys(HANDLERS)].join(', ');

function readLimited(payload: Readable, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    payload.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        payload.removeAllListeners('data');
        payload.resume();
        reject(new DavError(413, `The request body is larger than ${limit} bytes`));
      } else {
        chunks.push(chunk);
      }
    });
    payload.once('end', () => resolve(Buffer.concat(chunks)));
    payload.once('error', reject);
    // A client that goes away mid-body: no 'end' will come (after one, this changes nothing).
    payload.once('close', () => reject(new DavError(400, 'The request body was cut off')));
  });
}

/** Options: answered to anyone (clients ask before authenticating), saying what this server speaks. */
function options(reply: FastifyReply): FastifyReply {
  return reply.code(200).headers({ dav: '1, 2', allow: DAV_ALLOW, 'ms-author-via': 'DAV', 'content-length': '0' }).send();
}

/**
 * WebDAV (RFC 4918 classes 1 and 2) at /dav/ over the host's tree: the same storages, users and writes as the API.
 * See docs/webdav.md for what clients get.
 */
export function registerWebdav(app: FastifyInstance, ctx: HostContext): void {
  for (const method of WEBDAV_METHODS) app.addHttpMethod(method, { hasBody: true });
  const tree = new DavTree(ctx);
  const locks = new DavLocks(ctx.now);
  const server: Dav = { ctx, tree, locks, guard: new DavLockGuard(locks, tree), props: new DeadProperties(ctx.db, ctx.fs) };
  const auth = new DavAuth(ctx);
  app.addHook('onClose', async () => locks.close());
  // Windows' mini-redirector (and Office) ask the server root what it speaks before using /dav/.
  app.options('/', async (_request, reply) => options(reply));

  const handle = async (request: FastifyRequest, reply: FastifyReply) => {
    if (request.method === 'OPTIONS') return options(reply);
    const handler = HANDLERS[request.method];
    if (!handler) {
      reply.header('allow', DAV_ALLOW);
      throw new DavError(405, `${request.method} is not a WebDAV method this server takes`);
    }
    const user = await auth.userOf(request);
    if (!davMethodAllowed(user, request.method)) {
      // The guest is asked to log in (clients then send credentials); a known user is simply refused.
      if (user.role === Role.GUEST) throw new DavError(401, `Log in to use ${request.method}`);
      throw new DavError(403, `${user.username} may not use ${request.method}`);
    }
    return handler(server, { request, reply, user, path: treePathOf(request.url, user.base_path) });
  };

  app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (request, payload, done) => {
      if (request.method === 'PUT') return done(null, payload);
      readLimited(payload, DAV_XML_LIMIT).then((body) => done(null, body), (err: Error) => done(err));
    });
    scope.setErrorHandler((err, request, reply) => {
      const failure = asDavError(err);
      if (failure.status >= 500) request.log.error({ err }, 'WebDAV request failed');
      if (reply.sent || reply.raw.headersSent) {
        reply.raw.destroy();
        return reply;
      }
      if (!request.raw.complete) reply.header('connection', 'close'); // the rest of a refused body is not read
      return sendDavError(reply, failure);
    });
    scope.setNotFoundHandler((request, reply) => {
      reply.header('allow', DAV_ALLOW);
      return sendDavError(reply, new DavError(501, `${request.method} is not implemented`));
    });
    const methods = [...new Set([...scope.supportedMethods, ...WEBDAV_METHODS])];
    scope.route({ method: methods, url: '', exposeHeadRoute: false, handler: handle });
    scope.route({ method: methods, url: '/*', exposeHeadRoute: false, handler: handle });
  }, { prefix: '/dav' });
}
