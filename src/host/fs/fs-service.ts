import type { Driver } from '../../types/driver.js';
import type { Link, Obj } from '../../types/obj.js';
import { DriverError } from '../../types/errors.js';
import type { LiveStorage, StorageManager } from '../storages/storage-manager.js';
import { SingleFlight, waitUnlessAborted } from '../state/single-flight.js';
import { TtlCache } from '../state/ttl-cache.js';
import { SizeBook } from '../sizes/size-book.js';
import { PagedListings, type PagedListing } from './paged-listing.js';
import { joinSegments, pathSegments } from './paths.js';
import { orderListing, reordersListings } from './listing-order.js';

/** Links are reused until this long before they expire. */
const LINK_MARGIN_MS = 60_000;
const MAX_PAGED_LISTINGS = 1000;

export type Resolved =
  | { kind: 'virtual'; path: string; children: string[] }
  | { kind: 'storage'; path: string; live: LiveStorage; rest: string[]; virtualChildren: string[] };

export interface FileTarget {
  live: LiveStorage;
  obj: Obj;
  path: string;
  /** The file's thumbnail rather than the file itself (AList's `?type=thumb`). */
  variant?: 'thumbnail';
}

function notFound(path: string): DriverError {
  return new DriverError('NOT_FOUND', `Object not found: ${path}`, { hint: 'Check the path; list its folder to see what is there.' });
}

function storageBroken(live: LiveStorage): DriverError {
  const error = live.error;
  return new DriverError(error && error.code !== 'INIT_FAILED' ? error.code : 'UPSTREAM_UNAVAILABLE',
    `Storage ${live.row.mount_path} is not working: ${error?.message ?? 'not initialised'}`,
    error?.hint ? { hint: error.hint } : { hint: 'Open the storage settings and fix what its status says.' });
}

/**
 * The one tree the API serves: mount points as virtual folders, and below each mount the driver's objects,
 * found by listing and matching names. Listings are cached per storage and merged when concurrent; links are
 * cached until they expire.
 */
export class FsService {
  private readonly listings: TtlCache<Obj[]>;
  /** Listings of drivers that list page by page, as far as fetched (see PagedListing). */
  private readonly pagedListings: PagedListings;
  private readonly links: TtlCache<Link>;
  private readonly listFlights = new SingleFlight<Obj[]>();
  private readonly linkFlights = new SingleFlight<Link>();
  /** Complete paged listings put in their storage's order, made once per listing. */
  private readonly orderedPagedListings = new WeakMap<PagedListing, Obj[]>();

  constructor(
    private readonly storages: StorageManager,
    private readonly now: () => number,
    /** Folders never cached: their listing is cheap and may change from another process (e.g. picking sessions in the database). */
    private readonly alwaysFresh: (live: LiveStorage, dir: Obj) => boolean = () => false,
    /** Sizes learnt for files the driver lists without one (from downloads and HEADs); in memory only by default. */
    readonly sizes: SizeBook = new SizeBook(now),
  ) {
    this.listings = new TtlCache(now);
    this.pagedListings = new PagedListings(now, MAX_PAGED_LISTINGS);
    this.links = new TtlCache(now);
  }

  /** Forget everything cached for a storage (it changed or was removed). */
  reset(storageId: number): void {
    const prefix = `${storageId}:`;
    this.listings.deletePrefix(prefix);
    this.pagedListings.deletePrefix(prefix);
    this.links.deletePrefix(prefix);
    this.sizes.forgetCached(storageId);
  }

  /** Forget one cached folder listing (the folder changed, e.g. a picking session was added). */
  forgetListing(storageId: number, dirId: string): void {
    this.listings.delete(`${storageId}:list:${dirId}`);
    this.pagedListings.delete(`${storageId}:list:${dirId}`);
  }

  /** Forget every cached folder listing of a storage (a write changed it; its links and learnt sizes stay valid). */
  forgetListings(storageId: number): void {
    this.listings.deletePrefix(`${storageId}:list:`);
    this.pagedListings.deletePrefix(`${storageId}:list:`);
  }

