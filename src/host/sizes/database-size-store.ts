import type { HostDatabase } from '../state/database.js';
import type { LearntSize, SizeRecord, SizeStore } from './size-store.js';

/** Sizes saved by one statement at most (below SQLite's limit of 500 terms in a compound SELECT). */
const ROWS_PER_INSERT = 250;

/** Learnt sizes in the item_sizes table (rows go with their storage: ON DELETE CASCADE). */
export class DatabaseSizeStore implements SizeStore {
  constructor(private readonly db: HostDatabase) {}

  async many(storageId: number, itemIds: readonly string[]): Promise<Map<string, SizeRecord>> {
    const found = new Map<string, SizeRecord>();
    if (itemIds.length === 0) return found;
    // One statement for any number of ids: they travel as one array (SQLite: JSON), not as a parameter each. IN
    // (subquery), not a join: SQLite then looks each id up by the primary key (a join scanned every row per id).
    const sql = this.db.dialect === 'postgres'
      ? 'SELECT item_id, size, learnt_at FROM item_sizes WHERE storage_id = ? AND item_id = ANY(?::text[])'
      : 'SELECT item_id, size, learnt_at FROM item_sizes WHERE storage_id = ? AND item_id IN (SELECT value FROM json_each(?))';
    const ids = this.db.dialect === 'postgres' ? itemIds : JSON.stringify(itemIds);
    const rows = await this.db.all<{ item_id: string; size: number; learnt_at: number }>(sql, [storageId, ids]);
    for (const row of rows) found.set(row.item_id, { size: row.size, learntAt: row.learnt_at });
    return found;
  }

  /** Sizes of a storage deleted meanwhile are not saved (the foreign key would refuse the whole batch). */
  async save(sizes: readonly LearntSize[]): Promise<void> {
    if (sizes.length === 0) return;
    await this.db.transaction(async (tx) => {
      for (let start = 0; start < sizes.length; start += ROWS_PER_INSERT) {
        const batch = sizes.slice(start, start + ROWS_PER_INSERT);
        const values = batch.map(() => 'SELECT ? AS storage_id, ? AS item_id, ? AS size, ? AS learnt_at').join(' UNION ALL ');
        await tx.run(`INSERT INTO item_sizes (storage_id, item_id, size, learnt_at)
          SELECT CAST(v.storage_id AS INTEGER), v.item_id, CAST(v.size AS BIGINT), CAST(v.learnt_at AS BIGINT) FROM (${values}) AS v
          WHERE EXISTS (SELECT 1 FROM storages WHERE id = CAST(v.storage_id AS INTEGER))
          ON CONFLICT (storage_id, item_id) DO UPDATE SET size = excluded.size, learnt_at = excluded.learnt_at`,
        batch.flatMap((size) => [size.storageId, size.itemId, size.size, size.learntAt]));
      }
    });
  }

  async removeStorage(storageId: number): Promise<void> {
    await this.db.run('DELETE FROM item_sizes WHERE storage_id = ?', [storageId]);
  }
}
