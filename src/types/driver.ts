import type { Readable } from 'node:stream';
import type { ConfigItem } from './config-items.js';
import type { Link, Obj, ObjRef } from './obj.js';

export interface ListArgs {
  /** Skip any cache the driver keeps. */
  refresh?: boolean;
  signal?: AbortSignal;
}

/** One step of a paged listing (`Driver.listPages`). */
export interface ListPage {
  objs: Obj[];
  /** Nothing follows: the listing is complete. */
  done: boolean;
}

export interface LinkArgs {
  /** `thumbnail` asks for a small preview instead of the full bytes. */
  type?: 'original' | 'thumbnail';
  signal?: AbortSignal;
}

export interface UploadFile {
  name: string;
  size?: number;
  mimeType?: string;
  modified?: Date;
  stream: Readable;
}

export interface PutArgs {
  signal?: AbortSignal;
  /** Called as bytes are accepted by the storage, with the total so far. */
  onProgress?: (sentBytes: number) => void;
  /** Replace a file of the same name instead of failing (for drivers that can). */
  overwrite?: boolean;
}

export interface DriverMeta {
  /** Registry name, e.g. "GooglePhoto" (AList's name for the Google Photos driver). */
  name: string;
  displayName: string;
  /** Listings come unsorted; the host sorts them. */
  localSort: boolean;
  /** Links must be fetched by the server; never redirect a browser to them. */
  onlyProxy: boolean;
  noUpload: boolean;
  /** Root id used when `root_folder_id` is empty. */
  defaultRoot: string;
  /** What an admin form renders for this driver's settings. */
  configItems: ConfigItem[];
}

/** What any host needs from a storage driver. Modelled on AList's driver interface. */
export interface Driver {
  readonly meta: DriverMeta;
  init(): Promise<void>;
  drop(): Promise<void>;
  getRoot(): Obj;
  list(dir: ObjRef, args?: ListArgs): Promise<Obj[]>;
  /**
   * The same listing one upstream page at a time, for folders too big to wait for: a host answers the first
   * page as soon as it arrives and pulls more only when asked. Names are final when yielded (a later page never
   * renames an earlier object) and the pages put together equal what `list()` returns.
   */
  listPages?(dir: ObjRef, args?: ListArgs): AsyncIterable<ListPage>;
  link(file: ObjRef, args?: LinkArgs): Promise<Link>;
  /** Resolve a `/`-separated path below the root. */
  get?(path: string): Promise<Obj>;
  makeDir?(parent: ObjRef, name: string): Promise<Obj>;
  /**
   * Store one file's bytes (streamed) in `dir`. Concurrent puts into the same folder may share one upstream
   * call where the storage has a batch API (Google Photos' batchCreate); each put still settles on its own.
   */
  put?(dir: ObjRef, file: UploadFile, args?: PutArgs): Promise<Obj>;
  /** `parent` is the folder the object was listed in (an item's album, for Google Photos). */
  rename?(obj: ObjRef, newName: string, parent: ObjRef): Promise<Obj>;
  remove?(obj: ObjRef, parent: ObjRef): Promise<void>;
  /**
   * Same-storage copy or move without moving bytes, where the storage can; hosts stream bytes otherwise (also when
   * `copy` throws UNSUPPORTED for the pair given; a move refused with UNSUPPORTED stays refused).
   */
  copy?(obj: ObjRef, srcDir: ObjRef, dstDir: ObjRef): Promise<Obj>;
  move?(obj: ObjRef, srcDir: ObjRef, dstDir: ObjRef): Promise<Obj>;
}

/** Callbacks and overrides a host hands to a driver it creates. */
export interface DriverHostOptions {
  /** The driver changed part of its own settings (e.g. a rotated refresh token); the host should persist them. */
  onConfigChange?: (patch: Record<string, unknown>) => void;
}

export interface DriverFactory<Options extends DriverHostOptions = DriverHostOptions> {
  meta: DriverMeta;
  create(config: Record<string, unknown>, options?: Options): Driver;
}
