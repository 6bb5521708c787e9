/** A minimal EXIF APP1 payload ("Exif\0\0" + little-endian TIFF) with camera make/model and DateTimeOriginal. */
interface AsciiTag { tag: number; value: string }

const TYPE_ASCII = 2;
const TYPE_LONG = 4;

function asciiBytes(value: string): Buffer {
  return Buffer.from(`${value.replace(/[^\x20-\x7e]/g, '?')}\0`, 'latin1');
}

/** Writes one IFD at `offset` (relative to the TIFF start); returns its bytes including the out-of-line values. */
function writeIfd(tags: Array<{ tag: number; type: number; bytes?: Buffer; long?: number }>, offset: number): Buffer {
  const headerSize = 2 + tags.length * 12 + 4;
  const extra = tags.reduce((n, t) => n + (t.bytes && t.bytes.length > 4 ? t.bytes.length + (t.bytes.length % 2) : 0), 0);
  const out = Buffer.alloc(headerSize + extra);
  out.writeUInt16LE(tags.length, 0);
  let dataOffset = headerSize;
  tags.forEach((t, i) => {
    const at = 2 + i * 12;
    out.writeUInt16LE(t.tag, at);
    out.writeUInt16LE(t.type, at + 2);
    if (t.type === TYPE_LONG) {
      out.writeUInt32LE(1, at + 4);
      out.writeUInt32LE(t.long ?? 0, at + 8);
      return;
    }
    const bytes = t.bytes ?? Buffer.alloc(1);
    out.writeUInt32LE(bytes.length, at + 4);
    if (bytes.length <= 4) {
      bytes.copy(out, at + 8);
    } else {
      out.writeUInt32LE(offset + dataOffset, at + 8);
      bytes.copy(out, dataOffset);
      dataOffset += bytes.length + (bytes.length % 2);
    }
  });
  out.writeUInt32LE(0, 2 + tags.length * 12);   // no next IFD
  return out;
}

export function exifDateTime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ').replace(/-/g, ':');
}

export function buildExif(opts: { make?: string; model?: string; dateTimeOriginal: string }): Buffer {
  const ifd0Tags: AsciiTag[] = [];
  if (opts.make) ifd0Tags.push({ tag: 0x010f, value: opts.make });
  if (opts.model) ifd0Tags.push({ tag: 0x0110, value: opts.model });
  const ifd0Entries = ifd0Tags.map((t) => ({ tag: t.tag, type: TYPE_ASCII, bytes: asciiBytes(t.value) }));
  const pointerTag = { tag: 0x8769, type: TYPE_LONG, long: 0 };
  const provisional = writeIfd([...ifd0Entries, pointerTag], 8);
  pointerTag.long = 8 + provisional.length;
  const ifd0 = writeIfd([...ifd0Entries, pointerTag], 8);
  const exifIfd = writeIfd([{ tag: 0x9003, type: TYPE_ASCII, bytes: asciiBytes(opts.dateTimeOriginal) }], pointerTag.long);
  const tiffHeader = Buffer.from([0x49, 0x49, 0x2a, 0x00, 0x08, 0x00, 0x00, 0x00]);
  return Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiffHeader, ifd0, exifIfd]);
}
