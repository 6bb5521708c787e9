import { z } from 'zod';
import { upstreamUrlSchema, type UpstreamUrlSchema } from './upstream-urls.js';

/** Google's wire types. Unknown fields are tolerated; what the driver relies on is checked. */

export const tokenResponseSchema = z.looseObject({
  access_token: z.string().min(1),
  expires_in: z.coerce.number().positive().optional(),
  refresh_token: z.string().min(1).optional(),
  scope: z.string().optional(),
  token_type: z.string().optional(),
});
export type TokenResponse = z.output<typeof tokenResponseSchema>;

/** The Library API's answers; their URL fields checked with `url` (see upstream-urls.ts). */
export function librarySchemas(url: UpstreamUrlSchema) {
  const mediaItem = z.looseObject({
    id: z.string().min(1),
    filename: z.string().optional(),
    mimeType: z.string().optional(),
    /** Absent (or unusable) while a video is still PROCESSING. */
    baseUrl: url.optional(),
    productUrl: url.optional(),
    description: z.string().optional(),
    mediaMetadata: z
      .looseObject({
        creationTime: z.string().optional(),
        width: z.string().optional(),
        height: z.string().optional(),
        /** status: UNSPECIFIED | PROCESSING | READY | FAILED. */
        video: z.looseObject({ status: z.string().optional() }).optional(),
      })
      .optional(),
  });
  const album = z.looseObject({
    id: z.string().min(1),
    title: z.string().optional(),
    productUrl: url.optional(),
    isWriteable: z.boolean().optional(),
    /** A string in the API, e.g. "42". */
    mediaItemsCount: z.string().regex(/^\d+$/).optional(),
    coverPhotoBaseUrl: url.optional(),
    coverPhotoMediaItemId: z.string().optional(),
  });
  return {
    mediaItem,
    mediaItemPage: z.looseObject({ mediaItems: z.array(mediaItem).optional(), nextPageToken: z.string().optional() }),
    album,
    albumPage: z.looseObject({ albums: z.array(album).optional(), nextPageToken: z.string().optional() }),
    sharedAlbumPage: z.looseObject({ sharedAlbums: z.array(album).optional(), nextPageToken: z.string().optional() }),
    batchGetResponse: z.looseObject({
      mediaItemResults: z
        .array(
          z.looseObject({
            mediaItem: mediaItem.optional(),
            status: z.looseObject({ code: z.number().optional(), message: z.string().optional() }).optional(),
          }),
        )
        .optional(),
    }),
  };
}

/** As Google itself answers (https URLs only). */
const googleLibrary = librarySchemas(upstreamUrlSchema());
export const mediaItemSchema = googleLibrary.mediaItem;
export type MediaItem = z.output<typeof mediaItemSchema>;
export const mediaItemPageSchema = googleLibrary.mediaItemPage;
export const albumSchema = googleLibrary.album;

export type Album = z.output<typeof albumSchema>;
export const albumPageSchema = googleLibrary.albumPage;
export const sharedAlbumPageSchema = googleLibrary.sharedAlbumPage;
export const batchGetResponseSchema = googleLibrary.batchGetResponse;

/** The baseUrl to fetch bytes from; none while a video is still processing (or failed), when Google's isn't usable. */
export function usableBaseUrl(item: MediaItem): string | undefined {
  const status = item.mediaMetadata?.video?.status;
  return status === 'PROCESSING' || status === 'FAILED' ? undefined : item.baseUrl;
}
