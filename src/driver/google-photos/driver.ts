import type { Driver, DriverFactory, DriverHostOptions, LinkArgs, ListArgs, ListPage, PutArgs, UploadFile } from '../../types/driver.js';
import { DriverError, isDriverError } from '../../types/errors.js';
import { refId, type Link, type Obj, type ObjRef } from '../../types/obj.js';
import { AlbumWrites } from './album-writes.js';
import { TokenManager } from './auth.js';
import type { SharedTokenCache } from './shared-tokens.js';
import { AuthorizedApi } from './authorized-api.js';
import { configuredRootId, googlePhotosMeta, parseGooglePhotosConfig, type GooglePhotosConfig } from './config.js';
import { endpointsFor, type GoogleEndpoints } from './endpoints.js';
import { mediaNotReady } from './errors.js';
import { GoogleHttp, resolveRetryOptions, type RetryOptions } from './http.js';
import { BATCH_GET_LIMIT, LibraryClient } from './library.js';
import { LinkCache, linkFor } from './link-cache.js';
import { MediaItemCreator } from './media-item-creator.js';
import { PickedMedia, type CreatePickerSessionOptions } from './picked-media.js';
import { parsePickedId } from './picked-tree.js';
import { PickerClient } from './picker.js';
import { MemoryPickerSessionStore, type PickerSessionInfo, type PickerSessionStore } from './picker-sessions.js';
import { usableBaseUrl, type MediaItem } from './schemas.js';
import { ListingNamer } from './listing-names.js';
import { albumObjs, FOLDER, isVirtualFolder, mediaItemObjs, rootFolders, type NameEntries } from './tree.js';
import { ResumableUploader } from './upload.js';
import { UploadSlots } from './upload-slots.js';
import { PhotoWrites, type WriteConnection } from './write-operations.js';

export interface GooglePhotosOptions extends DriverHostOptions {
  /** Overrides Google's URLs: `token` is the full token URL, `library`/`picker` the API bases ending in /v1. */
  endpoints?: Partial<GoogleEndpoints>;
  /** Google rotated the refresh token; the host persists it (onConfigChange({refresh_token}) is called too). */
  onRefreshToken?: (refreshToken: string) => void;
  retry?: RetryOptions;
  /** Per request; default 30000. */
  requestTimeoutMs?: number;
  /** Clock in ms; default Date.now. */
  now?: () => number;
  /** Where picking sessions are kept (the host passes a database-backed store); default: in memory. */
  pickerSessions?: PickerSessionStore;
  /** Uploads sending bytes at once (more wait their turn); default 3. */
  uploadConcurrency?: number;
  /** Bytes per upload request (rounded to Google's granularity); default 8 MiB. An upload holds two such buffers. */
  uploadChunkBytes?: number;
  /**
   * Optional: where several processes share this storage's access token, so that one of them refreshes it for all
   * (the host passes one per storage when REDIS_URL is set). Default: this driver refreshes its own token.
   */
  sharedTokens?: SharedTokenCache;
}

interface Connection extends WriteConnection {
  config: GooglePhotosConfig;
  endpoints: GoogleEndpoints;
  tokens: TokenManager;
  picker: PickerClient;
}

/** How long get() may reuse a listing it made to resolve a path. */
const PATH_LISTING_TTL_MS = 60_000;
const PATH_LISTINGS_KEPT = 64;
const EPOCH = new Date(0);

/** The Google Photos driver: media items and albums as a tree of files and folders; uploads go to All media or an album. */
export class GooglePhotos implements Driver {
  readonly meta = googlePhotosMeta;
  private readonly rawConfig: unknown;
  private readonly options: GooglePhotosOptions;
  private readonly now: () => number;
  private readonly linkCache: LinkCache;
  private readonly pathListings = new Map<string, { objs: Obj[]; at: number }>();
  private readonly picked: PickedMedia;
  private readonly writes: PhotoWrites;
  private connection?: Promise<Connection>;

  /** Never throws; init() validates the settings (INVALID_CONFIG) and obtains an access token. */
  constructor(config: unknown, options: GooglePhotosOptions = {}) {
    this.rawConfig = config;
    this.options = options;
    this.now = options.now ?? Date.now;
    this.linkCache = new LinkCache(this.now);
    this.picked = new PickedMedia(options.pickerSessions ?? new MemoryPickerSessionStore(), this.now, () => this.connect());
    this.writes = new PhotoWrites({
      connect: () => this.connect(),
      forget: (ids) => { for (const id of ids) this.pathListings.delete(id); },
      remember: (item) => { this.rememberLink(item); },
      deletePickerSession: (sessionId) => this.picked.delete(sessionId),
    });
  }

