import mime from 'mime-types';
import type { Obj } from '../../types/obj.js';
import { sanitizeName, uniqueNames, type NamedEntry } from './names.js';
import { usableBaseUrl, type Album, type MediaItem } from './schemas.js';

/** The virtual folder ids, compatible with AList's storages. Any other folder id is an album id. */
export const FOLDER = {
  root: 'root',
  all: 'all',
  albums: 'albums',
  sharedAlbums: 'share_albums',
  picked: 'picked',
} as const;

const EPOCH = new Date(0);
export const THUMBNAIL_SUFFIX = '=w256-h256-c';

function folder(id: string, name: string, description: string): Obj {
  return { id, name, isDir: true, modified: EPOCH, description };
}

/** What `root` lists. */
export function rootFolders(): Obj[] {
  return [
    folder(FOLDER.all, 'All media', 'Every media item this app can see'),
    folder(FOLDER.albums, 'Albums', 'Albums created by this app'),
    folder(FOLDER.sharedAlbums, 'Shared albums', 'Not available since Google\'s 2025-03-31 change'),
    folder(FOLDER.picked, 'Picked from Google Photos', 'Photos you picked in Google Photos, one folder per picking session, until it expires'),
  ];
}

export function isVirtualFolder(id: string): boolean {
  return (Object.values(FOLDER) as string[]).includes(id);
}

export function parseDate(value: string | undefined): Date {
  const time = value ? Date.parse(value) : Number.NaN;
  return Number.isNaN(time) ? EPOCH : new Date(time);
}

export function untitledFileName(mimeType: string | undefined): string {
  const extension = mimeType ? mime.extension(mimeType) : false;
  return extension ? `Untitled.${extension}` : 'Untitled';
}

/** Names a listing's entries; a paged listing passes one that remembers earlier pages. */
export type NameEntries = (entries: NamedEntry[]) => string[];

/** Media items as files with unique names. Size stays unknown: the API gives none. A video still processing has no thumbnail. */
export function mediaItemObjs(items: MediaItem[], nameEntries: NameEntries = uniqueNames): Obj[] {
  const names = nameEntries(items.map((item) => ({ id: item.id, name: sanitizeName(item.filename), fallback: untitledFileName(item.mimeType) })));
  return items.map((item, index) => {
    const taken = parseDate(item.mediaMetadata?.creationTime);
    const obj: Obj = { id: item.id, name: names[index]!, isDir: false, modified: taken, created: taken };
    const baseUrl = usableBaseUrl(item);
    if (baseUrl) obj.thumbnail = baseUrl + THUMBNAIL_SUFFIX;
    if (item.mimeType) obj.mimeType = item.mimeType;
    if (item.description) obj.description = item.description;
    return obj;
  });
}

function itemCount(album: Album): string {
  const count = Number(album.mediaItemsCount ?? '0');
  return `${count} ${count === 1 ? 'item' : 'items'}`;
}

/** Albums as folders with unique names; their item count goes in the description. */
export function albumObjs(albums: Album[], nameEntries: NameEntries = uniqueNames): Obj[] {
  const names = nameEntries(albums.map((album) => ({ id: album.id, name: sanitizeName(album.title), fallback: 'Untitled album' })));
  return albums.map((album, index) => {
    const obj: Obj = { id: album.id, name: names[index]!, isDir: true, modified: EPOCH, description: itemCount(album) };
    if (album.coverPhotoBaseUrl) obj.thumbnail = album.coverPhotoBaseUrl + THUMBNAIL_SUFFIX;
    return obj;
  });
}
