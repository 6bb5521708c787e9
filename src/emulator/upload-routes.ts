import { open } from 'node:fs/promises';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { apiHandler } from './api-route.js';
import type { EmulatorContext } from './context.js';
import { ApiError, invalidArgument, sendApiError } from './errors.js';
import { randomToken } from './ids.js';
import { jpegSize } from './image.js';
import { LIBRARY } from './library-media-routes.js';
import { MAX_VIDEO_BYTES, registerMediaCreateRoutes } from './media-create-routes.js';
import { exifDateTimeOriginalMs, sniffMediaType } from './media-sniff.js';
import { WRITE_SCOPES } from './scopes.js';
import { UPLOAD_TOKEN_LIFETIME_MS, type ResumableUpload } from './store.js';

export const CHUNK_GRANULARITY = 262_144;
/** Enough of a file's start for its type, its EXIF block and a JPEG's size. */
const HEAD_BYTES = 256 * 1024;

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function fileName(request: FastifyRequest): string {
  const raw = header(request, 'x-goog-upload-file-name') ?? '';
  try { return decodeURIComponent(raw); } catch { return raw; }
}

async function readHead(path: string, size: number): Promise<Buffer> {
  const file = await open(path, 'r');
  try {
    const head = Buffer.alloc(Math.min(size, HEAD_BYTES));
    const { bytesRead } = await file.read(head, 0, head.length, 0);
    return head.subarray(0, bytesRead);
  } finally {
    await file.close();
  }
}

/** Finished bytes become an upload token (valid a day); what the bytes are is decided now, from the bytes. */
async function issueUploadToken(ctx: EmulatorContext, clientId: string, path: string, size: number, name: string): Promise<string> {
  const head = await readHead(path, size);
  const type = sniffMediaType(head);
  const token = randomToken('CAIS', 96);
  ctx.store.uploads.set(token, {
    clientId, path, size, fileName: name, expiresMs: ctx.store.now() + UPLOAD_TOKEN_LIFETIME_MS,
    ...(type ? { type } : {}),
    ...(type?.mimeType === 'image/jpeg' ? { takenMs: exifDateTimeOriginalMs(head), dimensions: jpegSize(head) } : {}),
  });
  return token;
}

function sendToken(reply: FastifyReply, token: string, headers: Record<string, string> = {}): FastifyReply {
  return reply.code(200).headers(headers).type('text/plain; charset=UTF-8').send(token);
}

/** A chunk with its connection lost: Google keeps what it received up to a granularity boundary. */
async function keepCommitted(ctx: EmulatorContext, upload: ResumableUpload, written: number): Promise<void> {
  upload.received += Math.floor(written / CHUNK_GRANULARITY) * CHUNK_GRANULARITY;
  await ctx.spool.truncate(upload.path, upload.received);
}

/** One request at a time changes an upload; a query or chunk that comes meanwhile sees the result (as Google commits first). */
async function exclusive<T>(upload: ResumableUpload, work: () => Promise<T>): Promise<T> {
  const previous = upload.settled;
  let done = (): void => undefined;
  upload.settled = new Promise<void>((resolve) => { done = resolve; });
  try {
    await previous;
    return await work();
  } finally {
    done();
  }
}

async function appendChunk(ctx: EmulatorContext, request: FastifyRequest, reply: FastifyReply, upload: ResumableUpload,
  finalize: boolean): Promise<FastifyReply | undefined> {
  const offset = Number(header(request, 'x-goog-upload-offset') ?? NaN);
  if (offset !== upload.received) {
    return sendApiError(reply.header('connection', 'close'), invalidArgument(`Invalid X-Goog-Upload-Offset: expected ${upload.received}.`));
  }
  const result = await ctx.spool.append(request.raw, upload.path, upload.rawSize - upload.received, ctx.faults.uploadDropAfter());
  if (result.dropped) ctx.faults.uploadDropped();
  if (result.broken) {
    await keepCommitted(ctx, upload, result.written);
    request.raw.socket.destroy();
    return reply.hijack();
  }
  const refuse = async (message: string) => {
    await ctx.spool.truncate(upload.path, upload.received);
    return sendApiError(reply.header('connection', 'close'), invalidArgument(message));
  };
  if (result.tooLarge) return await refuse(`The upload goes past its X-Goog-Upload-Raw-Size of ${upload.rawSize} bytes.`);
  if (!finalize && result.written % CHUNK_GRANULARITY !== 0) {
    return await refuse(`The chunk size must be a multiple of X-Goog-Upload-Chunk-Granularity (${CHUNK_GRANULARITY}) except for the last chunk.`);
  }
  upload.received += result.written;
  return undefined;
}

