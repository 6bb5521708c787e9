import mime from 'mime-types';
import { DriverError } from '../../types/errors.js';

/** Google's limits for one upload. */
export const MAX_PHOTO_BYTES = 200 * 1024 * 1024;
export const MAX_VIDEO_BYTES = 20 * 1024 ** 3;
export const MAX_FILE_NAME_CHARS = 255;

/** The file types Google Photos accepts, by extension (Google's "Upload media" page). */
const PHOTO_EXTENSIONS = ['avif', 'bmp', 'gif', 'heic', 'heif', 'ico', 'jpg', 'jpeg', 'png', 'tif', 'tiff', 'webp'];
const RAW_EXTENSIONS = ['dng', 'cr2', 'cr3', 'nef', 'nrw', 'arw', 'orf', 'rw2', 'raf', 'srw', 'pef'];
const VIDEO_EXTENSIONS = ['3gp', '3g2', 'asf', 'avi', 'divx', 'm2t', 'm2ts', 'm4v', 'mkv', 'mmv', 'mod', 'mov', 'mp4', 'mpg', 'mpeg', 'mts', 'tod', 'wmv'];

export const ACCEPTED_TYPES_TEXT = 'photos: AVIF, BMP, GIF, HEIC, ICO, JPG, PNG, TIFF, WEBP and some RAW files '
  + `(${RAW_EXTENSIONS.map((ext) => ext.toUpperCase()).join(', ')}); `
  + 'videos: 3GP, 3G2, ASF, AVI, DIVX, M2T, M2TS, M4V, MKV, MMV, MOD, MOV, MP4, MPG, MTS, TOD, WMV';

export type MediaKind = 'photo' | 'video';

export interface UploadKind {
  kind: MediaKind;
  /** What X-Goog-Upload-Content-Type says (Google decides from the bytes in the end). */
  mimeType: string;
}

function kindOfExtension(extension: string): MediaKind | undefined {
  const ext = extension.toLowerCase();
  if (PHOTO_EXTENSIONS.includes(ext) || RAW_EXTENSIONS.includes(ext)) return 'photo';
  if (VIDEO_EXTENSIONS.includes(ext)) return 'video';
  return undefined;
}

function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1) : '';
}

/** Photo or video, from the name's extension, else from the declared type; UNSUPPORTED for anything else. */
export function uploadKind(name: string, declaredType?: string): UploadKind {
  const declared = declaredType?.split(';')[0]?.trim().toLowerCase();
  const byName = kindOfExtension(extensionOf(name));
  const declaredExtension = declared ? mime.extension(declared) : false;
  const kind = byName ?? (declaredExtension ? kindOfExtension(declaredExtension) : undefined);
  if (!kind) {
    throw new DriverError('UNSUPPORTED', `"${name}" is not a photo or video that Google Photos accepts. Google Photos takes ${ACCEPTED_TYPES_TEXT}.`, {
      hint: 'Upload photos and videos only; keep other files in another storage.',
    });
  }
  const usable = declared && (declared.startsWith('image/') || declared.startsWith('video/')) ? declared : undefined;
  return { kind, mimeType: usable ?? (mime.lookup(name) || (kind === 'photo' ? 'image/jpeg' : 'video/mp4')) };
}

export function maxBytes(kind: MediaKind): number {
  return kind === 'photo' ? MAX_PHOTO_BYTES : MAX_VIDEO_BYTES;
}

/** The name is checked before any byte is read. */
export function checkFileName(name: string): void {
  if (name.trim() === '') throw new DriverError('INVALID_ARGUMENT', 'A file to upload needs a name.', { hint: 'Give the file a name.' });
  const length = [...name].length;
  if (length > MAX_FILE_NAME_CHARS) {
    throw new DriverError('INVALID_ARGUMENT', `The file name "${name.slice(0, 40)}…" has ${length} characters; Google Photos takes at most ${MAX_FILE_NAME_CHARS}.`, {
      hint: `Shorten the file name to ${MAX_FILE_NAME_CHARS} characters or fewer, then upload it again.`,
    });
  }
}

export function checkFileSize(name: string, kind: MediaKind, size: number): void {
  if (size === 0) throw new DriverError('INVALID_ARGUMENT', `"${name}" is empty; Google Photos takes no empty files.`, { hint: 'Upload a file with content.' });
  const limit = maxBytes(kind);
  if (size > limit) {
    const limitText = kind === 'photo' ? '200 MB' : '20 GB';
    throw new DriverError('INVALID_ARGUMENT', `"${name}" is ${size} bytes; Google Photos takes ${kind}s of at most ${limitText} (${limit} bytes).`, {
      hint: kind === 'photo' ? 'Reduce the photo (resize or recompress it) below 200 MB, then upload it again.' : 'Split or re-encode the video below 20 GB, then upload it again.',
    });
  }
}
