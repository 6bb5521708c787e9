import { z } from 'zod';

/** The Picker API's wire types (https://photospicker.googleapis.com/v1). Unknown fields are tolerated. */

/** A google.protobuf.Duration in JSON, e.g. "3.5s", as milliseconds. */
export function durationMs(value: string): number {
  return Math.round(Number(value.slice(0, -1)) * 1000);
}

const durationSchema = z.string().regex(/^\d+(\.\d+)?s$/, 'must be a duration like "3.5s"').transform(durationMs);

const timestampSchema = z.string().refine((value) => !Number.isNaN(Date.parse(value)), 'must be an RFC 3339 time');

export const pickingSessionSchema = z.looseObject({
  id: z.string().min(1),
  pickerUri: z.string().min(1),
  pollingConfig: z.looseObject({ pollInterval: durationSchema.optional(), timeoutIn: durationSchema.optional() }).optional(),
  expireTime: timestampSchema,
  mediaItemsSet: z.boolean().optional(),
});
export type PickingSession = z.output<typeof pickingSessionSchema>;

export const pickedMediaItemSchema = z.looseObject({
  id: z.string().min(1),
  createTime: z.string().optional(),
  type: z.string().optional(),
  mediaFile: z.looseObject({
    baseUrl: z.string().min(1),
    mimeType: z.string().optional(),
    filename: z.string().optional(),
  }),
});
export type PickedMediaItem = z.output<typeof pickedMediaItemSchema>;

export const pickedMediaItemPageSchema = z.looseObject({
  mediaItems: z.array(pickedMediaItemSchema).optional(),
  nextPageToken: z.string().optional(),
});

/** DELETE answers an empty object; anything JSON-ish is fine. */
export const emptyAnswerSchema = z.unknown();
