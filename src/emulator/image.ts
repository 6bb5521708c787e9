import jpeg from 'jpeg-js';

export interface Rgba { width: number; height: number; data: Uint8Array }

/** 3x5 bitmaps of the digits 0-9, one string of 15 cells each. */
const DIGITS = [
  '111101101101111', '010110010010111', '111001111100111', '111001111001111', '101101111001001',
  '111100111001111', '111100111101111', '111001001001001', '111101111101111', '111101111001111',
];

/** A deterministic picture: a colour gradient with the item's number drawn in the middle. */
export function renderPicture(seq: number, width: number, height: number, video = false): Rgba {
  const data = new Uint8Array(width * height * 4);
  const blue = (seq * 53) % 256;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      data[i] = Math.floor((x * 255) / width);
      data[i + 1] = video ? 40 : Math.floor((y * 255) / height);
      data[i + 2] = blue;
      data[i + 3] = 255;
    }
  }
  const text = String(seq);
  const cell = Math.max(1, Math.floor(Math.min(width / (text.length * 4 + 1), height / 7)));
  const left = Math.floor((width - (text.length * 4 - 1) * cell) / 2);
  const top = Math.floor((height - 5 * cell) / 2);
  for (let d = 0; d < text.length; d++) {
    const bitmap = DIGITS[text.charCodeAt(d) - 48]!;
    for (let k = 0; k < 15; k++) {
      if (bitmap[k] !== '1') continue;
      const x0 = left + (d * 4 + (k % 3)) * cell;
      const y0 = top + Math.floor(k / 3) * cell;
      for (let y = y0; y < y0 + cell && y < height; y++) {
        for (let x = x0; x < x0 + cell && x < width; x++) data.fill(255, (y * width + x) * 4, (y * width + x) * 4 + 3);
      }
    }
  }
  return { width, height, data };
}

export interface SizeRequest { width?: number; height?: number; crop: boolean }

const MAX_OUTPUT_SIDE = 4096;

/** Output size Google would produce: fit inside (never enlarging), or exactly W x H when cropping. */
export function targetSize(srcW: number, srcH: number, req: SizeRequest): { width: number; height: number } {
  const w = req.width ? Math.min(req.width, MAX_OUTPUT_SIDE) : undefined;
  const h = req.height ? Math.min(req.height, MAX_OUTPUT_SIDE) : undefined;
  if (req.crop && w && h) return { width: w, height: h };
  const scale = Math.min(1, w ? w / srcW : Infinity, h ? h / srcH : Infinity);
  return { width: Math.max(1, Math.round(srcW * scale)), height: Math.max(1, Math.round(srcH * scale)) };
}

/** Nearest-neighbour resampling; with crop, scales to cover and keeps the centre. */
export function resample(src: Rgba, req: SizeRequest): Rgba {
  const { width, height } = targetSize(src.width, src.height, req);
  if (width === src.width && height === src.height) return src;
  const cover = req.crop && req.width && req.height;
  const scale = cover ? Math.max(width / src.width, height / src.height) : width / src.width;
  const scaleY = cover ? scale : height / src.height;
  const offX = cover ? (src.width * scale - width) / 2 : 0;
  const offY = cover ? (src.height * scaleY - height) / 2 : 0;
  const data = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    const sy = Math.min(src.height - 1, Math.floor((y + offY + 0.5) / scaleY));
    for (let x = 0; x < width; x++) {
      const sx = Math.min(src.width - 1, Math.floor((x + offX + 0.5) / scale));
      const from = (sy * src.width + sx) * 4;
      const to = (y * width + x) * 4;
      data[to] = src.data[from]!; data[to + 1] = src.data[from + 1]!; data[to + 2] = src.data[from + 2]!; data[to + 3] = 255;
    }
  }
  return { width, height, data };
}

export function encodeJpeg(image: Rgba, exif?: Buffer): Buffer {
  const input = { width: image.width, height: image.height, data: image.data, exifBuffer: exif };
  return jpeg.encode(input as Parameters<typeof jpeg.encode>[0], 80).data;
}

export function decodeJpeg(bytes: Buffer): Rgba {
  const decoded = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxResolutionInMP: 50, maxMemoryUsageInMB: 512 });
  return { width: decoded.width, height: decoded.height, data: decoded.data };
}

/** Width and height from a JPEG's SOF marker, without decoding it. */
export function jpegSize(bytes: Buffer): { width: number; height: number } | undefined {
  if (bytes.length < 4 || bytes[0] !== 0xff || bytes[1] !== 0xd8) return undefined;
  let at = 2;
  while (at + 9 < bytes.length) {
    if (bytes[at] !== 0xff) return undefined;
    const marker = bytes[at + 1]!;
    const length = bytes.readUInt16BE(at + 2);
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return { height: bytes.readUInt16BE(at + 5), width: bytes.readUInt16BE(at + 7) };
    }
    at += 2 + length;
  }
  return undefined;
}
