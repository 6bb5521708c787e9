import type { PutArgs, UploadFile } from '../../types/driver.js';
import { DriverError } from '../../types/errors.js';
import { refId, type Obj, type ObjRef } from '../../types/obj.js';
import type { AlbumWrites } from './album-writes.js';
import type { LibraryClient } from './library.js';
import type { MediaItemCreator } from './media-item-creator.js';
import { checkFileName, checkFileSize, maxBytes, uploadKind } from './media-types.js';
import { isPickedId } from './picked-tree.js';
import type { MediaItem } from './schemas.js';
import { TooLargeWhileSpooling, withSpooledSize } from './size-spool.js';
import { albumObjs, FOLDER, mediaItemObjs } from './tree.js';
import type { ResumableUploader } from './upload.js';
import type { UploadSlots } from './upload-slots.js';

export interface WriteConnection {
  library: LibraryClient;
  albums: AlbumWrites;
  uploader: ResumableUploader;
  creator: MediaItemCreator;
  slots: UploadSlots;
}

export interface WriteHost {
  connect(): Promise<WriteConnection>;
  /** A folder's contents changed: cached listings of these folder ids are stale. */
  forget(folderIds: string[]): void;
  /** A media item the driver now knows (its baseUrl is fresh). */
  remember(item: MediaItem): void;
}

/** Where an id points, for writes. */
type Place =
  | { kind: 'all' } | { kind: 'albums' } | { kind: 'root' } | { kind: 'shared' } | { kind: 'picked' }
  | { kind: 'album'; albumId: string };

function placeOf(id: string): Place {
  if (id === FOLDER.all) return { kind: 'all' };
  if (id === FOLDER.albums) return { kind: 'albums' };
  if (id === FOLDER.root) return { kind: 'root' };
  if (id === FOLDER.sharedAlbums) return { kind: 'shared' };
  if (isPickedId(id)) return { kind: 'picked' };
  return { kind: 'album', albumId: id };
}

const IN_GOOGLE_PHOTOS = 'in Google Photos (photos.google.com or the app)';
const MAX_ALBUM_TITLE = 500;

function unsupported(message: string, hint: string): DriverError {
  return new DriverError('UNSUPPORTED', message, { hint });
}

function refusedUploadPlace(place: Place): DriverError {
  switch (place.kind) {
    case 'picked':
      return unsupported('Nothing can be uploaded into "Picked from Google Photos": it shows what you picked in Google Photos.', 'Upload into All media or into an album.');
    case 'shared':
      return unsupported('Nothing can be uploaded into "Shared albums": Google closed shared albums to apps on 2025-03-31.', 'Upload into All media or into an album.');
    default:
      return unsupported('Google Photos keeps files only in All media and in albums, not in this folder.', 'Upload into All media, or into an album (a new folder inside Albums becomes an album).');
  }
}

function isDirRef(ref: ObjRef): boolean {
  return typeof ref === 'object' && ref.isDir === true;
}

function nameOf(ref: ObjRef): string {
  return typeof ref === 'object' && ref.name ? ref.name : refId(ref);
}

/** put, makeDir, rename, remove, copy and move for Google Photos: what its API allows, and clear refusals for the rest. */
export class PhotoWrites {
  constructor(private readonly host: WriteHost) {}

  /** Streams the file to Google (resumable), then makes it a media item in All media and, for an album, in that album. */
  async put(dir: ObjRef, file: UploadFile, args: PutArgs = {}): Promise<Obj> {
    const dirId = refId(dir);
    const place = placeOf(dirId);
    if (place.kind !== 'all' && place.kind !== 'album') throw refusedUploadPlace(place);
    const albumId = place.kind === 'album' ? place.albumId : undefined;
    checkFileName(file.name);
    const { kind, mimeType } = uploadKind(file.name, file.mimeType);
    if (file.size !== undefined) checkFileSize(file.name, kind, file.size);
    const connection = await this.host.connect();
    const upload = async (size: number, stream: UploadFile['stream']) => {
      checkFileSize(file.name, kind, size);
      connection.creator.begin(albumId);
      let uploadToken: string;
      try {
        uploadToken = await connection.slots.run(
          () => connection.uploader.upload({ name: file.name, mimeType, size, stream }, { signal: args.signal, onProgress: args.onProgress }),
          args.signal,
        );
      } catch (error) {
        connection.creator.abandon(albumId);
        throw error;
      }
      return connection.creator.create(albumId, { uploadToken, fileName: file.name });
    };
    let item: MediaItem;
    try {
      item = file.size !== undefined ? await upload(file.size, file.stream) : await withSpooledSize(file.stream, maxBytes(kind), upload, args.signal);
    } catch (error) {
      if (error instanceof TooLargeWhileSpooling) checkFileSize(file.name, kind, error.limit + 1);
      throw error;
    } finally {
      this.host.forget([dirId, FOLDER.all, FOLDER.albums]);
    }
    this.host.remember(item);
    return mediaItemObjs([item])[0]!;
  }

  /** Inside Albums a new folder is a new album; Google Photos has no other folders. */
  async makeDir(parent: ObjRef, name: string): Promise<Obj> {
    if (placeOf(refId(parent)).kind !== 'albums') {
      throw unsupported(`Google Photos has no folders: "${name}" can only be made as an album, inside Albums.`, 'Create the folder inside Albums; it becomes a Google Photos album.');
    }
    checkAlbumTitle(name);
    const { albums } = await this.host.connect();
    const album = await albums.createAlbum(name);
    this.host.forget([FOLDER.albums]);
    return albumObjs([album])[0]!;
  }

