import type { Driver, PutArgs, UploadFile } from '../../types/driver.js';
import { DriverError, isDriverError } from '../../types/errors.js';
import type { Obj } from '../../types/obj.js';
import { ApiError } from '../routes/api-error.js';
import type { LiveStorage } from '../storages/storage-manager.js';
import type { FsService } from './fs-service.js';
import { joinSegments, pathSegments } from './paths.js';

/** A folder of a storage, found by its path in the tree. */
export interface StorageFolder {
  live: LiveStorage;
  driver: Driver;
  dir: Obj;
  path: string;
}

/** An object of a storage with the folder it was listed in. */
export interface StorageEntry {
  live: LiveStorage;
  driver: Driver;
  obj: Obj;
  parent: Obj;
  path: string;
}

/** A place a new file may go: its folder and its name. */
export interface UploadPlace extends StorageFolder {
  name: string;
  /** What already has that name, if anything. */
  existing?: Obj;
}

export function childPath(parent: string, name: string): string {
  return parent === '/' ? `/${name}` : `${parent}/${name}`;
}

function parentAndName(path: string): { parent: string; name: string } {
  const segments = pathSegments(path);
  if (segments.length === 0) throw new ApiError(400, 'The path must name a file or folder, not "/"');
  return { parent: joinSegments(segments.slice(0, -1)), name: segments[segments.length - 1]! };
}

/** AList's answer when a storage takes no files (code 405). */
export function cannotUpload(live: LiveStorage): ApiError {
  return new ApiError(405, `Current storage doesn't support upload: ${live.row.mount_path} (${live.row.driver}) cannot store files`, {
    errorCode: 'UNSUPPORTED', hint: 'Choose a folder of a storage that accepts files.',
  });
}

/**
 * The write side of the tree: uploads, folders, renames, removals and same-storage copies and moves, each
 * through the driver of the storage the path falls in. Every change drops the cached listings it makes stale.
 */
export class FsWrites {
  constructor(
    private readonly fs: FsService,
    /** Tells the other host processes sharing the data folder (see CacheAnnouncements); nothing by default. */
    private readonly announce: (storageId: number, objId?: string) => void = () => undefined,
  ) {}

  /** The folder at `path`, which must lie inside a storage. */
  async folder(path: string): Promise<StorageFolder> {
    const resolved = this.fs.resolve(path);
    if (resolved.kind !== 'storage') {
      throw new ApiError(400, `${resolved.path} is not inside a storage; choose a folder of a storage`, { errorCode: 'NOT_IN_STORAGE' });
    }
    const driver = await this.fs.working(resolved.live);
    const dir = await this.fs.walk(resolved.live, resolved.rest, resolved.path);
    if (!dir.isDir) throw new DriverError('INVALID_ARGUMENT', `${resolved.path} is a file, not a folder`);
    return { live: resolved.live, driver, dir, path: resolved.path };
  }

  /** The object at `path`, below a storage's root (a mount point itself is refused: it is changed in the storage settings). */
  async entry(path: string): Promise<StorageEntry> {
    const { parent, name } = parentAndName(path);
    const resolved = this.fs.resolve(path);
    if (resolved.kind !== 'storage') throw new ApiError(400, `${resolved.path} is not inside a storage`, { errorCode: 'NOT_IN_STORAGE' });
    if (resolved.rest.length === 0) {
      throw new ApiError(400, `${resolved.path} is a storage's mount point; change or remove it in the storage settings`, { errorCode: 'MOUNT_POINT' });
    }
    const folder = await this.folder(parent);
    const obj = (await this.fs.listDir(folder.live, folder.dir)).find((candidate) => candidate.name === name);
    if (!obj) throw new DriverError('NOT_FOUND', `Object not found: ${resolved.path}`, { hint: 'Check the path; list its folder to see what is there.' });
    return { live: folder.live, driver: folder.driver, obj, parent: folder.dir, path: resolved.path };
  }

  /**
   * Where a file uploaded to `filePath` goes; 405 when the storage takes no files, 400 when a folder has that name.
   * `overwrite`: whether an existing file may be replaced (then a folder that cannot be listed is left to the
   * driver's put, which may refuse the folder itself, e.g. Google Photos' Shared albums).
   */
  async uploadPlace(filePath: string, overwrite = true): Promise<UploadPlace> {
    const { parent, name } = parentAndName(filePath);
    const resolved = this.fs.resolve(filePath);
    if (resolved.kind !== 'storage' || resolved.rest.length === 0) {
      throw new ApiError(400, `${resolved.path} is not inside a storage; upload into a folder of a storage`, { errorCode: 'NOT_IN_STORAGE' });
    }
    const folder = await this.folder(parent);
    this.assertCanUpload(folder);
    // The cached listing: every write through this server drops it, and a fresh listing per upload would be costly
    // (a Google Photos album or the library is listed page by page).
    const existing = (await this.fs.listDir(folder.live, folder.dir).catch((err: unknown) => {
      if (overwrite) return [];
      throw err;
    })).find((obj) => obj.name === name);
    if (existing?.isDir) throw new DriverError('INVALID_ARGUMENT', `${resolved.path} is a folder; a file cannot replace it`);
    return { ...folder, name, ...(existing ? { existing } : {}) };
  }