  /** Forget what is cached about one object that changed or went away: its link, its size, its own listing. */
  forgetObject(storageId: number, objId: string): void {
    this.forgetListing(storageId, objId);
    this.links.delete(`${storageId}:link:${objId}`);
    this.links.delete(`${storageId}:link:${objId}:thumbnail`);
    this.sizes.forget(storageId, objId);
  }

  private mounted(): LiveStorage[] {
    return this.storages.all().filter((live) => !live.row.disabled);
  }

  resolve(path: string): Resolved {
    const segments = pathSegments(path);
    const normalized = joinSegments(segments);
    let best: LiveStorage | undefined;
    let bestDepth = -1;
    const children = new Set<string>();
    for (const live of this.mounted()) {
      const mount = pathSegments(live.row.mount_path);
      const isPrefix = mount.length <= segments.length && mount.every((part, i) => part === segments[i]);
      if (isPrefix && mount.length > bestDepth) {
        best = live;
        bestDepth = mount.length;
      }
      const below = segments.length < mount.length && segments.every((part, i) => part === mount[i]);
      if (below) children.add(mount[segments.length]!);
    }
    if (best) return { kind: 'storage', path: normalized, live: best, rest: segments.slice(bestDepth), virtualChildren: [...children] };
    if (segments.length === 0 || children.size > 0) return { kind: 'virtual', path: normalized, children: [...children] };
    throw notFound(normalized);
  }

  /** The storage's driver once it initialised; a DriverError saying what is wrong otherwise. */
  async working(live: LiveStorage) {
    await live.ready;
    if (live.state !== 'work' || !live.driver) throw storageBroken(live);
    return live.driver;
  }

  /** The storage asks for its listings in an order of its own (order_by, extract_folder). */
  private reorders(live: LiveStorage, driver: Driver): boolean {
    return reordersListings(live.row, driver.meta.localSort);
  }

  private ordered(live: LiveStorage, driver: Driver, objs: readonly Obj[]): Obj[] {
    return orderListing(objs, live.row, driver.meta.localSort, (obj) => this.knownSize(live, obj));
  }

  /** A complete paged listing in the storage's order. */
  private orderedPaged(live: LiveStorage, driver: Driver, listing: PagedListing): Obj[] {
    if (!this.reorders(live, driver)) return listing.objs;
    let ordered = this.orderedPagedListings.get(listing);
    if (!ordered) this.orderedPagedListings.set(listing, (ordered = this.ordered(live, driver, listing.objs)));
    return ordered;
  }

  /** The objects in a storage's folder, in the storage's order, from the cache unless `refresh`. */
  async listDir(live: LiveStorage, dir: Obj, refresh = false): Promise<Obj[]> {
    const driver = await this.working(live);
    if (driver.listPages) {
      return this.pagedListing(live, driver, dir, refresh, async (listing) => {
        await listing.fill(Infinity);
        return this.orderedPaged(live, driver, listing);
      });
    }
    const key = `${live.row.id}:list:${dir.id}`;
    if (!refresh) {
      const cached = this.listings.get(key);
      if (cached) return cached;
    }
    return this.listFlights.run(refresh ? `${key}:refresh` : key, async () => {
      const listed = await driver.list(dir, refresh ? { refresh: true } : undefined);
      const objs = this.reorders(live, driver) ? this.ordered(live, driver, listed) : listed;
      const ttlMs = Math.max(0, live.row.cache_expiration) * 60_000;
      // A listing is not kept past the expiry of what it shows (e.g. a picking session that ends).
      let until = this.now() + ttlMs;
      for (const obj of objs) if (obj.expiresAt && obj.expiresAt.getTime() < until) until = obj.expiresAt.getTime();
      const keep = ttlMs > 0 && until > this.now() && !this.alwaysFresh(live, dir) && this.storages.get(live.row.id) === live;
      if (keep) this.listings.set(key, objs, until);
      return objs;
    });
  }

