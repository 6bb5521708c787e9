import { createHash } from 'node:crypto';
import mime from 'mime-types';
import { isDriverError } from '../../types/errors.js';
import type { Obj } from '../../types/obj.js';
import { childPath } from '../fs/fs-writes.js';
import type { HostContext } from '../host-context.js';
import { FOLDER_SIZE_BOUND_MS, learnFolderSizes } from '../sizes/folder-sizes.js';
import type { LiveStorage } from '../storages/storage-manager.js';

/** A file or folder of the tree as WebDAV shows it. */
export interface DavResource {
  path: string;
  name: string;
  isDir: boolean;
  /** Bytes, when known (never a made-up 0). */
  size?: number;
  modified: Date;
  created: Date;
  /** The storage the resource lies in, with the driver's object (absent for folders leading to mount points). */
  live?: LiveStorage;
  obj?: Obj;
}

const EPOCH = new Date(0);

function validDate(date: Date | undefined): Date {
  return date && !Number.isNaN(date.getTime()) ? date : EPOCH;
}

export function contentTypeOf(resource: DavResource): string {
  return resource.obj?.mimeType || mime.lookup(resource.name) || 'application/octet-stream';
}

/** Changes whenever the object, its time or its size does (Google's items keep their time: the id tells them apart). */
export function etagOf(resource: DavResource): string {
  const identity = `${resource.live?.row.id ?? 0}:${resource.obj?.id ?? resource.path}:${resource.modified.getTime()}:${resource.size ?? ''}`;
  return `"${createHash('sha256').update(identity).digest('hex').slice(0, 20)}"`;
}

function folder(path: string, name: string, modified: Date, live?: LiveStorage): DavResource {
  return { path, name, isDir: true, modified, created: modified, ...(live ? { live } : {}) };
}

/** Resources of the host's tree (mount points, virtual folders, the drivers' objects) through the fs service and its caches. */
export class DavTree {
  constructor(private readonly ctx: HostContext) {}

  private fromObj(live: LiveStorage, obj: Obj, path: string, size: number | undefined): DavResource {
    const modified = validDate(obj.modified);
    const known = obj.isDir ? undefined : size;
    return {
      path, name: obj.name, isDir: obj.isDir, modified, created: validDate(obj.created ?? obj.modified), live, obj, ...(known === undefined ? {} : { size: known }),
    };
  }

  private mountFolder(path: string, name: string): DavResource {
    const live = this.ctx.storages.all().find((candidate) => !candidate.row.disabled && candidate.row.mount_path === path);
    return folder(path, name, live ? validDate(new Date(live.row.modified)) : EPOCH);
  }

  /**
   * The resource at `path`, or undefined when nothing is there. `learnSize`: a file's unknown size is learnt first
   * (one HEAD, within the folder bound), as a client that asks for it would otherwise see none.
   */
  async find(path: string, learnSize = false): Promise<DavResource | undefined> {
    try {
      const resolved = this.ctx.fs.resolve(path);
      const name = path.split('/').pop() ?? '';
      if (resolved.kind === 'virtual') return this.mountFolder(resolved.path, name);
      const { live } = resolved;
      if (resolved.rest.length === 0 && live.state !== 'work') return folder(resolved.path, name, validDate(new Date(live.row.modified)), live);
      const obj = await this.ctx.fs.walk(live, resolved.rest, resolved.path);
      if (resolved.rest.length === 0) return folder(resolved.path, name, validDate(new Date(live.row.modified)), live);
      const sizes = obj.isDir ? new Map<string, number>()
        : learnSize ? await this.ctx.sizes.learn(live, [obj], { timeoutMs: FOLDER_SIZE_BOUND_MS }) : await this.ctx.sizes.known(live, [obj]);
      return this.fromObj(live, obj, resolved.path, sizes.get(obj.id));
    } catch (err) {
      if (isDriverError(err, 'NOT_FOUND')) return undefined;
      throw err;
    }
  }

  /** The members of a folder, with the sizes of its files learnt first (see FOLDER_SIZE_BOUND_MS). */
  async members(dir: DavResource): Promise<DavResource[]> {
    const resolved = this.ctx.fs.resolve(dir.path);
    if (resolved.kind === 'virtual') return resolved.children.sort().map((name) => this.mountFolder(childPath(resolved.path, name), name));
    const { live } = resolved;
    const { objs, sizes } = await learnFolderSizes(this.ctx.fs, this.ctx.sizes, resolved.path);
    const members = objs.map((obj) => this.fromObj(live, obj, childPath(resolved.path, obj.name), sizes.get(obj.id)));
    const names = new Set(objs.map((obj) => obj.name));
    for (const name of resolved.virtualChildren.sort()) if (!names.has(name)) members.push(this.mountFolder(childPath(resolved.path, name), name));
    return members;
  }
}