  async init(): Promise<void> {
    await this.connect();
  }

  async drop(): Promise<void> {
    this.connection = undefined;
    this.linkCache.clear();
    this.pathListings.clear();
    this.picked.clear();
  }

  getRoot(): Obj {
    return { id: configuredRootId(this.rawConfig), name: '', isDir: true, modified: EPOCH };
  }

  /** A fresh access token (refreshed now, whatever the cached one's age). */
  async refreshToken(): Promise<string> {
    const { tokens } = await this.connect();
    return tokens.refreshReplacing();
  }

  async list(dir: ObjRef, args?: ListArgs): Promise<Obj[]> {
    const objs: Obj[] = [];
    for await (const page of this.listPages(dir, args)) for (const obj of page.objs) objs.push(obj);
    this.keepPathListing(refId(dir), objs);
    return objs;
  }

  /** One upstream page at a time (albums 50, media items 100); root and picked folders come as one page. */
  async *listPages(dir: ObjRef, _args?: ListArgs): AsyncGenerator<ListPage> {
    const id = refId(dir);
    const picked = parsePickedId(id);
    if (picked) yield { objs: await this.picked.list(picked), done: true };
    else if (id === FOLDER.root) yield { objs: rootFolders(), done: true };
    else yield* this.libraryPages((await this.connect()).library, id);
  }

  put(dir: ObjRef, file: UploadFile, args?: PutArgs): Promise<Obj> {
    return this.writes.put(dir, file, args);
  }

  makeDir(parent: ObjRef, name: string): Promise<Obj> {
    return this.writes.makeDir(parent, name);
  }

  rename(obj: ObjRef, newName: string, parent: ObjRef): Promise<Obj> {
    return this.writes.rename(obj, newName, parent);
  }

  remove(obj: ObjRef, parent: ObjRef): Promise<void> {
    return this.writes.remove(obj, parent);
  }

  copy(obj: ObjRef, srcDir: ObjRef, dstDir: ObjRef): Promise<Obj> {
    return this.writes.copy(obj, srcDir, dstDir);
  }

  move(obj: ObjRef, srcDir: ObjRef, dstDir: ObjRef): Promise<Obj> {
    return this.writes.move(obj, srcDir, dstDir);
  }

  /** Starts picking: open the answer's pickerUri (add `/autoclose`), then poll getPickerSession every pollIntervalMs. */
  createPickerSession(options?: CreatePickerSessionOptions): Promise<PickerSessionInfo> {
    return this.picked.create(options);
  }

  /** Asks Google whether the user is done picking; the stored record learns mediaItemsSet and the item count. */
  getPickerSession(id: string): Promise<PickerSessionInfo> {
    return this.picked.get(id);
  }

  /** Deletes the session at Google (an unknown or expired one is fine) and from the store. */
  deletePickerSession(id: string): Promise<void> {
    return this.picked.delete(id);
  }

  /** Resolve a `/`-separated path below the root by listing each parent. */
  async get(path: string): Promise<Obj> {
    let current = this.getRoot();
    for (const segment of path.split('/').filter((part) => part !== '')) {
      if (!current.isDir) throw notFound(path, `"${current.name}" is a file`);
      const children = await this.pathListing(current.id);
      const next = children.find((child) => child.name === segment);
      if (!next) throw notFound(path, `no "${segment}" in its folder`);
      current = next;
    }
    return current;
  }

  async link(file: ObjRef, args?: LinkArgs): Promise<Link> {
    const id = refId(file);
    const picked = parsePickedId(id);
    if (isVirtualFolder(id) || (picked && picked.kind !== 'item') || (typeof file === 'object' && file.isDir)) {
      throw new DriverError('NOT_FOUND', `"${id}" is a folder; only media items have links.`, { hint: 'Open the folder instead.' });
    }
    if (picked?.kind === 'item') return this.picked.link(picked.sessionId, picked.mediaItemId, args?.type);
    const seen = this.linkCache.fresh(id);
    if (seen) return linkFor(seen, args?.type);
    const { library } = await this.connect();
    const item = await library.getMediaItem(id);
    if (!this.rememberLink(item)) throw mediaNotReady(item);
    return linkFor(this.linkCache.fresh(id)!, args?.type);
  }

