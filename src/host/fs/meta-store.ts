import type { HostDatabase } from '../state/database.js';
import { isUniqueViolation, placeholders } from '../state/sql-database.js';

/** AList's Meta (internal/model/meta.go): what applies to a folder, and with its *_sub flag to what is below it. */
export interface Meta {
  id: number;
  path: string;
  password: string;
  p_sub: boolean;
  write: boolean;
  w_sub: boolean;
  /** Regular expressions, one a line: names hidden from users who may not see hidden files. */
  hide: string;
  h_sub: boolean;
  readme: string;
  r_sub: boolean;
  header: string;
  header_sub: boolean;
}

export type MetaFields = Omit<Meta, 'id'>;

const FLAGS = ['p_sub', 'write', 'w_sub', 'h_sub', 'r_sub', 'header_sub'] as const;
const COLUMNS = 'id, path, password, p_sub, write, w_sub, hide, h_sub, readme, r_sub, header, header_sub';

type MetaRow = Omit<Meta, (typeof FLAGS)[number]> & Record<(typeof FLAGS)[number], number>;

function fromRow(row: MetaRow): Meta {
  const meta = { ...row } as unknown as Meta;
  for (const flag of FLAGS) meta[flag] = row[flag] === 1;
  return meta;
}

function toRow(fields: MetaFields): Record<string, string | number> {
  const row: Record<string, string | number> = { ...fields } as unknown as Record<string, string | number>;
  for (const flag of FLAGS) row[flag] = fields[flag] ? 1 : 0;
  return row;
}

export class DuplicateMetaPathError extends Error {
  constructor(path: string) {
    super(`A meta for ${path} exists already`);
    this.name = 'DuplicateMetaPathError';
  }
}

const WRITTEN = ['path', 'password', 'p_sub', 'write', 'w_sub', 'hide', 'h_sub', 'readme', 'r_sub', 'header', 'header_sub'] as const;

/**
 * The `metas` table; looked up by path on every fs request, so all of it is kept in memory (`open`, `reload`),
 * read synchronously, and read again after every write here.
 */
export class MetaStore {
  private constructor(private readonly db: HostDatabase, private byPathCache: Map<string, Meta>) {}

  static async open(db: HostDatabase): Promise<MetaStore> {
    return new MetaStore(db, await MetaStore.readAll(db));
  }

  private static async readAll(db: HostDatabase): Promise<Map<string, Meta>> {
    const rows = await db.all<MetaRow>(`SELECT ${COLUMNS} FROM metas ORDER BY id`);
    return new Map(rows.map((row) => [row.path, fromRow(row)]));
  }

  /** Reads the table again (another process changed it). */
  async reload(): Promise<void> {
    this.byPathCache = await MetaStore.readAll(this.db);
  }

  /** Page `page` (from 1) of `perPage` metas by id; perPage 0 = all. */
  list(page: number, perPage: number): { content: Meta[]; total: number } {
    const all = [...this.byPathCache.values()].sort((a, b) => a.id - b.id);
    return { content: perPage > 0 ? all.slice((page - 1) * perPage, page * perPage) : all, total: all.length };
  }

  byId(id: number): Meta | undefined {
    return [...this.byPathCache.values()].find((meta) => meta.id === id);
  }

  byPath(path: string): Meta | undefined {
    return this.byPathCache.get(path);
  }

  async create(fields: MetaFields): Promise<Meta> {
    return this.changing(fields.path, async () => {
      const row = toRow(fields);
      const inserted = await this.db.get<{ id: number }>(`INSERT INTO metas (${WRITTEN.join(', ')}) VALUES (${placeholders(WRITTEN.length)}) RETURNING id`,
        WRITTEN.map((name) => row[name]));
      return { id: inserted!.id, ...fields };
    });
  }

  /** False when no meta has this id. */
  async update(meta: Meta): Promise<boolean> {
    return this.changing(meta.path, async () => {
      const row = toRow(meta);
      return (await this.db.run(`UPDATE metas SET ${WRITTEN.map((name) => `${name} = ?`).join(', ')} WHERE id = ?`,
        [...WRITTEN.map((name) => row[name]), meta.id])) > 0;
    });
  }

  /** False when no meta has this id. */
  async remove(id: number): Promise<boolean> {
    const removed = (await this.db.run('DELETE FROM metas WHERE id = ?', [id])) > 0;
    await this.reload();
    return removed;
  }

  private async changing<T>(path: string, change: () => Promise<T>): Promise<T> {
    try {
      return await change();
    } catch (err) {
      if (isUniqueViolation(err)) throw new DuplicateMetaPathError(path);
      throw err;
    } finally {
      await this.reload();
    }
  }
}
