import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import jpeg from 'jpeg-js';
import { accessToken, call, startTestEmulator, type TestEmulator } from './emulator-client.js';

const LARGE = 3 * 1024 * 1024 + 17;

async function bytesOf(response: Response): Promise<Buffer> {
  return Buffer.from(await response.arrayBuffer());
}

describe('emulator media bytes', () => {
  let t: TestEmulator;
  let items: any[];
  beforeAll(async () => {
    t = await startTestEmulator({ items: 12, albums: 2, pickableOnlyItems: 0, largeFileBytes: LARGE });
    const token = await accessToken(t.emu);
    items = (await call(`${t.emu.endpoints.library}/mediaItems?pageSize=100`, token)).body.mediaItems;
  });
  afterAll(async () => { await t.emu.close(); });

  const photo = () => items.find((i) => i.mimeType === 'image/jpeg' && i.mediaMetadata.photo?.cameraMake);
  const video = () => items.find((i) => i.mimeType === 'video/mp4' && i.filename !== 'large-video.mp4');

  it('=d is a valid JPEG of the advertised size, with EXIF camera make and capture time', async () => {
    const item = photo();
    const response = await fetch(`${item.baseUrl}=d`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/jpeg');
    const bytes = await bytesOf(response);
    expect(bytes.subarray(0, 2).toString('hex')).toBe('ffd8');
    expect(bytes.subarray(-2).toString('hex')).toBe('ffd9');
    expect(Number(response.headers.get('content-length'))).toBe(bytes.length);
    const decoded = jpeg.decode(bytes, { useTArray: true });
    expect(String(decoded.width)).toBe(item.mediaMetadata.width);
    expect(String(decoded.height)).toBe(item.mediaMetadata.height);
    const exifAt = bytes.indexOf(Buffer.from('Exif\0\0', 'latin1'));
    expect(exifAt).toBeGreaterThan(0);
    expect(bytes.indexOf(Buffer.from(item.mediaMetadata.photo.cameraMake, 'latin1'), exifAt)).toBeGreaterThan(exifAt);
    const capture = item.mediaMetadata.creationTime.slice(0, 19).replace('T', ' ').replace(/-/g, ':');
    expect(bytes.indexOf(Buffer.from(capture, 'latin1'))).toBeGreaterThan(exifAt);
    // The same URL twice gives the same bytes (deterministic rendering).
    expect((await bytesOf(await fetch(`${item.baseUrl}=d`))).equals(bytes)).toBe(true);
  });

  it('=w100-h100 fits inside 100x100 keeping the aspect; -c crops to exactly the size', async () => {
    const item = items.find((i) => i.mimeType === 'image/jpeg' && i.mediaMetadata.width !== i.mediaMetadata.height);
    const fitted = jpeg.decode(await bytesOf(await fetch(`${item.baseUrl}=w100-h100`)), { useTArray: true });
    expect(Math.max(fitted.width, fitted.height)).toBe(100);
    const ratio = Number(item.mediaMetadata.width) / Number(item.mediaMetadata.height);
    expect(Math.abs(fitted.width / fitted.height - ratio)).toBeLessThan(0.05);
    const cropped = jpeg.decode(await bytesOf(await fetch(`${item.baseUrl}=w120-h50-c`)), { useTArray: true });
    expect([cropped.width, cropped.height]).toEqual([120, 50]);
    const combined = await fetch(`${item.baseUrl}=w64-h64-d`);
    const decoded = jpeg.decode(await bytesOf(combined), { useTArray: true });
    expect(Math.max(decoded.width, decoded.height)).toBe(64);
  });

  it('Range requests: 206 with Content-Range and the right bytes; 416 when unsatisfiable; HEAD', async () => {
    const url = `${photo().baseUrl}=d`;
    const whole = await bytesOf(await fetch(url));
    const partial = await fetch(url, { headers: { range: 'bytes=100-199' } });
    expect(partial.status).toBe(206);
    expect(partial.headers.get('content-range')).toBe(`bytes 100-199/${whole.length}`);
    expect((await bytesOf(partial)).equals(whole.subarray(100, 200))).toBe(true);
    const tail = await fetch(url, { headers: { range: 'bytes=-10' } });
    expect((await bytesOf(tail)).equals(whole.subarray(-10))).toBe(true);
    const beyond = await fetch(url, { headers: { range: `bytes=${whole.length}-` } });
    expect(beyond.status).toBe(416);
    expect(beyond.headers.get('content-range')).toBe(`bytes */${whole.length}`);
    const head = await fetch(url, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(String(whole.length));
    expect(head.headers.get('accept-ranges')).toBe('bytes');
  });

  it('=dv serves the mp4 (ftyp box); a video without =dv is a still JPEG', async () => {
    const item = video();
    const mp4 = await bytesOf(await fetch(`${item.baseUrl}=dv`));
    expect(mp4.subarray(4, 8).toString('latin1')).toBe('ftyp');
    const still = await fetch(`${item.baseUrl}=w100-h100`);
    expect(still.headers.get('content-type')).toBe('image/jpeg');
  });

  it('the large video has exactly largeFileBytes bytes, streamed with Range support', async () => {
    const item = items.find((i) => i.filename === 'large-video.mp4');
    const head = await fetch(`${item.baseUrl}=dv`, { method: 'HEAD' });
    expect(head.headers.get('content-length')).toBe(String(LARGE));
    const whole = await bytesOf(await fetch(`${item.baseUrl}=dv`));
    expect(whole.length).toBe(LARGE);
    expect(whole.subarray(4, 8).toString('latin1')).toBe('ftyp');
    const end = await fetch(`${item.baseUrl}=dv`, { headers: { range: `bytes=${LARGE - 1000}-` } });
    expect(end.status).toBe(206);
    expect(end.headers.get('content-range')).toBe(`bytes ${LARGE - 1000}-${LARGE - 1}/${LARGE}`);
    expect((await bytesOf(end)).equals(whole.subarray(LARGE - 1000))).toBe(true);
  });

  it('a baseUrl stops working after 60 minutes (403 with an HTML body); a forged one is 404', async () => {
    const url = `${photo().baseUrl}=w50-h50`;
    expect((await fetch(url)).status).toBe(200);
    t.clock.now += 61 * 60_000;
    const expired = await fetch(url);
    expect(expired.status).toBe(403);
    expect(expired.headers.get('content-type')).toMatch(/^text\/html/);
    expect((await fetch(url.replace(/\.([A-Za-z0-9_-]{4})/, '.AAAA'))).status).toBe(404);
    expect(t.emu.requestCounts()['GET /media']).toBeGreaterThan(5);
  });
});
