import { createServer, type Server } from 'node:http';
import { z } from 'zod';
import { configItemsFromSchema } from '../../../src/types/config-items.js';
import type { Driver, DriverFactory, DriverMeta, PutArgs, UploadFile } from '../../../src/types/driver.js';
import { DriverError } from '../../../src/types/errors.js';
import { refId, type Link, type Obj, type ObjRef } from '../../../src/types/obj.js';
import { closeServer, listenLoopback } from './loopback-server.js';

/**
 * A store of folders and files in memory, served over HTTP for links (as a cloud storage serves its bytes), with
 * a count of every put. Tests reach it by name; the MemoryFiles driver below is its storage driver.
 */
export class MemoryStore {
  readonly folders = new Map<string, { name: string; parent: string }>([['root', { name: '', parent: '' }]]);
  readonly files = new Map<string, { name: string; parent: string; bytes: Buffer; mimeType?: string }>();
  /** Names of every file a put stored, in order. */
  readonly puts: string[] = [];
  /** Names of every file the store copied by itself. */
  readonly copies: string[] = [];
  /** Each chunk a put reads waits this long (to keep a put running while a test acts). */
  putDelayMs = 0;
  private server?: Server;
  url = '';
  private nextId = 1;

  async start(): Promise<this> {
    this.server = createServer((request, response) => {
      const file = this.files.get(decodeURIComponent((request.url ?? '').replace(/^\/files\//, '')));
      if (!file) return void response.writeHead(404).end('no such file');
      response.writeHead(200, { 'content-length': file.bytes.length, 'content-type': 'application/octet-stream' }).end(file.bytes);
    });
    this.url = await listenLoopback(this.server);
    return this;
  }

  async close(): Promise<void> {
    await closeServer(this.server);
  }

  newId(): string {
    return `m${this.nextId++}`;
  }

  /** The file at a `/`-separated path below the root, if any. */
  fileAt(path: string): Buffer | undefined {
    const parts = path.split('/').filter(Boolean);
    let parent = 'root';
    for (const part of parts.slice(0, -1)) {
      const found = [...this.folders.entries()].find(([, folder]) => folder.parent === parent && folder.name === part);
      if (!found) return undefined;
      parent = found[0];
    }
    return [...this.files.values()].find((file) => file.parent === parent && file.name === parts[parts.length - 1])?.bytes;
  }
}

const stores = new Map<string, MemoryStore>();

export function memoryStore(name: string): MemoryStore {
  const store = stores.get(name);
  if (!store) throw new Error(`no memory store ${name}`);
  return store;
}

export async function startMemoryStore(name: string): Promise<MemoryStore> {
  const store = await new MemoryStore().start();
  stores.set(name, store);
  return store;
}

const schema = z.object({
  store: z.string().min(1).meta({ description: 'Name of the memory store' }),
  native_copy: z.boolean().default(false).meta({ description: 'Offer copy and move within the store (no bytes through the host)' }),
});

export const memoryFilesMeta: DriverMeta = {
  name: 'MemoryFiles', displayName: 'Memory files', localSort: true, onlyProxy: false, noUpload: false, defaultRoot: 'root',
  configItems: configItemsFromSchema(schema),
};

class MemoryFilesDriver implements Driver {
  readonly meta = memoryFilesMeta;
  private store?: MemoryStore;

  constructor(private readonly raw: Record<string, unknown>) {}

  copy?: (obj: ObjRef, srcDir: ObjRef, dstDir: ObjRef) => Promise<Obj>;

  async init(): Promise<void> {
    const config = schema.parse(this.raw);
    this.store = memoryStore(config.store);
    if (config.native_copy) this.copy = async (obj, _srcDir, dstDir) => this.copyWithin(obj, dstDir);
  }

  /** A copy the store makes itself: counted in `copies`, never in `puts`. */
  private async copyWithin(obj: ObjRef, dstDir: ObjRef): Promise<Obj> {
    const source = this.store!.files.get(refId(obj));
    if (!source) throw new DriverError('NOT_FOUND', 'No such file');
    const id = this.store!.newId();
    this.store!.files.set(id, { ...source, parent: this.folder(dstDir) });
    this.store!.copies.push(source.name);
    return { id, name: source.name, isDir: false, size: source.bytes.length, modified: new Date(0) };
  }

  async drop(): Promise<void> {}

  getRoot(): Obj {
    return { id: 'root', name: '', isDir: true, modified: new Date(0) };
  }

  private folder(ref: ObjRef): string {
    const id = refId(ref);
    if (!this.store!.folders.has(id)) throw new DriverError('NOT_FOUND', `No folder ${id}`);
    return id;
  }

  async list(dir: ObjRef): Promise<Obj[]> {
    const parent = this.folder(dir);
    const folders = [...this.store!.folders.entries()].filter(([, folder]) => folder.parent === parent)
      .map(([id, folder]): Obj => ({ id, name: folder.name, isDir: true, modified: new Date(0) }));
    const files = [...this.store!.files.entries()].filter(([, file]) => file.parent === parent)
      .map(([id, file]): Obj => ({ id, name: file.name, isDir: false, size: file.bytes.length, modified: new Date(0), ...(file.mimeType ? { mimeType: file.mimeType } : {}) }));
    return [...folders, ...files];
  }

  async link(file: ObjRef): Promise<Link> {
    if (!this.store!.files.has(refId(file))) throw new DriverError('NOT_FOUND', 'No such file');
    return { url: `${this.store!.url}/files/${encodeURIComponent(refId(file))}` };
  }

  async makeDir(parent: ObjRef, name: string): Promise<Obj> {
    const id = this.store!.newId();
    this.store!.folders.set(id, { name, parent: this.folder(parent) });
    return { id, name, isDir: true, modified: new Date(0) };
  }

  /** Stores the file only once all of it arrived; a stream that fails stores nothing. */
  async put(dir: ObjRef, file: UploadFile, args: PutArgs = {}): Promise<Obj> {
    const parent = this.folder(dir);
    const chunks: Buffer[] = [];
    let total = 0;
    for await (const chunk of file.stream) {
      args.signal?.throwIfAborted();
      if (this.store!.putDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.store!.putDelayMs));
      args.signal?.throwIfAborted();
      chunks.push(chunk as Buffer);
      total += (chunk as Buffer).length;
      args.onProgress?.(total);
    }
    args.signal?.throwIfAborted();
    const existing = [...this.store!.files.entries()].find(([, other]) => other.parent === parent && other.name === file.name);
    if (existing && args.overwrite === false) throw new DriverError('INVALID_ARGUMENT', `${file.name} exists`);
    if (existing) this.store!.files.delete(existing[0]);
    const id = this.store!.newId();
    this.store!.files.set(id, { name: file.name, parent, bytes: Buffer.concat(chunks), ...(file.mimeType ? { mimeType: file.mimeType } : {}) });
    this.store!.puts.push(file.name);
    return { id, name: file.name, isDir: false, size: total, modified: new Date(0) };
  }

  async rename(obj: ObjRef, newName: string): Promise<Obj> {
    const id = refId(obj);
    const entry = this.store!.files.get(id) ?? this.store!.folders.get(id);
    if (!entry) throw new DriverError('NOT_FOUND', 'No such object');
    entry.name = newName;
    return { id, name: newName, isDir: this.store!.folders.has(id), modified: new Date(0) };
  }

  async remove(obj: ObjRef): Promise<void> {
    const id = refId(obj);
    if (!this.store!.files.delete(id) && !this.store!.folders.delete(id)) throw new DriverError('NOT_FOUND', 'No such object');
  }
}

export const memoryFilesDriver: DriverFactory = {
  meta: memoryFilesMeta,
  create: (config) => new MemoryFilesDriver(config),
};
