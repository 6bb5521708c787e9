import { z } from 'zod';
import type { AuthorizedApi } from './authorized-api.js';
import { albumSchema, mediaItemSchema, type Album, type MediaItem } from './schemas.js';

/** At most this many items per batchCreate, batchAddMediaItems or batchRemoveMediaItems call. */
export const WRITE_BATCH_LIMIT = 50;

const emptySchema = z.looseObject({});

const itemStatusSchema = z.looseObject({ code: z.number().optional(), message: z.string().optional() });

export const batchCreateResponseSchema = z.looseObject({
  newMediaItemResults: z
    .array(z.looseObject({ uploadToken: z.string().optional(), status: itemStatusSchema.optional(), mediaItem: mediaItemSchema.optional() }))
    .optional(),
});

export interface NewMediaItem { uploadToken: string; fileName: string }
export type ItemStatus = z.output<typeof itemStatusSchema>;
export interface NewMediaItemResult { uploadToken?: string; status?: ItemStatus; mediaItem?: MediaItem }

/**
 * The Library API calls that change things. Scopes (Google's reference): batchCreate and albums.create need
 * photoslibrary.appendonly; batchAddMediaItems appendonly or edit.appcreateddata; albums.patch and
 * batchRemoveMediaItems photoslibrary.edit.appcreateddata.
 */
export class AlbumWrites {
  constructor(private readonly api: AuthorizedApi) {}

  /** Upload tokens become media items: in the library, and in `albumId` when given. No description is invented. */
  async batchCreate(albumId: string | undefined, items: NewMediaItem[]): Promise<NewMediaItemResult[]> {
    const answer = await this.api.call(
      {
        endpoint: 'mediaItems.batchCreate',
        method: 'POST',
        path: '/mediaItems:batchCreate',
        json: {
          ...(albumId ? { albumId } : {}),
          newMediaItems: items.map((item) => ({ simpleMediaItem: { uploadToken: item.uploadToken, fileName: item.fileName } })),
        },
        ...(albumId ? { subjectId: albumId } : {}),
      },
      batchCreateResponseSchema,
    );
    return answer.newMediaItemResults ?? [];
  }

  createAlbum(title: string): Promise<Album> {
    return this.api.call({ endpoint: 'albums.create', method: 'POST', path: '/albums', json: { album: { title } } }, albumSchema);
  }

  renameAlbum(albumId: string, title: string): Promise<Album> {
    return this.api.call(
      { endpoint: 'albums.patch', method: 'PATCH', path: `/albums/${encodeURIComponent(albumId)}`, query: { updateMask: 'title' }, json: { title }, subjectId: albumId },
      albumSchema,
    );
  }

  async addItems(albumId: string, mediaItemIds: string[]): Promise<void> {
    await this.api.call(
      { endpoint: 'albums.batchAddMediaItems', method: 'POST', path: `/albums/${encodeURIComponent(albumId)}:batchAddMediaItems`, json: { mediaItemIds }, subjectId: albumId },
      emptySchema,
    );
  }

  async removeItems(albumId: string, mediaItemIds: string[]): Promise<void> {
    await this.api.call(
      { endpoint: 'albums.batchRemoveMediaItems', method: 'POST', path: `/albums/${encodeURIComponent(albumId)}:batchRemoveMediaItems`, json: { mediaItemIds }, subjectId: albumId },
      emptySchema,
    );
  }
}