/** Requests to an X-Goog-Upload-URL of a resumable upload ("upload", "finalize", "query", "cancel"). */
async function resumableRequest(ctx: EmulatorContext, request: FastifyRequest, reply: FastifyReply, uploadId: string): Promise<FastifyReply> {
  const upload = ctx.store.resumableUploads.get(uploadId);
  if (!upload) return sendApiError(reply.header('connection', 'close'), new ApiError(404, 'The upload session was not found or has ended.'));
  const commands = (header(request, 'x-goog-upload-command') ?? '').split(',').map((c) => c.trim());
  if (commands.includes('cancel')) {
    ctx.store.resumableUploads.delete(uploadId);
    await ctx.spool.remove(upload.path);
    return reply.code(200).header('x-goog-upload-status', 'cancelled').send('');
  }
  if (commands.includes('query')) {
    await upload.settled;
    return reply.code(200).header('x-goog-upload-status', 'active')
      .header('x-goog-upload-size-received', String(upload.received)).send('');
  }
  const finalize = commands.includes('finalize');
  if (!commands.includes('upload') && !finalize) return sendApiError(reply, invalidArgument('Missing or invalid X-Goog-Upload-Command.'));
  return exclusive(upload, async () => {
    if (!ctx.store.resumableUploads.has(uploadId)) return sendApiError(reply, new ApiError(404, 'The upload session was not found or has ended.'));
    if (commands.includes('upload')) {
      const refused = await appendChunk(ctx, request, reply, upload, finalize);
      if (refused) return refused;
    }
    return finalize ? finish(ctx, reply, upload, uploadId) : reply.code(200).header('x-goog-upload-status', 'active').send('');
  });
}

async function finish(ctx: EmulatorContext, reply: FastifyReply, upload: ResumableUpload, uploadId: string): Promise<FastifyReply> {
  if (upload.received !== upload.rawSize) {
    return sendApiError(reply, invalidArgument(`The upload is incomplete: ${upload.received} of ${upload.rawSize} bytes (X-Goog-Upload-Raw-Size) were received.`));
  }
  ctx.store.resumableUploads.delete(uploadId);
  const token = await issueUploadToken(ctx, upload.clientId, upload.path, upload.received, upload.fileName);
  return sendToken(reply, token, { 'x-goog-upload-status': 'final' });
}

async function startResumable(ctx: EmulatorContext, request: FastifyRequest, reply: FastifyReply, clientId: string): Promise<FastifyReply> {
  if (header(request, 'x-goog-upload-command') !== 'start') throw invalidArgument('A resumable upload must start with X-Goog-Upload-Command: start.');
  const rawSizeHeader = header(request, 'x-goog-upload-raw-size');
  if (rawSizeHeader === undefined) throw invalidArgument('The X-Goog-Upload-Raw-Size header is required to start a resumable upload.');
  const rawSize = /^\d{1,15}$/.test(rawSizeHeader.trim()) ? Number(rawSizeHeader.trim()) : NaN;
  if (!Number.isSafeInteger(rawSize)) throw invalidArgument(`Invalid X-Goog-Upload-Raw-Size: ${rawSizeHeader.slice(0, 40)}`);
  if (rawSize === 0) throw invalidArgument('The file is empty.');
  if (rawSize > MAX_VIDEO_BYTES) throw invalidArgument(`The file is too large: ${rawSize} bytes; videos may be up to 20 GB and photos up to 200 MB.`);
  const id = randomToken('', 24);
  const path = ctx.spool.newPath();
  await (await open(path, 'w')).close();
  ctx.store.resumableUploads.set(id, { clientId, path, received: 0, rawSize, fileName: fileName(request), settled: Promise.resolve() });
  const url = `${ctx.origin}${LIBRARY}/uploads?upload_id=${id}&upload_protocol=resumable`;
  return reply.code(200).headers({
    'x-goog-upload-status': 'active', 'x-goog-upload-url': url, 'x-goog-upload-control-url': url,
    'x-goog-upload-chunk-granularity': String(CHUNK_GRANULARITY),
  }).send('');
}

async function rawUpload(ctx: EmulatorContext, request: FastifyRequest, reply: FastifyReply, clientId: string): Promise<FastifyReply> {
  const path = ctx.spool.newPath();
  const result = await ctx.spool.append(request.raw, path, MAX_VIDEO_BYTES + 1);
  if (result.broken) {
    await ctx.spool.remove(path);
    request.raw.socket.destroy();
    return reply.hijack();
  }
  if (result.tooLarge || result.written === 0) {
    await ctx.spool.remove(path);
    throw invalidArgument(result.written === 0 ? 'The request contains no file bytes.' : 'The file is too large: videos may be up to 20 GB and photos up to 200 MB.');
  }
  return sendToken(reply, await issueUploadToken(ctx, clientId, path, result.written, fileName(request)));
}

/** POST /uploads (raw and resumable; bodies streamed to the spool, never held in memory) and mediaItems:batchCreate. */
export function registerUploadRoutes(app: FastifyInstance, ctx: EmulatorContext): void {
  app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    // Leave the body unread: the handlers stream request.raw into a file.
    scope.addContentTypeParser('*', (_request, _payload, done) => done(null, undefined));
    scope.post(`${LIBRARY}/uploads`, { config: { api: true } }, async (request, reply) => {
      const uploadId = (request.query as Record<string, unknown>).upload_id;
      if (typeof uploadId === 'string') return resumableRequest(ctx, request, reply, uploadId);
      return apiHandler(ctx, 'photoslibrary', WRITE_SCOPES, async (req, token, rep) => {
        const protocol = (header(req, 'x-goog-upload-protocol') ?? 'raw').toLowerCase();
        if (protocol === 'resumable') return startResumable(ctx, req, rep, token.clientId);
        if (protocol !== 'raw') throw invalidArgument(`Unsupported X-Goog-Upload-Protocol: ${protocol.slice(0, 40)}`);
        return rawUpload(ctx, req, rep, token.clientId);
      })(request, reply);
    });
  });
  registerMediaCreateRoutes(app, ctx);
}