  /** An album's title can change; a media item's file name cannot through Google's API. */
  async rename(obj: ObjRef, newName: string, parent: ObjRef): Promise<Obj> {
    const objPlace = placeOf(refId(obj));
    if (objPlace.kind !== 'album') throw unsupported(`"${nameOf(obj)}" is a built-in folder of this storage and cannot be renamed.`, 'Rename albums or keep the built-in folders as they are.');
    if (placeOf(refId(parent)).kind === 'albums') {
      checkAlbumTitle(newName);
      const { albums } = await this.host.connect();
      const album = await albums.renameAlbum(objPlace.albumId, newName);
      this.host.forget([FOLDER.albums, objPlace.albumId]);
      return albumObjs([album])[0]!;
    }
    throw unsupported(`Google Photos' API cannot rename media items: "${nameOf(obj)}" keeps the file name it was uploaded with.`,
      `Rename it ${IN_GOOGLE_PHOTOS}, or upload it again under the new name.`);
  }

  /** Inside an album: takes the item out of that album. Google's API deletes neither media items nor albums. */
  async remove(obj: ObjRef, parent: ObjRef): Promise<void> {
    const parentPlace = placeOf(refId(parent));
    const name = nameOf(obj);
    if (parentPlace.kind === 'album' && !isDirRef(obj)) {
      const { albums } = await this.host.connect();
      await albums.removeItems(parentPlace.albumId, [refId(obj)]);
      this.host.forget([parentPlace.albumId, FOLDER.albums]);
      return;
    }
    if (parentPlace.kind === 'all') {
      throw unsupported(`Google Photos' API cannot delete media items: "${name}" stays in your library.`,
        `Delete it ${IN_GOOGLE_PHOTOS}. To take it out of an album only, remove it inside that album's folder.`);
    }
    if (parentPlace.kind === 'albums') {
      throw unsupported(`Google Photos' API cannot delete albums: "${name}" stays.`, `Delete the album ${IN_GOOGLE_PHOTOS}; its photos stay in your library.`);
    }
    if (parentPlace.kind === 'picked') {
      throw unsupported(`"${name}" was picked in Google Photos; picked items cannot be deleted through this storage.`,
        'Picked items go away when their picking session ends; delete the photo itself in Google Photos.');
    }
    throw unsupported(`"${name}" is a built-in folder of this storage and cannot be removed.`, 'Remove items inside albums instead.');
  }

  /** An item already in the library goes into an album without moving bytes; other copies are left to the host. */
  async copy(obj: ObjRef, srcDir: ObjRef, dstDir: ObjRef): Promise<Obj> {
    const { albumId, itemId } = this.itemIntoAlbum(obj, srcDir, dstDir, 'copy');
    const { albums, library } = await this.host.connect();
    await albums.addItems(albumId, [itemId]);
    this.host.forget([albumId, FOLDER.albums]);
    return this.itemObj(obj, library);
  }

  /** Album to album: added to the target, then taken out of the source. */
  async move(obj: ObjRef, srcDir: ObjRef, dstDir: ObjRef): Promise<Obj> {
    const srcPlace = placeOf(refId(srcDir));
    if (srcPlace.kind !== 'album') {
      throw unsupported('Google Photos can move items only from one album to another: its API cannot delete the source.', 'Copy the item instead, then delete the original in Google Photos.');
    }
    const { albumId, itemId } = this.itemIntoAlbum(obj, srcDir, dstDir, 'move');
    const { albums, library } = await this.host.connect();
    if (albumId !== srcPlace.albumId) {
      await albums.addItems(albumId, [itemId]);
      await albums.removeItems(srcPlace.albumId, [itemId]);
    }
    this.host.forget([albumId, srcPlace.albumId, FOLDER.albums]);
    return this.itemObj(obj, library);
  }

  private itemIntoAlbum(obj: ObjRef, srcDir: ObjRef, dstDir: ObjRef, what: 'copy' | 'move'): { albumId: string; itemId: string } {
    const dst = placeOf(refId(dstDir));
    const src = placeOf(refId(srcDir));
    const itemId = refId(obj);
    if (dst.kind !== 'album' || (src.kind !== 'all' && src.kind !== 'album') || isDirRef(obj) || isPickedId(itemId)) {
      throw unsupported(`Google Photos can ${what} without moving bytes only a media item of All media or an album into an album.`,
        'The server copies the bytes instead (an upload).');
    }
    return { albumId: dst.albumId, itemId };
  }

  private async itemObj(obj: ObjRef, library: LibraryClient): Promise<Obj> {
    if (typeof obj === 'object' && obj.name && obj.modified) return { ...obj, isDir: false } as Obj;
    const item = await library.getMediaItem(refId(obj));
    this.host.remember(item);
    return mediaItemObjs([item])[0]!;
  }
}

function checkAlbumTitle(title: string): void {
  if (title.trim() === '') throw new DriverError('INVALID_ARGUMENT', 'An album needs a name.', { hint: 'Give the album a name.' });
  if ([...title].length > MAX_ALBUM_TITLE) {
    throw new DriverError('INVALID_ARGUMENT', `An album name has at most ${MAX_ALBUM_TITLE} characters in Google Photos.`, { hint: 'Shorten the name.' });
  }
}
