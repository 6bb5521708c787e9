import type { z } from 'zod';
import type { TokenManager } from './auth.js';
import { AuthorizedApi, type AuthorizedRequest } from './authorized-api.js';
import { isItemStatusOk } from './errors.js';
import type { GoogleHttp } from './http.js';
import { collectPages, upstreamPages, type UpstreamPage } from './pages.js';
import { librarySchemas, type Album, type MediaItem } from './schemas.js';
import { upstreamUrlSchema } from './upstream-urls.js';

const MEDIA_PAGE_SIZE = 100;
const ALBUM_PAGE_SIZE = 50;
export const BATCH_GET_LIMIT = 50;

/** The Library API calls the driver makes; every call carries a fresh token and is retried once after a 401. */
export class LibraryClient {
  private readonly api: AuthorizedApi;
  /** URLs in answers must be https, or plain http on this API's own origin (an emulator's). */
  private readonly schemas: ReturnType<typeof librarySchemas>;

  constructor(baseUrl: string, http: GoogleHttp, tokens: TokenManager) {
    this.api = new AuthorizedApi(baseUrl, http, tokens);
    this.schemas = librarySchemas(upstreamUrlSchema(baseUrl));
  }

  /** Every media item of the library (app-created ones since 2025-03-31), all pages. */
  listMediaItems(): Promise<MediaItem[]> {
    return collectPages(this.mediaItemPages());
  }

  /** The library's media items one upstream page at a time. */
  mediaItemPages(): AsyncGenerator<UpstreamPage<MediaItem>> {
    return upstreamPages((pageToken) =>
      this.call(
        { endpoint: 'mediaItems.list', method: 'GET', path: '/mediaItems', query: { pageSize: MEDIA_PAGE_SIZE, pageToken } },
        this.schemas.mediaItemPage,
      ).then((page) => ({ items: page.mediaItems ?? [], next: page.nextPageToken })),
    );
  }

  /** The items of one album, all pages. */
  listAlbumItems(albumId: string): Promise<MediaItem[]> {
    return collectPages(this.albumItemPages(albumId));
  }

  albumItemPages(albumId: string): AsyncGenerator<UpstreamPage<MediaItem>> {
    return upstreamPages((pageToken) =>
      this.call(
        {
          endpoint: 'mediaItems.search',
          method: 'POST',
          path: '/mediaItems:search',
          json: { albumId, pageSize: MEDIA_PAGE_SIZE, ...(pageToken ? { pageToken } : {}) },
          subjectId: albumId,
        },
        this.schemas.mediaItemPage,
      ).then((page) => ({ items: page.mediaItems ?? [], next: page.nextPageToken })),
    );
  }

  listAlbums(): Promise<Album[]> {
    return collectPages(this.albumPages());
  }

  albumPages(): AsyncGenerator<UpstreamPage<Album>> {
    return upstreamPages((pageToken) =>
      this.call(
        { endpoint: 'albums.list', method: 'GET', path: '/albums', query: { pageSize: ALBUM_PAGE_SIZE, pageToken } },
        this.schemas.albumPage,
      ).then((page) => ({ items: page.albums ?? [], next: page.nextPageToken })),
    );
  }

  /** Google answers 403 here since 2025-03-31; the translation says so. */
  listSharedAlbums(): Promise<Album[]> {
    return collectPages(this.sharedAlbumPages());
  }

  sharedAlbumPages(): AsyncGenerator<UpstreamPage<Album>> {
    return upstreamPages((pageToken) =>
      this.call(
        { endpoint: 'sharedAlbums.list', method: 'GET', path: '/sharedAlbums', query: { pageSize: ALBUM_PAGE_SIZE, pageToken } },
        this.schemas.sharedAlbumPage,
      ).then((page) => ({ items: page.sharedAlbums ?? [], next: page.nextPageToken })),
    );
  }

  getMediaItem(id: string): Promise<MediaItem> {
    return this.call(
      { endpoint: 'mediaItems.get', method: 'GET', path: `/mediaItems/${encodeURIComponent(id)}`, subjectId: id },
      this.schemas.mediaItem,
    );
  }

  /** Fetch up to 50 items in one call; ids Google does not return are absent from the map. */
  async batchGetMediaItems(ids: string[]): Promise<Map<string, MediaItem>> {
    const unique = [...new Set(ids)].slice(0, BATCH_GET_LIMIT);
    const answer = await this.call(
      { endpoint: 'mediaItems.batchGet', method: 'GET', path: '/mediaItems:batchGet', query: { mediaItemIds: unique } },
      this.schemas.batchGetResponse,
    );
    const found = new Map<string, MediaItem>();
    for (const result of answer.mediaItemResults ?? []) {
      if (result.mediaItem && isItemStatusOk(result.status)) found.set(result.mediaItem.id, result.mediaItem);
    }
    return found;
  }

  private call<S extends z.ZodType>(request: AuthorizedRequest, schema: S): Promise<z.output<S>> {
    return this.api.call(request, schema);
  }
}
