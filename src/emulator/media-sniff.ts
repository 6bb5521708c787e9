/**
 * What Google does with uploaded bytes before it makes a media item: the type comes from the bytes (magic numbers),
 * not from the declared X-Goog-Upload-Content-Type, and a photo's capture time from its EXIF DateTimeOriginal.
 */

export interface SniffedType { mimeType: string; isVideo: boolean }

const ascii = (bytes: Buffer, start: number, end: number): string => bytes.subarray(start, end).toString('latin1');

/** ISO base media (MP4, MOV, 3GP, HEIC, AVIF): the brand after "ftyp" says which. */
function isoMediaType(head: Buffer): SniffedType | undefined {
  if (head.length < 12 || ascii(head, 4, 8) !== 'ftyp') return undefined;
  const brand = ascii(head, 8, 12);
  if (['heic', 'heix', 'heim', 'heis', 'mif1', 'msf1'].includes(brand)) return { mimeType: 'image/heic', isVideo: false };
  if (brand === 'avif' || brand === 'avis') return { mimeType: 'image/avif', isVideo: false };
  if (brand === 'qt  ') return { mimeType: 'video/quicktime', isVideo: true };
  if (brand.startsWith('3gp')) return { mimeType: 'video/3gpp', isVideo: true };
  if (brand.startsWith('3g2')) return { mimeType: 'video/3gpp2', isVideo: true };
  if (brand.startsWith('M4V')) return { mimeType: 'video/x-m4v', isVideo: true };
  return { mimeType: 'video/mp4', isVideo: true };
}

/** The photo or video type of these first bytes of a file, or undefined when Google would not accept it. */
export function sniffMediaType(head: Buffer): SniffedType | undefined {
  const photo = (mimeType: string): SniffedType => ({ mimeType, isVideo: false });
  const video = (mimeType: string): SniffedType => ({ mimeType, isVideo: true });
  if (head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return photo('image/jpeg');
  if (head.length >= 8 && head.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return photo('image/png');
  if (ascii(head, 0, 6) === 'GIF87a' || ascii(head, 0, 6) === 'GIF89a') return photo('image/gif');
  if (ascii(head, 0, 4) === 'RIFF' && ascii(head, 8, 12) === 'WEBP') return photo('image/webp');
  if (ascii(head, 0, 4) === 'RIFF' && ascii(head, 8, 12) === 'AVI ') return video('video/x-msvideo');
  if (ascii(head, 0, 2) === 'BM' && head.length >= 26) return photo('image/bmp');
  if (ascii(head, 0, 4) === 'II*\0' || ascii(head, 0, 4) === 'MM\0*') return photo('image/tiff');
  if (head.length >= 4 && head.readUInt32BE(0) === 0x00000100) return photo('image/x-icon');
  if (head.length >= 4 && head.readUInt32BE(0) === 0x1a45dfa3) return video(head.includes(Buffer.from('webm')) ? 'video/webm' : 'video/x-matroska');
  if (head.length >= 4 && (head.readUInt32BE(0) === 0x000001ba || head.readUInt32BE(0) === 0x000001b3)) return video('video/mpeg');
  if (head.length >= 16 && head.subarray(0, 16).equals(Buffer.from('3026b2758e66cf11a6d900aa0062ce6c', 'hex'))) return video('video/x-ms-wmv');
  return isoMediaType(head);
}

/** EXIF "YYYY:MM:DD HH:MM:SS" (no time zone: read as UTC, as Google shows it without one) to ms. */
function exifDateMs(text: string): number | undefined {
  const match = /^(\d{4}):(\d{2}):(\d{2}) (\d{2}):(\d{2}):(\d{2})/.exec(text);
  if (!match) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as [number, number, number, number, number, number];
  const ms = Date.UTC(year, month - 1, day, hour, minute, second);
  return Number.isNaN(ms) || year < 1800 ? undefined : ms;
}

/** The IFD entry `tag` of the IFD at `ifd` (offsets relative to the TIFF header `tiff`). */
function ifdEntry(tiff: Buffer, ifd: number, tag: number, little: boolean): { type: number; count: number; value: number } | undefined {
  const u16 = (at: number) => (little ? tiff.readUInt16LE(at) : tiff.readUInt16BE(at));
  const u32 = (at: number) => (little ? tiff.readUInt32LE(at) : tiff.readUInt32BE(at));
  if (ifd + 2 > tiff.length) return undefined;
  const count = u16(ifd);
  for (let i = 0; i < count; i++) {
    const at = ifd + 2 + i * 12;
    if (at + 12 > tiff.length) return undefined;
    if (u16(at) === tag) return { type: u16(at + 2), count: u32(at + 4), value: u32(at + 8) };
  }
  return undefined;
}

/** DateTimeOriginal (0x9003) of a JPEG's EXIF APP1 segment, in ms; undefined when there is none. */
export function exifDateTimeOriginalMs(jpeg: Buffer): number | undefined {
  if (jpeg.length < 4 || jpeg[0] !== 0xff || jpeg[1] !== 0xd8) return undefined;
  let at = 2;
  while (at + 4 <= jpeg.length && jpeg[at] === 0xff) {
    const marker = jpeg[at + 1]!;
    const length = jpeg.readUInt16BE(at + 2);
    if (marker === 0xda) return undefined;   // start of scan: no EXIF before the picture
    if (marker === 0xe1 && ascii(jpeg, at + 4, at + 10) === 'Exif\0\0') {
      try {
        const tiff = jpeg.subarray(at + 10, at + 2 + length);
        const little = ascii(tiff, 0, 2) === 'II';
        const ifd0 = little ? tiff.readUInt32LE(4) : tiff.readUInt32BE(4);
        const pointer = ifdEntry(tiff, ifd0, 0x8769, little);
        const original = pointer ? ifdEntry(tiff, pointer.value, 0x9003, little) : undefined;
        if (!original || original.type !== 2 || original.count < 19) return undefined;
        return exifDateMs(ascii(tiff, original.value, original.value + 19));
      } catch {
        return undefined;   // a truncated or malformed EXIF block is ignored, as Google does
      }
    }
    at += 2 + length;
  }
  return undefined;
}