  assertCanUpload(folder: StorageFolder): void {
    if (!folder.driver.put || folder.driver.meta.noUpload) throw cannotUpload(folder.live);
  }

  /** `replaced`: the object of that name the file replaces, if any (its cached link and size go). */
  async put(folder: StorageFolder, file: UploadFile, args: PutArgs = {}, replaced?: Obj): Promise<Obj> {
    this.assertCanUpload(folder);
    try {
      const made = await folder.driver.put!(folder.dir, file, args);
      // Every byte went through here (a driver fails a stream shorter or longer than its size): no HEAD needed.
      if (made.size === undefined && file.size !== undefined) this.fs.rememberSize({ live: folder.live, obj: made }, file.size);
      return made;
    } finally {
      this.changed(folder.live, replaced?.id);
    }
  }

  /** AList's mkdir: every missing folder on the way is made; an existing folder is fine. */
  async mkdir(path: string): Promise<void> {
    const resolved = this.fs.resolve(path);
    if (resolved.kind === 'virtual') return; // a folder leading to mount points already exists
    const driver = await this.fs.working(resolved.live);
    let current = driver.getRoot();
    for (const name of resolved.rest) {
      const found = (await this.fs.listDir(resolved.live, current, true)).find((obj) => obj.name === name);
      if (found && !found.isDir) throw new DriverError('INVALID_ARGUMENT', `${name} is a file, not a folder`);
      if (found) {
        current = found;
        continue;
      }
      if (!driver.makeDir) throw new ApiError(405, `${resolved.live.row.mount_path} (${resolved.live.row.driver}) cannot make folders`, { errorCode: 'UNSUPPORTED' });
      const parent = current;
      try {
        current = await driver.makeDir(parent, name);
      } finally {
        this.changed(resolved.live);
      }
    }
  }

  async rename(path: string, newName: string): Promise<void> {
    const entry = await this.entry(path);
    if (!entry.driver.rename) throw new ApiError(405, `${entry.live.row.mount_path} (${entry.live.row.driver}) cannot rename`, { errorCode: 'UNSUPPORTED' });
    const taken = (await this.fs.listDir(entry.live, entry.parent, true)).some((obj) => obj.name === newName && obj.id !== entry.obj.id);
    if (taken) throw new ApiError(403, `${newName} already exists in this folder`, { errorCode: 'EXISTS' });
    try {
      await entry.driver.rename(entry.obj, newName, entry.parent);
    } finally {
      this.changed(entry.live, entry.obj.id);
    }
  }

  async remove(entry: StorageEntry): Promise<void> {
    if (!entry.driver.remove) throw new ApiError(405, `${entry.live.row.mount_path} (${entry.live.row.driver}) cannot remove`, { errorCode: 'UNSUPPORTED' });
    try {
      await entry.driver.remove(entry.obj, entry.parent);
    } finally {
      this.changed(entry.live, entry.obj.id);
    }
  }

  /**
   * The driver's own copy or move within one storage; false when the driver has none, or its copy answers
   * UNSUPPORTED for this pair (e.g. Google Photos copying a picked item into an album): the bytes must be streamed.
   * A move the driver refuses stays refused: streaming it could not remove the source either.
   */
  async sameStorage(operation: 'copy' | 'move', entry: StorageEntry, target: StorageFolder): Promise<boolean> {
    const run = entry.driver[operation];
    if (!run) return false;
    try {
      await run.call(entry.driver, entry.obj, entry.parent, target.dir);
    } catch (error) {
      if (operation === 'copy' && isDriverError(error, 'UNSUPPORTED')) return false;
      throw error;
    } finally {
      this.changed(target.live, entry.obj.id);
      if (operation === 'move') this.changed(entry.live, entry.obj.id);
    }
    return true;
  }

  /**
   * A storage's content changed (`objId`: the object that changed or went, if known). Every cached listing of the
   * storage goes, not only the changed folder's: a driver may show one object in several folders (a Google Photos upload into an
   * album is in All media too, and Albums shows the album's count), which only the driver knows. Listing afresh
   * once after a write costs little next to the write itself. The other host processes forget the same.
   */
  changed(live: LiveStorage, objId?: string): void {
    this.fs.forgetListings(live.row.id);
    if (objId !== undefined) this.fs.forgetObject(live.row.id, objId);
    this.announce(live.row.id, objId);
  }
}
