import type { HostDatabase } from '../state/database.js';

/** A storage as persisted. `addition` is the driver's settings as a JSON string (AList's shape). */
export interface StorageRow {
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

export type NewStorage = Omit<StorageRow, 'id' | 'status' | 'modified'>;

interface RawRow extends Omit<StorageRow, 'disabled' | 'demo'> {
  disabled: number;
  demo: number;
}

function fromRaw(raw: RawRow): StorageRow {
  return { ...raw, disabled: raw.disabled !== 0, demo: raw.demo !== 0 };
}

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

  create(storage: NewStorage): StorageRow {
    try {
      const result = this.db
        .prepare(
          `INSERT INTO storages (mount_path, driver, "order", addition, status, disabled, cache_expiration, remark, modified, demo)
           VALUES (@mount_path, @driver, @order, @addition, '', @disabled, @cache_expiration, @remark, @modified, @demo)`,
        )
        .run({ ...storage, disabled: storage.disabled ? 1 : 0, demo: storage.demo ? 1 : 0, modified: this.stamp() });
      return this.get(Number(result.lastInsertRowid))!;
    } catch (err) {
      if (isUniqueViolation(err)) throw new DuplicateMountPathError(storage.mount_path);
      throw err;
    }
  }

  update(id: number, patch: Partial<NewStorage>): StorageRow | undefined {
    const current = this.get(id);
    if (!current) return undefined;
    const next = { ...current, ...patch };
    try {
      this.db
        .prepare(
          `UPDATE storages SET mount_path = @mount_path, driver = @driver, "order" = @order, addition = @addition,
             disabled = @disabled, cache_expiration = @cache_expiration, remark = @remark, modified = @modified, demo = @demo
           WHERE id = @id`,
        )
        .run({ ...next, disabled: next.disabled ? 1 : 0, demo: next.demo ? 1 : 0, modified: this.stamp() });
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
