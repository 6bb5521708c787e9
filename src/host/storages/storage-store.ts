import type { HostDatabase } from '../state/database.js';
import { isUniqueViolation, placeholders, type SqlQueries } from '../state/sql-database.js';
import { defaultStorageOptions, type StorageOptions } from './storage-options.js';

/** A storage as persisted. `addition` is the driver's settings as a JSON string (AList's shape). */
export interface StorageRow extends StorageOptions {
  id: number;
  mount_path: string;
  driver: string;
  order: number;
  addition: string;
  status: string;
  disabled: boolean;
  cache_expiration: number;
  remark: string;
  modified: string;
  demo: boolean;
}

/** A storage to create: the common options left out get AList's defaults. */
export type NewStorage = Omit<StorageRow, 'id' | 'status' | 'modified' | keyof StorageOptions> & Partial<StorageOptions>;

const FLAGS = ['disabled', 'demo', 'web_proxy', 'enable_sign', 'proxy_range'] as const;
type Flag = (typeof FLAGS)[number];

type RawRow = Omit<StorageRow, Flag> & Record<Flag, number>;

function fromRaw(raw: RawRow): StorageRow {
  const row = { ...raw } as unknown as StorageRow;
  for (const flag of FLAGS) row[flag] = raw[flag] !== 0;
  return row;
}

function toRaw(row: Omit<StorageRow, 'id' | 'status' | 'modified'> & { id?: number; modified: string }): Record<string, unknown> {
  const raw: Record<string, unknown> = { ...row };
  for (const flag of FLAGS) raw[flag] = row[flag] ? 1 : 0;
  return raw;
}

/** The columns a create or update writes (all but id and status). */
const WRITTEN = ['mount_path', 'driver', 'order', 'addition', 'disabled', 'cache_expiration', 'remark', 'modified', 'demo',
  'order_by', 'order_direction', 'extract_folder', 'web_proxy', 'webdav_policy', 'down_proxy_url', 'enable_sign', 'proxy_range'];
const column = (name: string) => (name === 'order' ? '"order"' : name);

export class DuplicateMountPathError extends Error {
  constructor(mountPath: string) {
    super(`A storage is already mounted at ${mountPath}`);
    this.name = 'DuplicateMountPathError';
  }
}

/** CRUD on the storages table; each write is one transaction. */
export class StorageStore {
  constructor(private readonly db: HostDatabase, private readonly now: () => number) {}

  private stamp(): string {
    return new Date(this.now()).toISOString();
  }

  async list(): Promise<StorageRow[]> {
    return (await this.db.all<RawRow>('SELECT * FROM storages ORDER BY "order", mount_path')).map(fromRaw);
  }

  async get(id: number, db: SqlQueries = this.db): Promise<StorageRow | undefined> {
    const raw = await db.get<RawRow>('SELECT * FROM storages WHERE id = ?', [id]);
    return raw && fromRaw(raw);
  }

  /** `onlyProxy`: the driver can only proxy (AList then defaults webdav_policy to native_proxy). */
  async create(storage: NewStorage, onlyProxy = false): Promise<StorageRow> {
    const raw = toRaw({ ...defaultStorageOptions(onlyProxy), ...storage, modified: this.stamp() });
    try {
      const row = await this.db.get<RawRow>(`INSERT INTO storages (${WRITTEN.map(column).join(', ')}, status) VALUES (${placeholders(WRITTEN.length)}, '')
        RETURNING *`, WRITTEN.map((name) => raw[name]));
      return fromRaw(row!);
    } catch (err) {
      if (isUniqueViolation(err)) throw new DuplicateMountPathError(storage.mount_path);
      throw err;
    }
  }

  async update(id: number, patch: Partial<NewStorage>): Promise<StorageRow | undefined> {
    const current = await this.get(id);
    if (!current) return undefined;
    const next = { ...current, ...patch, modified: this.stamp() };
    const raw = toRaw(next);
    try {
      const row = await this.db.get<RawRow>(`UPDATE storages SET ${WRITTEN.map((name) => `${column(name)} = ?`).join(', ')} WHERE id = ? RETURNING *`,
        [...WRITTEN.map((name) => raw[name]), id]);
      return row && fromRaw(row);
    } catch (err) {
      if (isUniqueViolation(err)) throw new DuplicateMountPathError(next.mount_path);
      throw err;
    }
  }

  /** Merge keys into the stored settings in one transaction (read-modify-write cannot interleave). */
  async mergeAddition(id: number, patch: Record<string, unknown>): Promise<StorageRow | undefined> {
    return this.db.transaction(async (tx) => {
      // FOR UPDATE: on PostgreSQL a second merge of the same row waits here (SQLite's transaction holds the write lock).
      const raw = await tx.get<RawRow>(`SELECT * FROM storages WHERE id = ?${tx.dialect === 'postgres' ? ' FOR UPDATE' : ''}`, [id]);
      if (!raw) return undefined;
      const addition = { ...parseAddition(raw.addition), ...patch };
      const row = await tx.get<RawRow>('UPDATE storages SET addition = ?, modified = ? WHERE id = ? RETURNING *', [JSON.stringify(addition), this.stamp(), id]);
      return row && fromRaw(row);
    });
  }

  async setStatus(id: number, status: string): Promise<void> {
    await this.db.run('UPDATE storages SET status = ? WHERE id = ?', [status, id]);
  }

  async delete(id: number): Promise<boolean> {
    return (await this.db.run('DELETE FROM storages WHERE id = ?', [id])) > 0;
  }
}

export function parseAddition(addition: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(addition || '{}');
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
