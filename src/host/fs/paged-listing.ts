import type { ListPage } from '../../types/driver.js';
import type { Obj } from '../../types/obj.js';
import { TtlCache } from '../state/ttl-cache.js';

/**
 * One folder's listing as far as it has been fetched: the objects so far plus the driver's paused page walk
 * (which holds the next page token). Callers ask for "at least n objects" or "the object named x"; more
 * upstream pages are pulled only then, one at a time, and concurrent callers share each pull.
 */
export class PagedListing {
  readonly objs: Obj[] = [];
  private readonly byName = new Map<string, Obj>();
  private readonly pages: AsyncIterator<ListPage>;
  private complete = false;
  private failure?: unknown;
  private pulling?: Promise<void>;

  constructor(
    pages: AsyncIterable<ListPage>,
    private expiry: number,
    /** Kept for later requests (not only shared by concurrent ones). */
    readonly kept = false,
  ) {
    this.pages = pages[Symbol.asyncIterator]();
  }

  /** Every object of the folder is here. */
  get final(): boolean {
    return this.complete;
  }

  /** A pull failed: this listing cannot continue and must be started over. */
  get broken(): boolean {
    return this.failure !== undefined;
  }

  /** When it must be dropped (ms): the cache lifetime, or earlier if an object listed expires sooner. */
  get expiresAt(): number {
    return this.expiry;
  }

  /** Pulls pages until `count` objects are known or the listing is complete. */
  async fill(count: number): Promise<void> {
    while (!this.complete && this.objs.length < count) await this.pull();
  }

  /**
   * Starts pulling pages until `count` objects are known, without waiting: the next page of a reader going
   * through the folder is then on its way while the reader looks at this one. A failure here breaks the
   * listing, so the next request starts over.
   */
  async readAhead(count: number): Promise<void> {
    if (!this.kept || this.complete || this.objs.length >= count) return;
    this.fill(count).catch(() => undefined);
    // Let the upstream request leave before the caller builds its answer, so the two overlap.
    await new Promise((resolve) => setImmediate(resolve));
  }

  /** The object named `name`, pulling pages until it turns up; undefined when the whole folder lacks it. */
  async find(name: string): Promise<Obj | undefined> {
    for (;;) {
      const found = this.byName.get(name);
      if (found || this.complete) return found;
      await this.pull();
    }
  }

  private pull(): Promise<void> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    this.pulling ??= this.nextPage().finally(() => {
      this.pulling = undefined;
    });
    return this.pulling;
  }

  private async nextPage(): Promise<void> {
    let step: IteratorResult<ListPage>;
    try {
      step = await this.pages.next();
    } catch (error) {
      this.failure = error ?? new Error('listing failed');
      throw error;
    }
    if (step.done) {
      this.complete = true;
      return;
    }
    for (const obj of step.value.objs) {
      this.objs.push(obj);
      if (!this.byName.has(obj.name)) this.byName.set(obj.name, obj);
      if (obj.expiresAt && obj.expiresAt.getTime() < this.expiry) this.expiry = obj.expiresAt.getTime();
    }
    if (step.value.done) this.complete = true;
  }
}

export interface OpenedListing {
  pages: AsyncIterable<ListPage>;
  /** Keep the listing for later requests until then (ms); undefined: share it only while requests use it. */
  keepUntil?: number;
}

/**
 * The paged listings of all folders: each kept until its expiry (bounded in count), and, kept or not, shared
 * by every request that uses it at the same time, so concurrent requests for one folder pull each page once.
 */
export class PagedListings {
  private readonly kept: TtlCache<PagedListing>;
  private readonly inUse = new Map<string, { listing: PagedListing; users: number }>();

  constructor(private readonly now: () => number, maxKept: number) {
    this.kept = new TtlCache(now, maxKept);
  }

  /** Runs `work` on the folder's listing: the one in use or kept, else (or when `refresh`) a new one from `open`. */
  async use<T>(key: string, refresh: boolean, open: () => OpenedListing, work: (listing: PagedListing) => Promise<T>): Promise<T> {
    let entry = refresh ? undefined : this.inUse.get(key);
    if (!entry || entry.listing.broken) {
      entry = { listing: (refresh ? undefined : this.usableKept(key)) ?? this.open(key, open()), users: 0 };
      this.inUse.set(key, entry);
    }
    entry.users++;
    try {
      return await work(entry.listing);
    } finally {
      entry.users--;
      if (entry.users === 0 && this.inUse.get(key) === entry) this.inUse.delete(key);
    }
  }

  delete(key: string): void {
    this.kept.delete(key);
    this.inUse.delete(key);
  }

  deletePrefix(prefix: string): void {
    this.kept.deletePrefix(prefix);
    for (const key of this.inUse.keys()) if (key.startsWith(prefix)) this.inUse.delete(key);
  }

  private usableKept(key: string): PagedListing | undefined {
    const kept = this.kept.get(key);
    return kept && !kept.broken && kept.expiresAt > this.now() ? kept : undefined;
  }

  private open(key: string, opened: OpenedListing): PagedListing {
    const keepUntil = opened.keepUntil ?? this.now();
    const listing = new PagedListing(opened.pages, keepUntil, keepUntil > this.now());
    if (keepUntil > this.now()) this.kept.set(key, listing, keepUntil);
    else this.kept.delete(key);
    return listing;
  }
}
