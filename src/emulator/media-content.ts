import { readFileSync } from 'node:fs';
import { exifDateTime, buildExif } from './exif.js';
import { decodeJpeg, encodeJpeg, renderPicture, resample, type SizeRequest } from './image.js';
import type { MediaOptions } from './base-url.js';
import type { MediaItemRecord } from './store.js';
import { sampleVideo } from './video-bytes.js';

export type MediaBody =
  | { kind: 'buffer'; bytes: Buffer; mimeType: string }
  | { kind: 'file'; path: string; size: number; mimeType: string }
  | { kind: 'large'; size: number; mimeType: string };

/** A few recently encoded images; never the whole library. */
class LruCache<V> {
  private entries = new Map<string, V>();
  constructor(private readonly capacity: number) {}
  get(key: string): V | undefined {
    const value = this.entries.get(key);
    if (value !== undefined) { this.entries.delete(key); this.entries.set(key, value); }
    return value;
  }
  set(key: string, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
  }
}

const cache = new LruCache<Buffer>(24);

function sizeRequest(options: MediaOptions): SizeRequest | undefined {
  if (!options.width && !options.height) return undefined;
  return { width: options.width, height: options.height, crop: options.crop };
}

function generatedJpeg(item: MediaItemRecord, options: MediaOptions, size: SizeRequest | undefined): Buffer {
  const withExif = options.download && !item.isVideo;
  const key = `${item.id}|${withExif}|${size?.width}|${size?.height}|${size?.crop}`;
  const cached = cache.get(key);
  if (cached) return cached;
  let picture = renderPicture(item.seq, item.width, item.height, item.isVideo);
  if (size) picture = resample(picture, size);
  const exif = withExif
    ? buildExif({ make: item.camera?.make, model: item.camera?.model, dateTimeOriginal: exifDateTime(item.createdMs) })
    : undefined;
  const bytes = encodeJpeg(picture, exif);
  cache.set(key, bytes);
  return bytes;
}

/** A scaled copy of an uploaded JPEG; undefined when no scaling is asked for or possible (then the upload is served). */
function scaledUpload(item: MediaItemRecord, path: string, size: SizeRequest | undefined): Buffer | undefined {
  if (!size || item.mimeType !== 'image/jpeg') return undefined;
  const key = `${item.id}|upload|${size.width}|${size.height}|${size.crop}`;
  const cached = cache.get(key);
  if (cached) return cached;
  try {
    const scaled = encodeJpeg(resample(decodeJpeg(readFileSync(path)), size));
    cache.set(key, scaled);
    return scaled;
  } catch {
    return undefined;   // not decodable: serve what was uploaded
  }
}

/**
 * What a baseUrl with these options serves: photos as JPEG (=d adds EXIF, =w/-h/-c scale or crop),
 * videos' bytes only with =dv, otherwise a still frame as JPEG, as Google does.
 */
export function mediaBody(item: MediaItemRecord, options: MediaOptions): MediaBody {
  const size = sizeRequest(options);
  const source = item.source;
  if (item.isVideo && options.video) {
    if (source.kind === 'large') return { kind: 'large', size: source.size, mimeType: item.mimeType };
    if (source.kind === 'upload') return { kind: 'file', path: source.path, size: source.size, mimeType: item.mimeType };
    return { kind: 'buffer', bytes: sampleVideo(), mimeType: 'video/mp4' };
  }
  if (!item.isVideo && source.kind === 'upload') {
    const scaled = scaledUpload(item, source.path, size);
    return scaled ? { kind: 'buffer', bytes: scaled, mimeType: 'image/jpeg' } : { kind: 'file', path: source.path, size: source.size, mimeType: item.mimeType };
  }
  return { kind: 'buffer', bytes: generatedJpeg(item, options, size), mimeType: 'image/jpeg' };
}
