import type { FastifyInstance } from 'fastify';
import { apiHandler, jsonBody } from './api-route.js';
import type { EmulatorContext } from './context.js';
import { invalidArgument, RPC_CODE } from './errors.js';
import { LIBRARY } from './library-media-routes.js';
import { rejectUnknownFields } from './search-filters.js';
import { WRITE_SCOPES } from './scopes.js';
import { VIDEO_SIZE } from './seed.js';
import { mediaItemJson } from './shapes.js';
import { MAX_ALBUM_ITEMS, type AccessTokenRecord, type AlbumRecord, type EmulatorStore, type MediaItemRecord } from './store.js';

const CREATE_FAILED = 'Failed: There was an error while trying to create this media item.';
export const NO_ALBUM_PERMISSION = 'No permission to add media items to this album.';
/** Google's limits: photos up to 200 MB, videos up to 20 GB. */
export const MAX_PHOTO_BYTES = 200 * 1024 * 1024;
export const MAX_VIDEO_BYTES = 20 * 1024 ** 3;
const MAX_DESCRIPTION = 1000;
const MAX_FILE_NAME = 255;

interface NewItem { description?: string; uploadToken: string; fileName?: string }

function readEntry(entry: unknown): NewItem {
  const newItem = entry && typeof entry === 'object' ? entry as Record<string, unknown> : {};
  const simple = newItem.simpleMediaItem && typeof newItem.simpleMediaItem === 'object' ? newItem.simpleMediaItem as Record<string, unknown> : {};
  const description = typeof newItem.description === 'string' && newItem.description !== '' ? newItem.description : undefined;
  const fileName = typeof simple.fileName === 'string' && simple.fileName !== '' ? simple.fileName : undefined;
  if (description !== undefined && [...description].length > MAX_DESCRIPTION) {
    throw invalidArgument(`The description of a media item must be at most ${MAX_DESCRIPTION} characters long.`);
  }
  if (fileName !== undefined && [...fileName].length > MAX_FILE_NAME) {
    throw invalidArgument(`The file name of a media item must be at most ${MAX_FILE_NAME} characters long.`);
  }
  return { description, fileName, uploadToken: typeof simple.uploadToken === 'string' ? simple.uploadToken : '' };
}

/** The album batchCreate adds to: "Invalid album ID." when there is none, Google's refusal when another app made it. */
export function writableAlbum(store: EmulatorStore, token: AccessTokenRecord, albumId: unknown): AlbumRecord {
  const album = store.albumsById.get(String(albumId));
  if (!album) throw invalidArgument('Invalid album ID.');
  if (album.clientId !== token.clientId) throw invalidArgument(NO_ALBUM_PERMISSION);
  return album;
}

function createItem(ctx: EmulatorContext, token: AccessTokenRecord, entry: NewItem): { result: Record<string, unknown>; item?: MediaItemRecord } {
  const { uploadToken } = entry;
  const upload = ctx.store.uploads.get(uploadToken);
  const failed = { result: { uploadToken, status: { code: RPC_CODE.INVALID_ARGUMENT, message: CREATE_FAILED } } };
  if (!upload || upload.clientId !== token.clientId || upload.expiresMs <= ctx.store.now()) return failed;
  ctx.store.uploads.delete(uploadToken);   // an upload token makes one media item
  // Not a photo or video, or a photo past 200 MB: Google accepts the bytes but makes no item of them.
  if (!upload.type || (!upload.type.isVideo && upload.size > MAX_PHOTO_BYTES)) {
    void ctx.spool.remove(upload.path);
    return failed;
  }
  const { isVideo, mimeType } = upload.type;
  const size = isVideo ? { width: VIDEO_SIZE[0], height: VIDEO_SIZE[1] } : upload.dimensions ?? { width: 512, height: 512 };
  const item: MediaItemRecord = {
    id: ctx.store.newId('item'), seq: ctx.store.takeSeq(),
    filename: entry.fileName ?? (upload.fileName || 'untitled'),
    mimeType, isVideo, createdMs: upload.takenMs ?? ctx.store.now(), ...size, camera: null, clientId: token.clientId,
    description: entry.description,
    source: { kind: 'upload', path: upload.path, size: upload.size },
  };
  ctx.store.addItem(item, 'start');
  // Google's JSON omits a zero status code: a success status is just {"message": "Success"}.
  return { result: { uploadToken, status: { message: 'Success' }, mediaItem: mediaItemJson(item, ctx.libraryBaseUrl(item)) }, item };
}

/** mediaItems:batchCreate: upload tokens become media items, in the library and, with albumId, in that album. */
export function registerMediaCreateRoutes(app: FastifyInstance, ctx: EmulatorContext): void {
  app.post(`${LIBRARY}/mediaItems::batchCreate`, { config: { api: true } }, apiHandler(ctx, 'photoslibrary', WRITE_SCOPES, (request, token) => {
    const body = jsonBody(request);
    rejectUnknownFields(body, ['albumId', 'newMediaItems', 'albumPosition']);
    const entries = body.newMediaItems;
    if (!Array.isArray(entries) || entries.length === 0) throw invalidArgument('Request must contain at least one new media item.');
    if (entries.length > 50) throw invalidArgument('Request must not contain more than 50 new media items.');
    if (body.albumPosition !== undefined && body.albumId === undefined) throw invalidArgument('albumPosition requires an albumId.');
    const album = body.albumId === undefined ? undefined : writableAlbum(ctx.store, token, body.albumId);
    if (album && album.items.length + entries.length > MAX_ALBUM_ITEMS) throw invalidArgument(`An album can hold at most ${MAX_ALBUM_ITEMS} media items.`);
    const newItems = entries.map(readEntry);
    const results = newItems.map((entry) => createItem(ctx, token, entry));
    for (const { item } of results) if (item && album) album.items.push(item);
    return { newMediaItemResults: results.map((r) => r.result) };
  }));
}
