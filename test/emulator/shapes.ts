import { z } from 'zod';

/** The wire shapes of google-photos-api.md, written independently of the emulator's code. */
const numericString = z.string().regex(/^\d+$/);
const rfc3339 = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/);

export const MediaItem = z.strictObject({
  id: z.string().min(10),
  description: z.string().optional(),
  productUrl: z.string().url(),
  baseUrl: z.string().url(),
  mimeType: z.string(),
  filename: z.string().min(1),
  mediaMetadata: z.strictObject({
    creationTime: rfc3339,
    width: numericString,
    height: numericString,
    photo: z.strictObject({
      cameraMake: z.string().optional(), cameraModel: z.string().optional(), focalLength: z.number().optional(),
      apertureFNumber: z.number().optional(), isoEquivalent: z.number().int().optional(), exposureTime: z.string().optional(),
    }).optional(),
    video: z.strictObject({
      cameraMake: z.string().optional(), cameraModel: z.string().optional(), fps: z.number().optional(),
      status: z.enum(['UNSPECIFIED', 'PROCESSING', 'READY', 'FAILED']),
    }).optional(),
  }),
});

export const Album = z.strictObject({
  id: z.string().min(10),
  title: z.string(),
  productUrl: z.string().url(),
  isWriteable: z.boolean().optional(),
  mediaItemsCount: numericString.optional(),
  coverPhotoBaseUrl: z.string().url().optional(),
  coverPhotoMediaItemId: z.string().optional(),
});

export const RpcStatus = z.strictObject({
  error: z.strictObject({ code: z.number().int(), message: z.string(), status: z.string(), details: z.array(z.record(z.string(), z.unknown())).optional() }),
});

export const PickingSession = z.strictObject({
  id: z.string(),
  pickerUri: z.string().url(),
  // Only while the user is still picking (mediaItemsSet false).
  pollingConfig: z.strictObject({ pollInterval: z.string().regex(/^\d+(\.\d+)?s$/), timeoutIn: z.string().regex(/^\d+(\.\d+)?s$/) }).optional(),
  expireTime: rfc3339,
  pickingConfig: z.strictObject({ maxItemCount: numericString }).optional(),
  mediaItemsSet: z.boolean(),
});

export const PickedMediaItem = z.strictObject({
  id: z.string(),
  createTime: rfc3339,
  type: z.enum(['PHOTO', 'VIDEO']),
  mediaFile: z.strictObject({
    baseUrl: z.string().url(),
    mimeType: z.string(),
    filename: z.string(),
    mediaFileMetadata: z.strictObject({
      width: z.number().int(), height: z.number().int(), cameraMake: z.string().optional(), cameraModel: z.string().optional(),
      photoMetadata: z.record(z.string(), z.unknown()).optional(),
      videoMetadata: z.strictObject({ fps: z.number().optional(), processingStatus: z.string() }).optional(),
    }),
  }),
});
