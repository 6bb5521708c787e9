import { z } from 'zod';

/** Google's wire types. Unknown fields are tolerated; what the driver relies on is checked. */

export const tokenResponseSchema = z.looseObject({
  access_token: z.string().min(1),
  expires_in: z.coerce.number().positive().optional(),
  refresh_token: z.string().min(1).optional(),
  scope: z.string().optional(),
  token_type: z.string().optional(),
});
export type TokenResponse = z.output<typeof tokenResponseSchema>;

export const mediaItemSchema = z.looseObject({
  id: z.string().min(1),
  filename: z.string().optional(),
  mimeType: z.string().optional(),
  /** Absent (or unusable) while a video is still PROCESSING. */
  baseUrl: z.string().min(1).optional(),
  productUrl: z.string().optional(),
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
export type MediaItem = z.output<typeof mediaItemSchema>;

/** The baseUrl to fetch bytes from; none while a video is still processing (or failed), when Google's isn't usable. */
export function usableBaseUrl(item: MediaItem): string | undefined {
  const status = item.mediaMetadata?.video?.status;
  return status === 'PROCESSING' || status === 'FAILED' ? undefined : item.baseUrl;
}

export const mediaItemPageSchema = z.looseObject({
  mediaItems: z.array(mediaItemSchema).optional(),
  nextPageToken: z.string().optional(),
});

export const albumSchema = z.looseObject({
  id: z.string().min(1),
  title: z.string().optional(),
  productUrl: z.string().optional(),
  isWriteable: z.boolean().optional(),
  /** A string in the API, e.g. "42". */
  mediaItemsCount: z.string().regex(/^\d+$/).optional(),
  coverPhotoBaseUrl: z.string().optional(),
  coverPhotoMediaItemId: z.string().optional(),
});
export type Album = z.output<typeof albumSchema>;

export const albumPageSchema = z.looseObject({
  albums: z.array(albumSchema).optional(),
  nextPageToken: z.string().optional(),
});

export const sharedAlbumPageSchema = z.looseObject({
  sharedAlbums: z.array(albumSchema).optional(),
  nextPageToken: z.string().optional(),
});

export const batchGetResponseSchema = z.looseObject({
  mediaItemResults: z
    .array(
      z.looseObject({
        mediaItem: mediaItemSchema.optional(),
        status: z.looseObject({ code: z.number().optional(), message: z.string().optional() }).optional(),
      }),
    )
    .optional(),
});
