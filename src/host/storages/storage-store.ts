import type { HostDatabase } from '../state/database.js';
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

function isUniqueViolation(err: unknown): boolean {
  return (err as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE';
}

/** CRUD on the storages table; each write is one transaction. */
export class StorageStore {
  constructor(private readonly db: HostDatabase, private readonly now: () => number) {}

  private stamp(): string {
    return new Date(this.now()).toISOString();
  }

  list(): StorageRow[] {
    const rows = this.db.prepare('SELECT * FROM storages ORDER BY "order", mount_path').all() as RawRow[];
    return rows.map(fromRaw);
  }

  get(id: number): StorageRow | undefined {
    const raw = this.db.prepare('SELECT * FROM storages WHERE id = ?').get(id) as RawRow | undefined;
    return raw && fromRaw(raw);
  }

  /** `onlyProxy`: the driver can only proxy (AList then defaults webdav_policy to native_proxy). */
  create(storage: NewStorage, onlyProxy = false): StorageRow {
    const row = { ...defaultStorageOptions(onlyProxy), ...storage, modified: this.stamp() };
    try {
      const result = this.db
        .prepare(`INSERT INTO storages (${WRITTEN.map(column).join(', ')}, status) VALUES (${WRITTEN.map((name) => `@${name}`).join(', ')}, '')`)
        .run(toRaw(row));
      return this.get(Number(result.lastInsertRowid))!;
    } catch (err) {
      if (isUniqueViolation(err)) throw new DuplicateMountPathError(storage.mount_path);
      throw err;
    }
  }

  update(id: number, patch: Partial<NewStorage>): StorageRow | undefined {
    const current = this.get(id);
    if (!current) return undefined;
    const next = { ...current, ...patch, modified: this.stamp() };
    try {
      this.db
        .prepare(`UPDATE storages SET ${WRITTEN.map((name) => `${column(name)} = @${name}`).join(', ')} WHERE id = @id`)
        .run(toRaw(next));
    } catch (err) {
      if (isUniqueViolation(err)) throw new DuplicateMountPathError(next.mount_path);
      throw err;
    }
    return this.get(id);
  }

  /** Merge keys into the stored settings in one transaction (read-modify-write cannot interleave). */
  mergeAddition(id: number, patch: Record<string, unknown>): StorageRow | undefined {
    const merge = this.db.transaction(() => {
      const current = this.get(id);
      if (!current) return undefined;
      const addition = { ...parseAddition(current.addition), ...patch };
      this.db.prepare('UPDATE storages SET addition = ?, modified = ? WHERE id = ?').run(JSON.stringify(addition), this.stamp(), id);
      return this.get(id);
    });
    return merge.immediate();
  }

  setStatus(id: number, status: string): void {
    this.db.prepare('UPDATE storages SET status = ? WHERE id = ?').run(status, id);
  }

  delete(id: number): boolean {
    return this.db.prepare('DELETE FROM storages WHERE id = ?').run(id).changes > 0;
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
