import type { LearntSize, SizeRecord, SizeStore } from './size-store.js';

/**
 * How long a learnt size is trusted. Google Photos never changes an item's bytes under the same id, but a
 * driver whose files can change in place gets them measured again after this.
 */
export const SIZE_MAX_AGE_MS = 30 * 24 * 3600_000;
const FRONT_ENTRIES = 20_000;
/** Learnt sizes are written together: one transaction for many, not one disk sync each. */
const WRITE_DELAY_MS = 200;
const WRITE_BATCH = 1000;

/**
 * The sizes the server learnt for files their driver lists without one: a bounded in-memory front over the
 * store (the source of truth, when there is one), with writes gathered into batches.
 */
export class SizeBook {
  private readonly front = new Map<string, SizeRecord>();
  private pending: LearntSize[] = [];
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();

  constructor(private readonly now: () => number, private readonly store?: SizeStore) {}

  /** The size if it is in memory (no store lookup). */
  cached(storageId: number, itemId: string): number | undefined {
    const key = `${storageId}:${itemId}`;
    const record = this.front.get(key);
    if (!record) return undefined;
    if (this.now() - record.learntAt >= SIZE_MAX_AGE_MS) {
      this.front.delete(key);
      return undefined;
    }
    return record.size;
  }

  /** The known sizes of these items: memory first, then the store. */
  async known(storageId: number, itemIds: readonly string[]): Promise<Map<string, number>> {
    const sizes = new Map<string, number>();
    const missing: string[] = [];
    for (const id of itemIds) {
      const size = this.cached(storageId, id);
      if (size === undefined) missing.push(id);
      else sizes.set(id, size);
    }
    if (missing.length === 0 || !this.store) return sizes;
    let stored: Map<string, SizeRecord>;
    try {
      stored = await this.store.many(storageId, missing);
    } catch {
      return sizes; // a store that cannot answer (e.g. busy) leaves these sizes unknown for now, not the listing failed
    }
    for (const [id, record] of stored) {
      if (this.now() - record.learntAt >= SIZE_MAX_AGE_MS) continue;
      this.keep(`${storageId}:${id}`, record);
      sizes.set(id, record.size);
    }
    return sizes;
  }

  remember(storageId: number, itemId: string, size: number): void {
    if (!Number.isSafeInteger(size) || size < 0) return;
    const learntAt = this.now();
    const key = `${storageId}:${itemId}`;
    if (this.front.get(key)?.size === size) return;
    this.keep(key, { size, learntAt });
    if (!this.store) return;
    this.pending.push({ storageId, itemId, size, learntAt });
    if (this.pending.length >= WRITE_BATCH) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), WRITE_DELAY_MS).unref();
  }

  /** Drops the storage's sizes from memory (it changed); the store keeps them. */
  forgetCached(storageId: number): void {
    const prefix = `${storageId}:`;
    for (const key of this.front.keys()) if (key.startsWith(prefix)) this.front.delete(key);
  }

  /** Drops one item's size from memory (it changed or went away); the store keeps it. */
  forget(storageId: number, itemId: string): void {
    this.front.delete(`${storageId}:${itemId}`);
  }

  /** The storage is gone: its sizes too. */
  async removeStorage(storageId: number): Promise<void> {
    this.forgetCached(storageId);
    this.pending = this.pending.filter((size) => size.storageId !== storageId);
    await this.store?.removeStorage(storageId);
  }

  /** Writes what is pending; resolves once it is stored. */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.pending;
    this.pending = [];
    if (batch.length > 0 && this.store) {
      const store = this.store;
      // Failed writes are not retried: the sizes stay in memory and are learnt again after a restart.
      this.writing = this.writing.then(() => store.save(batch)).catch(() => undefined);
    }
    return this.writing;
  }

  private keep(key: string, record: SizeRecord): void {
    this.front.delete(key);
    this.front.set(key, record);
    if (this.front.size > FRONT_ENTRIES) this.evictOldest();
  }

  /** Drops the oldest tenth in one pass (see LinkCache: one eviction per insert is slow in V8). */
  private evictOldest(): void {
    const keep = Math.floor(FRONT_ENTRIES * 0.9);
    for (const key of this.front.keys()) {
      if (this.front.size <= keep) break;
      this.front.delete(key);
    }
  }
}
