import type { PickerSessionRecord, PickerSessionStore } from '../../driver/google-photos/picker-sessions.js';
import type { HostDatabase } from '../state/database.js';

interface PickerSessionRow {
  id: string;
  label: string | null;
  created_at: string;
  expire_time: string;
  picker_uri: string;
  media_items_set: number;
  item_count: number | null;
}

function fromRow(row: PickerSessionRow): PickerSessionRecord {
  const record: PickerSessionRecord = {
    id: row.id,
    createdAt: row.created_at,
    expireTime: row.expire_time,
    pickerUri: row.picker_uri,
    mediaItemsSet: row.media_items_set !== 0,
  };
  if (row.label) record.label = row.label;
  if (row.item_count !== null) record.itemCount = row.item_count;
  return record;
}

/**
 * One storage's picking sessions in the `picker_sessions` table, so a restart (or another process on the same
 * data folder, e.g. the `pick` CLI) sees them. Expired sessions stay until removed: the driver shows them as expired.
 */
export class SqlitePickerSessionStore implements PickerSessionStore {
  constructor(
    private readonly db: HostDatabase,
    private readonly storageId: number,
    /** Called after every change (e.g. to forget cached listings of the picked folder). */
    private readonly onChange: () => void = () => undefined,
  ) {}

  list(): PickerSessionRecord[] {
    const rows = this.db
      .prepare('SELECT * FROM picker_sessions WHERE storage_id = ? ORDER BY created_at DESC, id')
      .all(this.storageId) as PickerSessionRow[];
    return rows.map(fromRow);
  }

  save(record: PickerSessionRecord): void {
    this.db
      .prepare(
        `INSERT OR REPLACE INTO picker_sessions (storage_id, id, label, created_at, expire_time, picker_uri, media_items_set, item_count)
         VALUES (@storage_id, @id, @label, @created_at, @expire_time, @picker_uri, @media_items_set, @item_count)`,
      )
      .run({
        storage_id: this.storageId,
        id: record.id,
        label: record.label ?? null,
        created_at: record.createdAt,
        expire_time: record.expireTime,
        picker_uri: record.pickerUri,
        media_items_set: record.mediaItemsSet ? 1 : 0,
        item_count: record.itemCount ?? null,
      });
    this.onChange();
  }

  remove(id: string): void {
    this.db.prepare('DELETE FROM picker_sessions WHERE storage_id = ? AND id = ?').run(this.storageId, id);
    this.onChange();
  }

  /** Whether the storage has a session with this id (created here or by the pick CLI on the same data folder). */
  static has(db: HostDatabase, storageId: number, id: string): boolean {
    return db.prepare('SELECT 1 FROM picker_sessions WHERE storage_id = ? AND id = ?').get(storageId, id) !== undefined;
  }

  /** Every session of the storage (the storage was deleted, or its demo emulator was replaced). */
  static removeAll(db: HostDatabase, storageId: number): void {
    db.prepare('DELETE FROM picker_sessions WHERE storage_id = ?').run(storageId);
  }
}
