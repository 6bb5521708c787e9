import type { HostDatabase } from '../state/database.js';
import type { LearntSize, SizeRecord, SizeStore } from './size-store.js';

/** Learnt sizes in the item_sizes table (rows go with their storage: ON DELETE CASCADE). */
export class SqliteSizeStore implements SizeStore {
  // One statement for any number of ids: the ids travel as one JSON array, not as a bound parameter each.
  private readonly select;
  private readonly insert;
  private readonly remove;
  private readonly saveAll;

  constructor(db: HostDatabase) {
    this.select = db.prepare<[{ storage: number; ids: string }], { item_id: string; size: number; learnt_at: number }>(
      // IN (subquery), not a join: SQLite then looks each id up by the primary key (a join scanned every row per id).
      'SELECT item_id, size, learnt_at FROM item_sizes WHERE storage_id = @storage AND item_id IN (SELECT value FROM json_each(@ids))');
    this.insert = db.prepare<[LearntSize]>(
      'INSERT OR REPLACE INTO item_sizes (storage_id, item_id, size, learnt_at) '
      + 'SELECT @storageId, @itemId, @size, @learntAt WHERE EXISTS (SELECT 1 FROM storages WHERE id = @storageId)');
    this.remove = db.prepare<[number]>('DELETE FROM item_sizes WHERE storage_id = ?');
    this.saveAll = db.transaction((sizes: readonly LearntSize[]) => {
      for (const size of sizes) this.insert.run({ storageId: size.storageId, itemId: size.itemId, size: size.size, learntAt: size.learntAt });
    });
  }

  async many(storageId: number, itemIds: readonly string[]): Promise<Map<string, SizeRecord>> {
    const found = new Map<string, SizeRecord>();
    if (itemIds.length === 0) return found;
    for (const row of this.select.all({ storage: storageId, ids: JSON.stringify(itemIds) })) found.set(row.item_id, { size: row.size, learntAt: row.learnt_at });
    return found;
  }

  async save(sizes: readonly LearntSize[]): Promise<void> {
    if (sizes.length > 0) this.saveAll(sizes);
  }

  async removeStorage(storageId: number): Promise<void> {
    this.remove.run(storageId);
  }
}
