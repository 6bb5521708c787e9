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

/** The first album of the default client whose title needs no escaping and that holds a uniquely named image and video. */
export function albumToBrowse(snapshot: Snapshot, clientId: string): AlbumToBrowse {
  const byId = new Map(snapshot.mediaItems.map((item) => [item.id, item]));
  for (const album of snapshot.albums) {
    // A title the driver shows as is (it replaces slashes and drops control characters).
    if (album.clientId !== clientId || /[\/\\\u0000-\u001f]/.test(album.title) || album.title !== album.title.trim()) continue;
    const items = album.mediaItemIds.map((id) => byId.get(id)).filter((item): item is MediaItem => item !== undefined);
    const counts = new Map<string, number>();
    for (const item of items) counts.set(item.filename, (counts.get(item.filename) ?? 0) + 1);
    const unique = items.filter((item) => counts.get(item.filename) === 1);
    const image = unique.find((item) => item.mimeType.startsWith('image/'));
    const video = unique.find((item) => item.mimeType.startsWith('video/'));
    if (image && video) return { title: album.title, items, uniqueNames: unique.map((item) => item.filename), image, video };
  }
  throw new Error('The emulator library has no album with a usable title and a uniquely named image and video');
}

/** A filename the driver lists verbatim (it replaces slashes and drops control characters). */
function listedVerbatim(name: string): boolean {
  return !/[\/\\\u0000-\u001f]/.test(name) && name === name.trim() && name !== '';
}

/**
 * Items to tick on the emulator's picker page: `fromApp` images the app created and one image of the user's
 * older library (visible only through the Picker), all with distinct names the driver shows as they are.
 */
export function imagesToPick(snapshot: Snapshot, clientId: string, fromApp = 2): { items: MediaItem[]; pickableOnly: MediaItem } {
  const counts = new Map<string, number>();
  for (const item of snapshot.mediaItems) counts.set(item.filename, (counts.get(item.filename) ?? 0) + 1);
  const usable = snapshot.mediaItems.filter((item) => item.mimeType === 'image/jpeg' && counts.get(item.filename) === 1 && listedVerbatim(item.filename));
  const appItems = usable.filter((item) => item.clientId === clientId).slice(0, fromApp);
  const pickableOnly = usable.find((item) => item.clientId === null);
  if (appItems.length < fromApp || !pickableOnly) throw new Error('The emulator library has too few uniquely named images to pick');
  return { items: [...appItems, pickableOnly], pickableOnly };
}
