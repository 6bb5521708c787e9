import type { IncomingMessage } from 'node:http';
import { Transform, type Readable } from 'node:stream';
import { checkedBody, disconnectSignal, tooLarge, uploadMimeType } from '../routes/upload-request.js';
import { DavError } from './dav-errors.js';
import { headerValue, isMacJunk, type Dav, type DavCall } from './dav-context.js';
import { nameOf, parentOf } from './dav-paths.js';
import { outsideStorages } from './dav-collections.js';

/** A body of unannounced length (chunked, as Finder sends) that fails past `limit` bytes or when cut off. */
function cappedBody(raw: IncomingMessage, limit: number): Readable {
  let received = 0;
  const capped = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      received += chunk.length;
      callback(received > limit ? tooLarge(undefined, limit) : null, chunk);
    },
  });
  capped.on('error', () => undefined); // the reader sees it
  const cut = () => {
    if (!raw.complete) capped.destroy(new DavError(400, 'The client disconnected during the upload; nothing was stored'));
  };
  raw.once('close', cut);
  raw.pipe(capped);
  return capped;
}

/** Content-Length when sent (within the limit); undefined for a chunked body. */
function declaredSize(call: DavCall, limit: number): number | undefined {
  const raw = headerValue(call.request, 'content-length');
  if (raw === undefined) return undefined;
  const size = Number(raw);
  if (!Number.isSafeInteger(size) || size < 0) throw new DavError(400, 'Content-Length is not a number');
  if (size > limit) throw tooLarge(size, limit);
  return size;
}

/** ownCloud's X-OC-Mtime (seconds since 1970), as rclone and ownCloud clients send it. */
function clientMtime(call: DavCall): Date | undefined {
  const seconds = Number(headerValue(call.request, 'x-oc-mtime'));
  return Number.isFinite(seconds) && seconds > 0 ? new Date(seconds * 1000) : undefined;
}

/**
 * PUT: the body streams through the host's upload path into the storage (Google Photos: All media or an album).
 * Answered once stored: 201 for a new file, 204 when one of that name was replaced. macOS metadata files are
 * read and dropped (201), never sent to the storage.
 */
export async function putFile(server: Dav, call: DavCall): Promise<unknown> {
  const { request, reply, user, path } = call;
  const size = declaredSize(call, server.ctx.maxUploadBytes);
  if (isMacJunk(path)) {
    const body = size === undefined ? cappedBody(request.raw, 1024 * 1024) : checkedBody(request.raw, size);
    body.resume();
    await new Promise((resolve) => body.once('end', resolve).once('error', resolve));
    return reply.code(201).send();
  }
  const existing = await server.tree.find(path);
  if (existing?.isDir) throw new DavError(405, `${path} is a folder; a file cannot replace it`);
  const parent = await server.tree.find(parentOf(path));
  if (!parent?.isDir) throw new DavError(409, `The folder ${parentOf(path)} does not exist; create it first (MKCOL)`);
  if (!parent.live) throw outsideStorages(path);
  await server.guard.check(request, user, path, [{ path, depth: 0 }, ...(existing ? [] : [{ path: parent.path, depth: 0 as const }])]);
  const place = await server.ctx.writes.uploadPlace(path, true);
  const stream = size === undefined ? cappedBody(request.raw, server.ctx.maxUploadBytes) : checkedBody(request.raw, size);
  const modified = clientMtime(call);
  try {
    await server.ctx.writes.put(place, {
      name: nameOf(path), size, mimeType: uploadMimeType(headerValue(request, 'content-type'), nameOf(path)), stream, ...(modified ? { modified } : {}),
    }, { signal: disconnectSignal(request.raw), overwrite: true }, place.existing);
  } catch (err) {
    throw stream.errored ?? err; // a body that failed says more than what the storage made of it
  }
  if (modified) reply.header('x-oc-mtime', 'accepted');
  return reply.code(place.existing ? 204 : 201).send();
}
