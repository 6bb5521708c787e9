import type { Emulator } from '../../../src/emulator/index.js';

type Snapshot = ReturnType<Emulator['snapshot']>;
type MediaItem = Snapshot['mediaItems'][number];

export interface AlbumToBrowse {
  title: string;
  items: MediaItem[];
  /** Filenames found once in the album: the driver lists them verbatim. */
  uniqueNames: string[];
  image: MediaItem;
  video: MediaItem;
}

/** The first album of the default client, with a plain title, that holds a uniquely named image and video. */
export function albumToBrowse(snapshot: Snapshot, clientId: string): AlbumToBrowse {
  const byId = new Map(snapshot.mediaItems.map((item) => [item.id, item]));
  for (const album of snapshot.albums) {
    if (album.clientId !== clientId || !/^[\w ]+$/.test(album.title)) continue;
    const items = album.mediaItemIds.map((id) => byId.get(id)).filter((item): item is MediaItem => item !== undefined);
    const counts = new Map<string, number>();
    for (const item of items) counts.set(item.filename, (counts.get(item.filename) ?? 0) + 1);
    const unique = items.filter((item) => counts.get(item.filename) === 1);
    const image = unique.find((item) => item.mimeType.startsWith('image/'));
    const video = unique.find((item) => item.mimeType.startsWith('video/'));
    if (image && video) return { title: album.title, items, uniqueNames: unique.map((item) => item.filename), image, video };
  }
  throw new Error('The emulator library has no plain-titled album with a uniquely named image and video');
}
