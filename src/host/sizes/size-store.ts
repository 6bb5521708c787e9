/** A file's size in bytes as the server learnt it, and when (ms since the epoch). */
export interface SizeRecord {
  size: number;
  learntAt: number;
}

export interface LearntSize extends SizeRecord {
  storageId: number;
  itemId: string;
}

/**
 * Where learnt sizes persist, keyed by storage id and the driver's item id: the host's database, SQLite or
 * PostgreSQL (DatabaseSizeStore); another store only has to implement these three calls.
 */
export interface SizeStore {
  /** The recorded sizes of these items of one storage; items never learnt are absent. */
  many(storageId: number, itemIds: readonly string[]): Promise<Map<string, SizeRecord>>;
  /** Records (or replaces) sizes; sizes of a storage that no longer exists are dropped. */
  save(sizes: readonly LearntSize[]): Promise<void>;
  /** Forgets every size of a storage (it was removed). */
  removeStorage(storageId: number): Promise<void>;
}
