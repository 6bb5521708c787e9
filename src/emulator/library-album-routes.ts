import type { FastifyInstance } from 'fastify';
import { apiHandler, jsonBody } from './api-route.js';
import type { EmulatorContext } from './context.js';
import { insufficientScopes, invalidArgument, notFound, notFoundHtml } from './errors.js';
import { isWellFormedId } from './ids.js';
import { clientOf, LIBRARY, visibleItem } from './library-media-routes.js';
import { firstQueryValue, pageOf, readPageSize, readPageToken } from './paging.js';
import { rejectUnknownFields } from './search-filters.js';
import { EDIT_SCOPES, READ_SCOPES, WRITE_SCOPES } from './scopes.js';
import { albumJson } from './shapes.js';
import { writableAlbum } from './media-create-routes.js';
import { MAX_ALBUM_ITEMS, type AccessTokenRecord, type AlbumRecord, type MediaItemRecord } from './store.js';

const INVALID_ALBUM_ID = 'Invalid album ID.';
const INVALID_ITEM_ID = 'Request contains an invalid media item id.';

function json(ctx: EmulatorContext, album: AlbumRecord): Record<string, unknown> {
  const cover = album.items[0];
  return albumJson(album, cover ? ctx.libraryBaseUrl(cover) : undefined);
}

function ownAlbum(ctx: EmulatorContext, token: AccessTokenRecord, id: string): AlbumRecord {
  const album = isWellFormedId(id) ? ctx.store.albumsById.get(id) : undefined;
  if (!album || album.clientId !== token.clientId) throw invalidArgument(INVALID_ALBUM_ID);
  return album;
}

function itemIds(body: Record<string, unknown>): string[] {
  rejectUnknownFields(body, ['mediaItemIds']);
  const ids = body.mediaItemIds;
  if (!Array.isArray(ids) || ids.length === 0) throw invalidArgument('Request must contain at least one media item ID.');
  if (ids.length > 50) throw invalidArgument('Request must not contain more than 50 media item IDs.');
  return ids.map(String);
}

function ownItems(ctx: EmulatorContext, token: AccessTokenRecord, ids: string[]): MediaItemRecord[] {
  return ids.map((id) => {
    const item = isWellFormedId(id) ? visibleItem(ctx, token, id) : undefined;
    if (!item) throw invalidArgument(INVALID_ITEM_ID);
    return item;
  });
}

