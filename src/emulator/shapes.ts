import type { AlbumRecord, MediaItemRecord } from './store.js';

/* Response objects, built on demand from compact records, in Google's wire shapes. */

const rfc3339 = (ms: number): string => new Date(ms).toISOString();

export function productUrl(kind: 'photo' | 'album', id: string): string {
  return kind === 'photo' ? `https://photos.google.com/lr/photo/${id}` : `https://photos.google.com/lr/album/${id}`;
}

/**
 * Library API MediaItem: width/height as strings, no contributorInfo (only shared albums have it). A video still
 * PROCESSING carries no baseUrl (Google's is unusable until READY; the emulator takes the stricter reading).
 */
export function mediaItemJson(item: MediaItemRecord, baseUrl: string): Record<string, unknown> {
  const mediaMetadata: Record<string, unknown> = {
    creationTime: rfc3339(item.createdMs), width: String(item.width), height: String(item.height),
  };
  const camera = item.camera;
  if (item.isVideo) {
    mediaMetadata.video = { ...(camera ? { cameraMake: camera.make, cameraModel: camera.model } : {}), fps: 15, status: item.videoStatus ?? 'READY' };
  } else {
    mediaMetadata.photo = camera ? {
      cameraMake: camera.make, cameraModel: camera.model, focalLength: camera.focalLength,
      apertureFNumber: camera.apertureFNumber, isoEquivalent: camera.isoEquivalent, exposureTime: camera.exposureTime,
    } : {};
  }
  const json: Record<string, unknown> = { id: item.id };
  if (item.description) json.description = item.description;
  json.productUrl = productUrl('photo', item.id);
  if (!item.isVideo || (item.videoStatus ?? 'READY') !== 'PROCESSING') json.baseUrl = baseUrl;
  Object.assign(json, { mimeType: item.mimeType, mediaMetadata, filename: item.filename });
  return json;
}

/** Album: mediaItemsCount is a string and, like every proto3 zero, absent for an empty album (so is the cover). */
export function albumJson(album: AlbumRecord, coverBaseUrl: string | undefined): Record<string, unknown> {
  const json: Record<string, unknown> = { id: album.id, title: album.title, productUrl: productUrl('album', album.id), isWriteable: true };
  if (album.items.length > 0) {
    json.mediaItemsCount = String(album.items.length);
    json.coverPhotoBaseUrl = coverBaseUrl;
    json.coverPhotoMediaItemId = album.items[0]!.id;
  }
  return json;
}

/** Picker API PickedMediaItem: width/height are integers here. */
export function pickedItemJson(item: MediaItemRecord, baseUrl: string): Record<string, unknown> {
  const camera = item.camera;
  const metadata: Record<string, unknown> = { width: item.width, height: item.height };
  if (camera) Object.assign(metadata, { cameraMake: camera.make, cameraModel: camera.model });
  if (item.isVideo) metadata.videoMetadata = { fps: 15, processingStatus: item.videoStatus ?? 'READY' };
  else metadata.photoMetadata = camera ? {
    focalLength: camera.focalLength, apertureFNumber: camera.apertureFNumber, isoEquivalent: camera.isoEquivalent,
    exposureTime: camera.exposureTime,
  } : {};
  return {
    id: item.id,
    createTime: rfc3339(item.createdMs),
    type: item.isVideo ? 'VIDEO' : 'PHOTO',
    mediaFile: { baseUrl, mimeType: item.mimeType, filename: item.filename, mediaFileMetadata: metadata },
  };
}
