import type { FastifyInstance } from 'fastify';
import { apiHandler, jsonBody } from './api-route.js';
import type { EmulatorContext } from './context.js';
import { invalidArgument, notFound, RPC_CODE } from './errors.js';
import { isWellFormedId } from './ids.js';
import { firstQueryValue, listingOf, makePageToken, pageOf, readPageSize, readPageToken } from './paging.js';
import { compileFilters, rejectUnknownFields } from './search-filters.js';
import { READ_SCOPES } from './scopes.js';
import { mediaItemJson } from './shapes.js';
import type { AccessTokenRecord, ClientRecord, MediaItemRecord } from './store.js';

export const LIBRARY = '/photoslibrary/v1';
const INVALID_ITEM_ID = 'Invalid media item ID.';

export function clientOf(ctx: EmulatorContext, token: AccessTokenRecord): ClientRecord {
  const client = ctx.store.clients.get(token.clientId);
  if (!client) throw notFound();
  return client;
}

/** The item if this client created it; Google shows no other item to the Library API since 2025-03-31. */
export function visibleItem(ctx: EmulatorContext, token: AccessTokenRecord, id: string): MediaItemRecord | undefined {
  const item = ctx.store.itemsById.get(id);
  return item && item.clientId === token.clientId ? item : undefined;
}

const ORDER_BY = ['MediaMetadata.creation_time', 'MediaMetadata.creation_time desc'];

function search(ctx: EmulatorContext, token: AccessTokenRecord, body: Record<string, unknown>): Record<string, unknown> {
  rejectUnknownFields(body, ['albumId', 'pageSize', 'pageToken', 'filters', 'orderBy']);
  const client = clientOf(ctx, token);
  const pageSize = readPageSize(body.pageSize, 25, 100);
  const albumId = typeof body.albumId === 'string' && body.albumId !== '' ? body.albumId : undefined;
  if (albumId !== undefined && body.filters !== undefined) {
    throw invalidArgument('Request must not contain both an album ID and filters.');
  }
  const toJson = (items: MediaItemRecord[]) => items.map((item) => mediaItemJson(item, ctx.libraryBaseUrl(item)));
  if (albumId !== undefined) {
    if (body.orderBy !== undefined) throw invalidArgument('Request must not contain an orderBy without a date filter.');
    const album = ctx.store.albumsById.get(albumId);
    if (!album || album.clientId !== token.clientId) throw invalidArgument('Invalid album ID.');
    const listing = listingOf('album', album.id);
    const page = pageOf(album.items, readPageToken(body.pageToken, listing), pageSize, listing, ctx.faults.pagingQuirks());
    return withItems(toJson(page.items), page.nextPageToken);
  }
  const { predicate, hasDateFilter } = compileFilters(body.filters);
  const orderBy = body.orderBy;
  if (orderBy !== undefined && !hasDateFilter) throw invalidArgument('Request must not contain an orderBy without a date filter.');
  if (orderBy !== undefined && !ORDER_BY.includes(String(orderBy))) throw invalidArgument(`Invalid orderBy: ${String(orderBy).slice(0, 100)}`);
  // With a date filter Google sorts by creation time, newest first unless orderBy asks for oldest first.
  const byDate = hasDateFilter ? ctx.store.itemsByDate(client) : undefined;
  const ascending = orderBy === 'MediaMetadata.creation_time';
  const at = (i: number): MediaItemRecord => byDate ? byDate[ascending ? i : byDate.length - 1 - i]! : client.items[i]!;
  const total = client.items.length;
  const listing = listingOf('search', { filters: body.filters, orderBy });
  const quirks = ctx.faults.pagingQuirks();
  const found: MediaItemRecord[] = [];
  let position = readPageToken(body.pageToken, listing);
  // A token always points just after the previous page's last match: that is the item a repeat shows again.
  if (quirks.repeatIds && pageSize > 1 && position > 0 && position < total) found.push(at(position - 1));
  const start = position;
  for (; position < total && found.length < pageSize; position++) if (predicate(at(position))) found.push(at(position));
  const stray = quirks.strayPageToken && position > start && position >= total;
  return withItems(toJson(found), position < total || stray ? makePageToken(listing, position) : undefined);
}

function withItems(mediaItems: unknown[], nextPageToken?: string): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  if (mediaItems.length > 0) result.mediaItems = mediaItems;   // Google sends {} for an empty page
  if (nextPageToken) result.nextPageToken = nextPageToken;
  return result;
}

/** mediaItems list, search, get and batchGet (batchCreate lives with uploads). */
export function registerLibraryMediaRoutes(app: FastifyInstance, ctx: EmulatorContext): void {
  const api = { config: { api: true } };

  app.get(`${LIBRARY}/mediaItems`, api, apiHandler(ctx, 'photoslibrary', READ_SCOPES, (request, token) => {
    const query = request.query as Record<string, unknown>;
    const client = clientOf(ctx, token);
    const pageSize = readPageSize(firstQueryValue(query.pageSize), 25, 100);
    const listing = listingOf('list', null);
    const page = pageOf(client.items, readPageToken(firstQueryValue(query.pageToken), listing), pageSize, listing, ctx.faults.pagingQuirks());
    return withItems(page.items.map((item) => mediaItemJson(item, ctx.libraryBaseUrl(item))), page.nextPageToken);
  }));

  app.post(`${LIBRARY}/mediaItems::search`, api, apiHandler(ctx, 'photoslibrary', READ_SCOPES,
    (request, token) => search(ctx, token, jsonBody(request))));

  app.get(`${LIBRARY}/mediaItems/:mediaItemId`, api, apiHandler(ctx, 'photoslibrary', READ_SCOPES, (request, token) => {
    const id = (request.params as { mediaItemId: string }).mediaItemId;
    // Google answers 400 for an id it does not show this client, well-formed or not.
    const item = isWellFormedId(id) ? visibleItem(ctx, token, id) : undefined;
    if (!item) throw invalidArgument(INVALID_ITEM_ID);
    return mediaItemJson(item, ctx.libraryBaseUrl(item));
  }));

  app.get(`${LIBRARY}/mediaItems::batchGet`, api, apiHandler(ctx, 'photoslibrary', READ_SCOPES, (request, token) => {
    const raw = (request.query as Record<string, unknown>).mediaItemIds;
    const ids = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).map(String);
    if (ids.length === 0) throw invalidArgument('Request must contain at least one media item ID.');
    if (ids.length > 50) throw invalidArgument('Request must not contain more than 50 media item IDs.');
    if (new Set(ids).size !== ids.length) throw invalidArgument('Request must not contain duplicate media item IDs.');
    return {
      mediaItemResults: ids.map((id) => {
        const item = isWellFormedId(id) ? visibleItem(ctx, token, id) : undefined;
        if (!item) return { status: { code: RPC_CODE.INVALID_ARGUMENT, message: INVALID_ITEM_ID } };
        return { mediaItem: mediaItemJson(item, ctx.libraryBaseUrl(item)) };
      }),
    };
  }));
}