  /**
   * At least `count` objects of the folder (all of them when it has fewer) and whether that is all of it. A driver
   * that lists page by page is asked for more upstream pages only as far as needed (then, when the listing is
   * kept, for `ahead` more objects in the background), in upstream order; others list the whole folder. A storage
   * with an order of its own (order_by, extract_folder) is listed whole and answered in that order, as AList does:
   * any page of a sorted listing depends on every object in the folder.
   */
  async listUpTo(live: LiveStorage, dir: Obj, count: number, refresh = false, ahead = 0): Promise<{ objs: Obj[]; final: boolean }> {
    const driver = await this.working(live);
    if (!driver.listPages || this.reorders(live, driver)) return { objs: await this.listDir(live, dir, refresh), final: true };
    const { objs, known, final } = await this.pagedListing(live, driver, dir, refresh, async (listing) => {
      await listing.fill(count);
      if (ahead > 0) await listing.readAhead(count + ahead);
      return { objs: listing.objs, known: listing.objs.length, final: listing.final };
    });
    // An unfinished listing grows under concurrent requests (rarely by now): hand out only what was known.
    return { objs: objs.length === known ? objs : objs.slice(0, known), final };
  }

  /** Works on the folder's paged listing: the one in use or kept, else a new one, kept for the storage's cache_expiration. */
  private pagedListing<T>(live: LiveStorage, driver: Driver, dir: Obj, refresh: boolean, work: (listing: PagedListing) => Promise<T>): Promise<T> {
    return this.pagedListings.use(`${live.row.id}:list:${dir.id}`, refresh, () => {
      const ttlMs = Math.max(0, live.row.cache_expiration) * 60_000;
      const keep = ttlMs > 0 && !this.alwaysFresh(live, dir) && this.storages.get(live.row.id) === live;
      return { pages: driver.listPages!(dir, refresh ? { refresh: true } : undefined), keepUntil: keep ? this.now() + ttlMs : undefined };
    }, work);
  }

  private async child(live: LiveStorage, dir: Obj, name: string): Promise<Obj | undefined> {
    const driver = await this.working(live);
    if (driver.listPages) return this.pagedListing(live, driver, dir, false, (listing) => listing.find(name));
    return (await this.listDir(live, dir)).find((obj) => obj.name === name);
  }

  /** The object at `rest` below the storage's root. */
  async walk(live: LiveStorage, rest: readonly string[], fullPath: string): Promise<Obj> {
    const driver = await this.working(live);
    let current = driver.getRoot();
    for (const name of rest) {
      if (!current.isDir) throw notFound(fullPath);
      const found = await this.child(live, current, name);
      if (!found) throw notFound(fullPath);
      current = found;
    }
    return current;
  }

  async file(path: string): Promise<FileTarget> {
    const resolved = this.resolve(path);
    if (resolved.kind !== 'storage') throw notFound(resolved.path);
    const obj = await this.walk(resolved.live, resolved.rest, resolved.path);
    if (obj.isDir) throw new DriverError('INVALID_ARGUMENT', `${resolved.path} is a folder, not a file`);
    return { live: resolved.live, obj, path: resolved.path };
  }

  /** A link for the file (or its thumbnail), reused until shortly before it expires; `fresh` skips (and replaces) the cached one. */
  async link(target: FileTarget, fresh = false, signal?: AbortSignal): Promise<{ link: Link; cached: boolean }> {
    const driver = await this.working(target.live);
    const key = `${target.live.row.id}:link:${target.obj.id}${target.variant ? `:${target.variant}` : ''}`;
    if (!fresh) {
      const cached = this.links.get(key);
      if (cached) return { link: cached, cached: true };
    } else {
      this.links.delete(key);
    }
    // The driver call is shared by every concurrent caller, so no one caller's signal goes into it.
    const shared = this.linkFlights.run(fresh ? `${key}:fresh` : key, async () => {
      const made = await driver.link(target.obj, target.variant ? { type: target.variant } : undefined);
      if (made.expiresAt) this.links.set(key, made, made.expiresAt.getTime() - LINK_MARGIN_MS);
      if (made.size !== undefined && !target.variant) this.rememberSize(target, made.size);
      return made;
    });
    return { link: await waitUnlessAborted(shared, signal), cached: false };
  }

  /** The size if the driver gave it or it is in memory (see SizeProber.known for the store too). */
  knownSize(live: LiveStorage, obj: Obj): number | undefined {
    return obj.size ?? this.sizes.cached(live.row.id, obj.id);
  }

  rememberSize(target: { live: LiveStorage; obj: Obj }, size: number): void {
    this.sizes.remember(target.live.row.id, target.obj.id, size);
  }
}