  /** Links for many items: cached baseUrls first, the rest through batchGet (50 ids a call). Unknown ids and videos still processing are absent. */
  async links(files: ObjRef[], args?: LinkArgs): Promise<Map<string, Link>> {
    const result = new Map<string, Link>();
    const missing: string[] = [];
    for (const id of new Set(files.map(refId))) {
      const picked = parsePickedId(id);
      if (picked) {
        const link = picked.kind === 'item' ? await this.link(id, args).catch(absentIfNotFound) : undefined;
        if (link) result.set(id, link);
        continue;
      }
      const seen = this.linkCache.fresh(id);
      if (seen) result.set(id, linkFor(seen, args?.type));
      else if (!isVirtualFolder(id)) missing.push(id);
    }
    if (missing.length === 0) return result;
    const { library } = await this.connect();
    for (let start = 0; start < missing.length; start += BATCH_GET_LIMIT) {
      const found = await library.batchGetMediaItems(missing.slice(start, start + BATCH_GET_LIMIT));
      for (const item of found.values()) {
        if (this.rememberLink(item)) result.set(item.id, linkFor(this.linkCache.fresh(item.id)!, args?.type));
      }
    }
    return result;
  }

  private async *libraryPages(library: LibraryClient, id: string): AsyncGenerator<ListPage> {
    const namer = new ListingNamer();
    const nameEntries: NameEntries = (entries) => namer.name(entries);
    if (id === FOLDER.albums || id === FOLDER.sharedAlbums) {
      const pages = id === FOLDER.albums ? library.albumPages() : library.sharedAlbumPages();
      for await (const page of pages) yield { objs: albumObjs(page.items, nameEntries), done: page.done };
      return;
    }
    const pages = id === FOLDER.all ? library.mediaItemPages() : library.albumItemPages(id);
    for await (const page of pages) {
      for (const item of page.items) this.rememberLink(item);
      yield { objs: mediaItemObjs(page.items, nameEntries), done: page.done };
    }
  }

  /** Keeps the item's baseUrl for links; false when it has no usable one yet (a video still processing). */
  private rememberLink(item: MediaItem): boolean {
    const baseUrl = usableBaseUrl(item);
    if (baseUrl) this.linkCache.remember({ id: item.id, baseUrl, mimeType: item.mimeType });
    return baseUrl !== undefined;
  }

  private async pathListing(id: string): Promise<Obj[]> {
    const kept = this.pathListings.get(id);
    if (kept && this.now() - kept.at < PATH_LISTING_TTL_MS) return kept.objs;
    return this.list(id);
  }

  private keepPathListing(id: string, objs: Obj[]): void {
    this.pathListings.delete(id);
    this.pathListings.set(id, { objs, at: this.now() });
    if (this.pathListings.size > PATH_LISTINGS_KEPT) this.pathListings.delete(this.pathListings.keys().next().value as string);
  }

  private connect(): Promise<Connection> {
    this.connection ??= this.open().catch((error: unknown) => {
      this.connection = undefined;
      throw error;
    });
    return this.connection;
  }

  private async open(): Promise<Connection> {
    const config = parseGooglePhotosConfig(this.rawConfig);
    const endpoints = endpointsFor(config, this.options.endpoints);
    const http = new GoogleHttp({ timeoutMs: this.options.requestTimeoutMs, retry: this.options.retry, now: this.now });
    const tokens = new TokenManager({
      tokenUrl: endpoints.token,
      clientId: config.client_id,
      clientSecret: config.client_secret,
      refreshToken: config.refresh_token,
      http,
      now: this.now,
      shared: this.options.sharedTokens,
      onRefreshToken: (refreshToken) => {
        this.options.onRefreshToken?.(refreshToken);
        this.options.onConfigChange?.({ refresh_token: refreshToken });
      },
    });
    await tokens.refresh();
    const albums = new AlbumWrites(new AuthorizedApi(endpoints.library, http, tokens));
    return {
      config,
      endpoints,
      tokens,
      library: new LibraryClient(endpoints.library, http, tokens),
      picker: new PickerClient(endpoints.picker, http, tokens),
      albums,
      uploader: new ResumableUploader({
        libraryUrl: endpoints.library, tokens, retry: resolveRetryOptions(this.options.retry), now: this.now, chunkBytes: this.options.uploadChunkBytes,
      }),
      creator: new MediaItemCreator((albumId, items) => albums.batchCreate(albumId, items)),
      slots: new UploadSlots(this.options.uploadConcurrency ?? 3),
    };
  }
}

function absentIfNotFound(error: unknown): undefined {
  if (isDriverError(error, 'NOT_FOUND')) return undefined;
  throw error;
}

function notFound(path: string, why: string): DriverError {
  const hint = 'Check the path; names of repeated files carry their id, e.g. "IMG_0001 {id}.jpg".';
  return new DriverError('NOT_FOUND', `Path "${path}" was not found: ${why}.`, { hint });
}

export const googlePhotosDriver: DriverFactory<GooglePhotosOptions> = {
  meta: googlePhotosMeta,
  create: (config, options) => new GooglePhotos(config, options),
};
