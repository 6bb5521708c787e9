import type { Stats } from 'node:fs';
import { lstat, mkdir, readdir, realpath, rename, rm, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import mime from 'mime-types';
import type { Driver, DriverFactory, DriverHostOptions, ListArgs, PutArgs, UploadFile } from '../../types/driver.js';
import { DriverError } from '../../types/errors.js';
import { refId, type Link, type Obj, type ObjRef } from '../../types/obj.js';
import { writeFileAtomically } from './atomic-file.js';
import { localMeta, parseLocalConfig, type LocalConfig } from './config.js';
import { translateFsError } from './fs-errors.js';
import { hasControlCharacters, isPartialFileName } from './names.js';
import { RootedPaths } from './rooted-paths.js';

/** Serves a folder of the server's disk. Ids are paths relative to `root_folder_path`: `/`, `/a/b.jpg`. */
export class LocalDriver implements Driver {
  readonly meta = localMeta;
  private readonly rawConfig: unknown;
  private config?: LocalConfig;
  private paths?: RootedPaths;
  private rootModified = new Date(0);
  private ready?: Promise<void>;

  /** Never throws; init() validates the settings and the folder. */
  constructor(config: unknown, _options?: DriverHostOptions) {
    this.rawConfig = config;
  }

  init(): Promise<void> {
    this.ready ??= this.open().catch((err: unknown) => {
      this.ready = undefined;
      throw err;
    });
    return this.ready;
  }

  async drop(): Promise<void> {
    this.ready = undefined;
    this.paths = undefined;
  }

  getRoot(): Obj {
    return { id: '/', name: '', isDir: true, modified: this.rootModified };
  }

  async list(dir: ObjRef, _args?: ListArgs): Promise<Obj[]> {
    const paths = await this.rooted();
    const folder = await this.visible(paths, refId(dir));
    let entries;
    try {
      entries = await readdir(folder.real, { withFileTypes: true });
    } catch (err) {
      throw translateFsError(err, folder.id);
    }
    const visible = entries.filter((entry) => this.isListed(entry.name));
    const objs = await Promise.all(visible.map((entry) => this.describeEntry(paths, folder.id, path.join(folder.real, entry.name), entry.name)));
    return objs.filter((obj): obj is Obj => obj !== undefined);
  }

  async link(file: ObjRef): Promise<Link> {
    const paths = await this.rooted();
    const target = await this.visible(paths, refId(file));
    const info = await this.statOf(target.real, target.id);
    if (info.isDirectory()) throw new DriverError('INVALID_ARGUMENT', `${target.id} is a folder, not a file`);
    const link: Link = { url: pathToFileURL(target.real).href, size: info.size };
    const mimeType = mime.lookup(target.real);
    if (mimeType) link.mimeType = mimeType;
    return link;
  }

  async get(objPath: string): Promise<Obj> {
    const paths = await this.rooted();
    const target = await this.visible(paths, objPath);
    const info = await this.statOf(target.real, target.id);
    return toObj(target.id, path.basename(target.id), info);
  }

  async makeDir(parent: ObjRef, name: string): Promise<Obj> {
    const paths = await this.rooted();
    const entry = await paths.entry(refId(parent), refuseReserved(name));
    try {
      await mkdir(entry.real);
    } catch (err) {
      const existing = await lstat(entry.real).catch(() => undefined);
      if (!(existing?.isDirectory() && (err as NodeJS.ErrnoException).code === 'EEXIST')) throw translateFsError(err, entry.id);
    }
    return toObj(entry.id, name, await this.statOf(entry.real, entry.id));
  }

  /**
   * Atomic: the file appears complete at its name or not at all. An existing file of that name is replaced
   * unless `overwrite` is false (then the put fails and the existing file stays).
   */
  async put(dir: ObjRef, file: UploadFile, args: PutArgs = {}): Promise<Obj> {
    const paths = await this.rooted();
    let entry;
    const refuseExisting = async (real: string, id: string) => {
      const existing = await lstat(real).catch(() => undefined);
      if (existing?.isDirectory()) throw new DriverError('INVALID_ARGUMENT', `${id} is a folder`);
      if (existing && args.overwrite === false) throw new DriverError('INVALID_ARGUMENT', `${id} already exists`, { hint: 'Allow overwriting to replace it.' });
    };
    try {
      entry = await paths.entry(refId(dir), refuseReserved(file.name));
      await refuseExisting(entry.real, entry.id);
    } catch (err) {
      file.stream.destroy();
      throw err;
    }
    const modified = file.modified && !Number.isNaN(file.modified.getTime()) ? file.modified : undefined;
    let written = 0;
    const onBytes = args.onProgress && ((bytes: number) => args.onProgress!((written += bytes)));
    try {
      await writeFileAtomically(entry.real, file.stream, { mtime: modified, signal: args.signal, ...(onBytes ? { onBytes } : {}) });
    } catch (err) {
      throw translateFsError(err, entry.id);
    }
    return toObj(entry.id, file.name, await this.statOf(entry.real, entry.id));
  }

  /** Renames within the folder; fails when the new name is taken. */
  async rename(obj: ObjRef, newName: string): Promise<Obj> {
    const paths = await this.rooted();
    const source = await this.entryOf(paths, refId(obj));
    const parts = paths.segments(source.id);
    const target = await paths.entry(paths.idOf(parts.slice(0, -1)), refuseReserved(newName));
    return this.moveEntry(source, target, newName);
  }

  /** Moves into another folder of this storage (a rename on disk, no bytes copied); fails when the name is taken there. */
  async move(obj: ObjRef, _srcDir: ObjRef, dstDir: ObjRef): Promise<Obj> {
    const paths = await this.rooted();
    const source = await this.entryOf(paths, refId(obj));
    const name = path.basename(source.real);
    const target = await paths.entry(refId(dstDir), name);
    if (paths.isInside(target.parent.real) && (target.parent.real + path.sep).startsWith(source.real + path.sep)) {
      throw new DriverError('INVALID_ARGUMENT', `Cannot move ${source.id} into itself`);
    }
    return this.moveEntry(source, target, name);
  }

  private async entryOf(paths: RootedPaths, id: string) {
    const parts = paths.segments(id);
    if (parts.length === 0) throw new DriverError('INVALID_ARGUMENT', 'The storage root cannot be renamed or moved');
    return paths.entry(paths.idOf(parts.slice(0, -1)), parts[parts.length - 1]!);
  }

  private async moveEntry(source: { id: string; real: string }, target: { id: string; real: string }, name: string): Promise<Obj> {
    try {
      await lstat(source.real);
    } catch (err) {
      throw translateFsError(err, source.id);
    }
    if (await lstat(target.real).then(() => true, () => false)) {
      throw new DriverError('INVALID_ARGUMENT', `${target.id} already exists`, { hint: 'Choose another name, or remove the existing one first.' });
    }
    try {
      await rename(source.real, target.real);
    } catch (err) {
      throw translateFsError(err, source.id);
    }
    return toObj(target.id, name, await this.statOf(target.real, target.id));
  }

  /** Removes a file, a symlink (not what it points to) or a folder with everything in it. */
  async remove(obj: ObjRef): Promise<void> {
    const paths = await this.rooted();
    const parts = paths.segments(refId(obj));
    if (parts.length === 0) throw new DriverError('INVALID_ARGUMENT', 'The storage root cannot be removed');
    const name = parts[parts.length - 1]!;
    const entry = await paths.entry(paths.idOf(parts.slice(0, -1)), name);
    try {
      const info = await lstat(entry.real);
      if (info.isDirectory()) await rm(entry.real, { recursive: true });
      else await unlink(entry.real);
    } catch (err) {
      throw translateFsError(err, entry.id);
    }
  }

  private async open(): Promise<void> {
    const config = parseLocalConfig(this.rawConfig);
    const where = `root_folder_path "${config.root_folder_path}"`;
    let root: string;
    let info: Stats;
    try {
      root = await realpath(config.root_folder_path);
      info = await stat(root);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      const problem = code === 'ENOENT' || code === 'ENOTDIR' ? 'does not exist' : code === 'EACCES' ? 'is not readable by the server' : `cannot be opened (${code})`;
      throw new DriverError('INVALID_CONFIG', `Local storage setting ${where} ${problem}`, {
        hint: 'Create the folder first, or point root_folder_path at an existing folder.',
        cause: err,
      });
    }
    if (!info.isDirectory()) {
      throw new DriverError('INVALID_CONFIG', `Local storage setting ${where} is a file, not a folder`, {
        hint: 'Point root_folder_path at a folder.',
      });
    }
    this.config = config;
    this.paths = new RootedPaths(root);
    this.rootModified = info.mtime;
  }

  private async rooted(): Promise<RootedPaths> {
    await this.init();
    return this.paths!;
  }

  /** What list() hides (temp files, and dotfiles unless show_hidden) is not found by path either. */
  private async visible(paths: RootedPaths, id: string) {
    const hidden = paths.segments(id).find((segment) => !this.isListed(segment));
    if (hidden !== undefined) throw new DriverError('NOT_FOUND', `${paths.idOf(paths.segments(id))}: no such file or folder`);
    return paths.existing(id);
  }

  private isListed(name: string): boolean {
    if (isPartialFileName(name) || hasControlCharacters(name)) return false;
    return this.config!.show_hidden || !name.startsWith('.');
  }

  /** undefined for entries that vanished meanwhile or are symlinks leading out of the root. */
  private async describeEntry(paths: RootedPaths, parentId: string, absolute: string, name: string): Promise<Obj | undefined> {
    try {
      const real = await realpath(absolute);
      if (!paths.isInside(real)) return undefined;
      const info = await stat(real);
      return toObj(parentId === '/' ? `/${name}` : `${parentId}/${name}`, name, info);
    } catch {
      return undefined;
    }
  }

  private async statOf(real: string, id: string): Promise<Stats> {
    try {
      return await stat(real);
    } catch (err) {
      throw translateFsError(err, id);
    }
  }
}

function refuseReserved(name: string): string {
  if (typeof name === 'string' && isPartialFileName(name)) {
    throw new DriverError('INVALID_ARGUMENT', `Cannot use "${name}" as a name: names like .keep-* and *.partial are reserved for files being written`);
  }
  return name;
}

function toObj(id: string, name: string, info: Stats): Obj {
  const isDir = info.isDirectory();
  const obj: Obj = { id, name, isDir, modified: info.mtime };
  // A birth time after the mtime means the file was copied with its original time kept (as the keeper does):
  // then the birth time is the copy's, not the content's, and would pass for a capture time.
  if (info.birthtimeMs > 0 && info.birthtimeMs <= info.mtimeMs) obj.created = info.birthtime;
  if (!isDir) {
    obj.size = info.size;
    const mimeType = mime.lookup(name);
    if (mimeType) obj.mimeType = mimeType;
  }
  return obj;
}

export const localDriver: DriverFactory = {
  meta: localMeta,
  create: (config, options) => new LocalDriver(config, options),
};
