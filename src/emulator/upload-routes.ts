import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { apiHandler, jsonBody } from './api-route.js';
import type { EmulatorContext } from './context.js';
import { ApiError, invalidArgument, RPC_CODE, sendApiError } from './errors.js';
import { randomToken } from './ids.js';
import { jpegSize } from './image.js';
import { clientOf, LIBRARY } from './library-media-routes.js';
import { rejectUnknownFields } from './search-filters.js';
import { WRITE_SCOPES } from './scopes.js';
import { mediaItemJson } from './shapes.js';
import { VIDEO_SIZE } from './seed.js';
import { MAX_ALBUM_ITEMS, UPLOAD_TOKEN_LIFETIME_MS, type AccessTokenRecord, type AlbumRecord, type MediaItemRecord } from './store.js';

const MAX_UPLOAD_BYTES = 256 * 1024 * 1024;
const CHUNK_GRANULARITY = 262_144;
const CREATE_FAILED = 'Failed: There was an error while trying to create this media item.';

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function bodyBytes(request: FastifyRequest): Buffer {
  return Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
}

function fileName(request: FastifyRequest): string {
  const raw = header(request, 'x-goog-upload-file-name') ?? '';
  try { return decodeURIComponent(raw); } catch { return raw; }
}

function storeUpload(ctx: EmulatorContext, clientId: string, bytes: Buffer, mimeType: string, name: string): string {
  const token = randomToken('CAIS', 96);
  ctx.store.uploads.set(token, { clientId, bytes, mimeType, fileName: name, expiresMs: ctx.store.now() + UPLOAD_TOKEN_LIFETIME_MS });
  return token;
}

function sendText(reply: FastifyReply, text: string, headers: Record<string, string> = {}): FastifyReply {
  return reply.code(200).headers(headers).type('text/plain; charset=UTF-8').send(text);
}

/** Chunks sent to an X-Goog-Upload-URL of a resumable upload ("upload", "finalize", "query", "cancel"). */
function resumableChunk(ctx: EmulatorContext, request: FastifyRequest, reply: FastifyReply, uploadId: string): FastifyReply {
  const upload = ctx.store.resumableUploads.get(uploadId);
  if (!upload) return sendApiError(reply, new ApiError(404, 'The upload session was not found or has ended.'));
  const commands = (header(request, 'x-goog-upload-command') ?? '').split(',').map((c) => c.trim());
  if (commands.includes('cancel')) {
    ctx.store.resumableUploads.delete(uploadId);
    return reply.code(200).header('x-goog-upload-status', 'cancelled').send('');
  }
  if (commands.includes('query')) {
    return reply.code(200).header('x-goog-upload-status', 'active')
      .header('x-goog-upload-size-received', String(upload.received)).send('');
  }
  if (commands.includes('upload')) {
    const offset = Number(header(request, 'x-goog-upload-offset') ?? NaN);
    if (offset !== upload.received) {
      return sendApiError(reply, invalidArgument(`Invalid X-Goog-Upload-Offset: expected ${upload.received}.`));
    }
    const bytes = bodyBytes(request);
    upload.chunks.push(bytes);
    upload.received += bytes.length;
  }
  if (!commands.includes('finalize')) {
    if (!commands.includes('upload')) return sendApiError(reply, invalidArgument('Missing or invalid X-Goog-Upload-Command.'));
    return reply.code(200).header('x-goog-upload-status', 'active').send('');
  }
  ctx.store.resumableUploads.delete(uploadId);
  const token = storeUpload(ctx, upload.clientId, Buffer.concat(upload.chunks), upload.mimeType, upload.fileName);
  return sendText(reply, token, { 'x-goog-upload-status': 'final' });
}