/** albums list/get/create, batchAdd/batchRemove (app-created only), and sharing, which Google refuses since 2025. */
export function registerLibraryAlbumRoutes(app: FastifyInstance, ctx: EmulatorContext): void {
  const api = { config: { api: true } };

  app.get(`${LIBRARY}/albums`, api, apiHandler(ctx, 'photoslibrary', READ_SCOPES, (request, token) => {
    const query = request.query as Record<string, unknown>;
    const client = clientOf(ctx, token);
    const pageSize = readPageSize(firstQueryValue(query.pageSize), 20, 50);
    const page = pageOf(client.albums, readPageToken(firstQueryValue(query.pageToken), 'albums'), pageSize, 'albums');
    const result: Record<string, unknown> = {};
    if (page.items.length > 0) result.albums = page.items.map((album) => json(ctx, album));
    if (page.nextPageToken) result.nextPageToken = page.nextPageToken;
    return result;
  }));

  app.post(`${LIBRARY}/albums`, api, apiHandler(ctx, 'photoslibrary', WRITE_SCOPES, (request, token) => {
    const body = jsonBody(request);
    rejectUnknownFields(body, ['album']);
    const album = body.album && typeof body.album === 'object' ? body.album as Record<string, unknown> : undefined;
    if (!album) throw invalidArgument('Request must contain an album.');
    rejectUnknownFields(album, ['title', 'id', 'productUrl', 'isWriteable', 'mediaItemsCount', 'coverPhotoBaseUrl',
      'coverPhotoMediaItemId', 'shareInfo'], 'album.');
    const title = typeof album.title === 'string' ? album.title : '';
    if (title.length > 500) throw invalidArgument('The album title must be at most 500 characters long.');
    const created: AlbumRecord = { id: ctx.store.newId('album'), title, clientId: clientOf(ctx, token).clientId, items: [] };
    ctx.store.addAlbum(created);
    return json(ctx, created);
  }));

  // One route for "{albumId}" and "{albumId}:action" (the colon is part of the same path segment).
  app.get(`${LIBRARY}/albums/:albumIdAndAction`, api, (request, reply) => {
    const segment = (request.params as { albumIdAndAction: string }).albumIdAndAction;
    if (segment.includes(':')) return reply.code(404).type('text/html; charset=UTF-8').send(notFoundHtml(request.url));
    return apiHandler(ctx, 'photoslibrary', READ_SCOPES, (_request, token) => {
      const album = isWellFormedId(segment) ? ctx.store.albumsById.get(segment) : undefined;
      if (!isWellFormedId(segment)) throw invalidArgument(INVALID_ALBUM_ID);
      if (!album || album.clientId !== token.clientId) throw notFound();
      return json(ctx, album);
    })(request, reply);
  });

  app.post(`${LIBRARY}/albums/:albumIdAndAction`, api, (request, reply) => {
    const segment = (request.params as { albumIdAndAction: string }).albumIdAndAction;
    const [albumId = '', action = ''] = segment.split(':');
    if (action === 'batchAddMediaItems') {
      return apiHandler(ctx, 'photoslibrary', WRITE_SCOPES, (req, token) => {
        const album = writableAlbum(ctx.store, token, albumId);
        const items = ownItems(ctx, token, itemIds(jsonBody(req)));
        const fresh = items.filter((item, i) => !album.items.includes(item) && items.indexOf(item) === i);
        if (album.items.length + fresh.length > MAX_ALBUM_ITEMS) throw invalidArgument(`An album can hold at most ${MAX_ALBUM_ITEMS} media items.`);
        album.items.push(...fresh);
        return {};
      })(request, reply);
    }
    if (action === 'batchRemoveMediaItems') {
      return apiHandler(ctx, 'photoslibrary', EDIT_SCOPES, (req, token) => {
        const album = ownAlbum(ctx, token, albumId);
        const items = ownItems(ctx, token, itemIds(jsonBody(req)));
        if (items.some((item) => !album.items.includes(item))) throw invalidArgument(INVALID_ITEM_ID);
        const removed = new Set(items);
        album.items = album.items.filter((item) => !removed.has(item));
        return {};
      })(request, reply);
    }
    if (['share', 'unshare', 'addEnrichment'].includes(action)) {
      return apiHandler(ctx, 'photoslibrary', action === 'addEnrichment' ? WRITE_SCOPES : [], () => {
        throw invalidArgument('Enrichments are not supported by the emulator.');
      })(request, reply);
    }
    return reply.code(404).type('text/html; charset=UTF-8').send(notFoundHtml(request.url));
  });

  // albums.patch of an app-created album's title (Google also takes coverPhotoMediaItemId; the emulator does not).
  app.patch(`${LIBRARY}/albums/:albumIdAndAction`, api, apiHandler(ctx, 'photoslibrary', EDIT_SCOPES, (request, token) => {
    const albumId = (request.params as { albumIdAndAction: string }).albumIdAndAction;
    const album = ownAlbum(ctx, token, albumId);
    const mask = String(firstQueryValue((request.query as Record<string, unknown>).updateMask) ?? '');
    const fields = mask.split(',').map((field) => field.trim()).filter((field) => field !== '');
    if (fields.length === 0) throw invalidArgument('Request must contain an updateMask.');
    const unknown = fields.find((field) => field !== 'title');
    if (unknown !== undefined) throw invalidArgument(`The emulator can update only the title of an album, not ${unknown.slice(0, 60)}.`);
    const body = jsonBody(request);
    const title = typeof body.title === 'string' ? body.title : '';
    if (title.length > 500) throw invalidArgument('The album title must be at most 500 characters long.');
    album.title = title;
    return json(ctx, album);
  }));

  // The sharing scopes were removed on 2025-03-31: no token can carry what these need.
  const refuse = apiHandler(ctx, 'photoslibrary', [], () => { throw insufficientScopes(); });
  app.get(`${LIBRARY}/sharedAlbums`, api, refuse);
  app.get(`${LIBRARY}/sharedAlbums/:shareToken`, api, refuse);
  app.post(`${LIBRARY}/sharedAlbums::join`, api, refuse);
  app.post(`${LIBRARY}/sharedAlbums::leave`, api, refuse);
}
