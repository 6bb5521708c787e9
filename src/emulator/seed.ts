import { stableId } from './ids.js';
import { MAX_ALBUM_ITEMS, type AlbumRecord, type CameraInfo, type EmulatorStore, type MediaItemRecord } from './store.js';

/** Deterministic pseudo-random numbers (mulberry32). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CAMERAS: CameraInfo[] = [
  { make: 'Google', model: 'Pixel 8', focalLength: 6.9, apertureFNumber: 1.68, isoEquivalent: 50, exposureTime: '0.004s' },
  { make: 'Apple', model: 'iPhone 15 Pro', focalLength: 6.86, apertureFNumber: 1.78, isoEquivalent: 80, exposureTime: '0.008s' },
  { make: 'Canon', model: 'Canon EOS R6', focalLength: 35, apertureFNumber: 2.8, isoEquivalent: 400, exposureTime: '0.0125s' },
  { make: 'SONY', model: 'ILCE-7M3', focalLength: 50, apertureFNumber: 1.8, isoEquivalent: 200, exposureTime: '0.002s' },
];

/** Names that exercise odd characters, spaces, scripts and duplicates; the first items of every library use them. */
const SPECIAL_NAMES = [
  'café №1.jpg', '写真 2024.jpg', 'a:b*c?.jpg', 'holiday photo.jpg', 'IMG_0001.jpg', 'IMG_0001.jpg',
  'clip.mp4', 'Ünïcödé — test.jpg', 'фото.jpeg', '<script>.jpg', 'no camera.jpg', 'IMG_0001.jpg',
];
const SPECIAL_VIDEO = new Set([6]);
const SPECIAL_NO_CAMERA = new Set([2, 10]);

const PHOTO_SIZES: Array<[number, number]> = [[640, 480], [480, 640], [800, 600], [600, 600]];
export const VIDEO_SIZE: [number, number] = [320, 240];

const NEWEST_MS = Date.UTC(2025, 5, 30, 18, 0, 0);
const OLDEST_MS = Date.UTC(2012, 0, 1, 9, 0, 0);

export interface SeedOptions {
  items: number; albums: number; pickableOnlyItems: number; largeFileBytes?: number; processingVideos?: number;
}

function pad(n: number, width: number): string { return String(n).padStart(width, '0'); }

function makeItem(random: () => number, index: number, count: number, id: string, seq: number, clientId: string | null,
  special: boolean): MediaItemRecord {
  const isVideo = special ? SPECIAL_VIDEO.has(index) : random() < 0.1;
  const noCamera = special ? SPECIAL_NO_CAMERA.has(index) : random() < 0.2;
  // Newest first, spread evenly over the years with a little jitter.
  const span = NEWEST_MS - OLDEST_MS;
  const createdMs = Math.round(NEWEST_MS - (span * index) / Math.max(1, count) - random() * 3_600_000);
  const date = new Date(createdMs);
  const stamp = `${date.getUTCFullYear()}${pad(date.getUTCMonth() + 1, 2)}${pad(date.getUTCDate(), 2)}`;
  let filename: string;
  if (special) filename = SPECIAL_NAMES[index]!;
  else if (isVideo) filename = `VID_${stamp}_${pad(Math.floor(random() * 1e6), 6)}.mp4`;
  else if (index % 23 === 0) filename = 'IMG_0001.jpg';
  else filename = `IMG_${pad(Math.floor(random() * 10_000), 4)}.jpg`;
  const [width, height] = isVideo ? VIDEO_SIZE : PHOTO_SIZES[Math.floor(random() * PHOTO_SIZES.length)]!;
  return {
    id, seq, filename, isVideo, createdMs, width, height, clientId,
    mimeType: isVideo ? 'video/mp4' : 'image/jpeg',
    camera: noCamera ? null : CAMERAS[Math.floor(random() * CAMERAS.length)]!,
    source: { kind: 'generated' },
  };
}

function albumTitles(count: number): string[] {
  const fixed = ['Trips / 2024', 'Family', '旅行 · 京都', 'Café & "friends"'];
  const titles: string[] = [];
  for (let i = 0; i < count; i++) titles.push(i < fixed.length ? fixed[i]! : `Album ${i + 1}`);
  if (count >= 2) titles[count - 1] = 'Empty album';
  return titles;
}

/** Fills the store with the default client's library; same seed and options, same library. */
export function seedLibrary(store: EmulatorStore, clientId: string, options: SeedOptions): void {
  const random = seededRandom(store.seed);
  const items: MediaItemRecord[] = [];
  for (let i = 0; i < options.items; i++) {
    const item = makeItem(random, i, options.items, stableId(store.seed, 'item', i), store.takeSeq(), clientId,
      i < SPECIAL_NAMES.length);
    items.push(item);
    store.addItem(item);
  }
  if (options.largeFileBytes !== undefined) {
    const item = makeItem(random, 0, 1, stableId(store.seed, 'large', 0), store.takeSeq(), clientId, false);
    Object.assign(item, {
      filename: 'large-video.mp4', isVideo: true, mimeType: 'video/mp4', width: VIDEO_SIZE[0], height: VIDEO_SIZE[1],
      source: { kind: 'large', size: options.largeFileBytes },
    });
    items.push(item);
    store.addItem(item);
  }
  // Marking runs after all random draws, so the library is the same whatever processingVideos is.
  for (const video of items.filter((item) => item.isVideo).slice(0, options.processingVideos ?? 0)) video.videoStatus = 'PROCESSING';
  const titles = albumTitles(options.albums);
  titles.forEach((title, a) => {
    const album: AlbumRecord = { id: stableId(store.seed, 'album', a), title, clientId, items: [] };
    if (title !== 'Empty album') {
      const stride = a + 2;
      for (let i = a % stride; i < options.items && album.items.length < MAX_ALBUM_ITEMS - 3; i += stride) album.items.push(items[i]!);
      // The first album also holds the duplicate names, so one folder has the same filename twice.
      if (a === 0) for (const i of [4, 5, 11]) if (items[i] && !album.items.includes(items[i]!)) album.items.push(items[i]!);
    }
    store.addAlbum(album);
  });
  for (let i = 0; i < options.pickableOnlyItems; i++) {
    const item = makeItem(random, i, options.pickableOnlyItems, stableId(store.seed, 'older', i), store.takeSeq(), null, false);
    item.createdMs -= 13 * 365 * 24 * 3600_000;  // the older library: before the app existed
    store.addItem(item);
  }
}