function createItem(ctx: EmulatorContext, token: AccessTokenRecord, entry: unknown): { result: Record<string, unknown>; item?: MediaItemRecord } {
  const newItem = entry && typeof entry === 'object' ? entry as Record<string, unknown> : {};
  const simple = newItem.simpleMediaItem && typeof newItem.simpleMediaItem === 'object'
    ? newItem.simpleMediaItem as Record<string, unknown> : {};
  const uploadToken = typeof simple.uploadToken === 'string' ? simple.uploadToken : '';
  const upload = ctx.store.uploads.get(uploadToken);
  if (!upload || upload.clientId !== token.clientId || upload.expiresMs <= ctx.store.now()) {
    return { result: { uploadToken, status: { code: RPC_CODE.INVALID_ARGUMENT, message: CREATE_FAILED } } };
  }
  ctx.store.uploads.delete(uploadToken);   // an upload token makes one media item
  const isVideo = upload.mimeType.startsWith('video/');
  const size = isVideo ? { width: VIDEO_SIZE[0], height: VIDEO_SIZE[1] } : jpegSize(upload.bytes) ?? { width: 512, height: 512 };
  const item: MediaItemRecord = {
    id: ctx.store.newId('item'), seq: ctx.store.takeSeq(),
    filename: typeof simple.fileName === 'string' && simple.fileName !== '' ? simple.fileName : upload.fileName || 'untitled',
    mimeType: upload.mimeType, isVideo, createdMs: ctx.store.now(), ...size, camera: null, clientId: token.clientId,
    description: typeof newItem.description === 'string' && newItem.description !== '' ? newItem.description : undefined,
    source: { kind: 'upload', bytes: upload.bytes },
  };
  ctx.store.addItem(item, 'start');
  // Google's JSON omits a zero status code: a success status is just {"message": "Success"}.
  return { result: { uploadToken, status: { message: 'Success' }, mediaItem: mediaItemJson(item, ctx.libraryBaseUrl(item)) }, item };
}

/** POST /uploads (raw and resumable) and mediaItems:batchCreate. */
export function registerUploadRoutes(app: FastifyInstance, ctx: EmulatorContext): void {
  app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: MAX_UPLOAD_BYTES }, (_request, body, done) => done(null, body));
    scope.post(`${LIBRARY}/uploads`, { config: { api: true }, bodyLimit: MAX_UPLOAD_BYTES }, async (request, reply) => {
      const uploadId = (request.query as Record<string, unknown>).upload_id;
      if (typeof uploadId === 'string') return resumableChunk(ctx, request, reply, uploadId);
      return apiHandler(ctx, 'photoslibrary', WRITE_SCOPES, (req, token, rep) => {
        const protocol = (header(req, 'x-goog-upload-protocol') ?? 'raw').toLowerCase();
        const mimeType = header(req, 'x-goog-upload-content-type') ?? header(req, 'content-type') ?? 'application/octet-stream';
        if (protocol === 'resumable') {
          const command = header(req, 'x-goog-upload-command');
          if (command !== 'start') throw invalidArgument('A resumable upload must start with X-Goog-Upload-Command: start.');
          const id = randomToken('', 24);
          ctx.store.resumableUploads.set(id, { clientId: token.clientId, chunks: [], received: 0, mimeType, fileName: fileName(req) });
          return rep.code(200).headers({
            'x-goog-upload-status': 'active',
            'x-goog-upload-url': `${ctx.origin}${LIBRARY}/uploads?upload_id=${id}&upload_protocol=resumable`,
            'x-goog-upload-chunk-granularity': String(CHUNK_GRANULARITY),
            'x-goog-upload-control-url': `${ctx.origin}${LIBRARY}/uploads?upload_id=${id}&upload_protocol=resumable`,
          }).send('');
        }
        if (protocol !== 'raw') throw invalidArgument(`Unsupported X-Goog-Upload-Protocol: ${protocol.slice(0, 40)}`);
        const bytes = bodyBytes(req);
        if (bytes.length === 0) throw invalidArgument('The request contains no file bytes.');
        return sendText(rep, storeUpload(ctx, token.clientId, bytes, mimeType, fileName(req)));
      })(request, reply);
    });
  });

  app.post(`${LIBRARY}/mediaItems::batchCreate`, { config: { api: true } }, apiHandler(ctx, 'photoslibrary', WRITE_SCOPES, (request, token) => {
    const body = jsonBody(request);
    rejectUnknownFields(body, ['albumId', 'newMediaItems', 'albumPosition']);
    const entries = body.newMediaItems;
    if (!Array.isArray(entries) || entries.length === 0) throw invalidArgument('Request must contain at least one new media item.');
    if (entries.length > 50) throw invalidArgument('Request must not contain more than 50 new media items.');
    if (body.albumPosition !== undefined && body.albumId === undefined) throw invalidArgument('albumPosition requires an albumId.');
    let album: AlbumRecord | undefined;
    if (body.albumId !== undefined) {
      album = ctx.store.albumsById.get(String(body.albumId));
      if (!album || album.clientId !== clientOf(ctx, token).clientId) throw invalidArgument('Invalid album ID.');
      if (album.items.length + entries.length > MAX_ALBUM_ITEMS) throw invalidArgument(`An album can hold at most ${MAX_ALBUM_ITEMS} media items.`);
    }
    const results = entries.map((entry) => createItem(ctx, token, entry));
    for (const { item } of results) if (item && album) album.items.push(item);
    return { newMediaItemResults: results.map((r) => r.result) };
  }));
}
