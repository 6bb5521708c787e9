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
export class DatabasePickerSessionStore implements PickerSessionStore {
  constructor(
    private readonly db: HostDatabase,
    private readonly storageId: number,
    /** Called after every change (e.g. to forget cached listings of the picked folder). */
    private readonly onChange: () => void = () => undefined,
  ) {}

  async list(): Promise<PickerSessionRecord[]> {
    const rows = await this.db.all<PickerSessionRow>('SELECT * FROM picker_sessions WHERE storage_id = ? ORDER BY created_at DESC, id', [this.storageId]);
    return rows.map(fromRow);
  }

  async save(record: PickerSessionRecord): Promise<void> {
    await this.db.run(
      `INSERT INTO picker_sessions (storage_id, id, label, created_at, expire_time, picker_uri, media_items_set, item_count)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (storage_id, id) DO UPDATE SET label = excluded.label, created_at = excluded.created_at, expire_time = excluded.expire_time,
         picker_uri = excluded.picker_uri, media_items_set = excluded.media_items_set, item_count = excluded.item_count`,
      [this.storageId, record.id, record.label ?? null, record.createdAt, record.expireTime, record.pickerUri, record.mediaItemsSet ? 1 : 0,
        record.itemCount ?? null],
    );
    this.onChange();
  }

  async remove(id: string): Promise<void> {
    await this.db.run('DELETE FROM picker_sessions WHERE storage_id = ? AND id = ?', [this.storageId, id]);
    this.onChange();
  }

  /** Whether the storage has a session with this id (created here or by the pick CLI on the same data folder). */
  static async has(db: HostDatabase, storageId: number, id: string): Promise<boolean> {
    return (await db.get('SELECT 1 AS found FROM picker_sessions WHERE storage_id = ? AND id = ?', [storageId, id])) !== undefined;
  }

  /** Every session of the storage (the storage was deleted, or its demo emulator was replaced). */
  static async removeAll(db: HostDatabase, storageId: number): Promise<void> {
    await db.run('DELETE FROM picker_sessions WHERE storage_id = ?', [storageId]);
  }
}
