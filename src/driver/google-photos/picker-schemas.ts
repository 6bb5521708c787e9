import { z } from 'zod';
import { upstreamUrlSchema, type UpstreamUrlSchema } from './upstream-urls.js';

/** The Picker API's wire types (https://photospicker.googleapis.com/v1). Unknown fields are tolerated. */

/** A google.protobuf.Duration in JSON, e.g. "3.5s", as milliseconds. */
export function durationMs(value: string): number {
  return Math.round(Number(value.slice(0, -1)) * 1000);
}

const durationSchema = z.string().regex(/^\d+(\.\d+)?s$/, 'must be a duration like "3.5s"').transform(durationMs);

const timestampSchema = z.string().refine((value) => !Number.isNaN(Date.parse(value)), 'must be an RFC 3339 time');

/** The Picker API's answers; their URL fields checked with `url` (see upstream-urls.ts). */
export function pickerSchemas(url: UpstreamUrlSchema) {
  const pickingSession = z.looseObject({
    id: z.string().min(1),
    pickerUri: url,
    pollingConfig: z.looseObject({ pollInterval: durationSchema.optional(), timeoutIn: durationSchema.optional() }).optional(),
    expireTime: timestampSchema,
    mediaItemsSet: z.boolean().optional(),
  });
  const pickedMediaItem = z.looseObject({
    id: z.string().min(1),
    createTime: z.string().optional(),
    type: z.string().optional(),
    mediaFile: z.looseObject({
      baseUrl: url,
      mimeType: z.string().optional(),
      filename: z.string().optional(),
    }),
  });
  return {
    pickingSession,
    pickedMediaItem,
    pickedMediaItemPage: z.looseObject({ mediaItems: z.array(pickedMediaItem).optional(), nextPageToken: z.string().optional() }),
  };
}

/** As Google itself answers (https URLs only). */
const googlePicker = pickerSchemas(upstreamUrlSchema());
export const pickingSessionSchema = googlePicker.pickingSession;
export type PickingSession = z.output<typeof pickingSessionSchema>;
export const pickedMediaItemSchema = googlePicker.pickedMediaItem;
export type PickedMediaItem = z.output<typeof pickedMediaItemSchema>;
export const pickedMediaItemPageSchema = googlePicker.pickedMediaItemPage;

/** DELETE answers an empty object; anything JSON-ish is fine. */
export const emptyAnswerSchema = z.unknown();
