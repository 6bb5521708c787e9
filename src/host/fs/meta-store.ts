import type { HostDatabase } from '../state/database.js';

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

/** The `metas` table; looked up by path on every fs request, so all of it is kept in memory between writes. */
export class MetaStore {
  private byPathCache?: Map<string, Meta>;

  constructor(private readonly db: HostDatabase) {}

  /** Page `page` (from 1) of `perPage` metas by id; perPage 0 = all. */
  list(page: number, perPage: number): { content: Meta[]; total: number } {
    const total = (this.db.prepare('SELECT COUNT(*) AS n FROM metas').get() as { n: number }).n;
    const rows = perPage > 0
      ? this.db.prepare(`SELECT ${COLUMNS} FROM metas ORDER BY id LIMIT ? OFFSET ?`).all(perPage, (page - 1) * perPage)
      : this.db.prepare(`SELECT ${COLUMNS} FROM metas ORDER BY id`).all();
    return { content: (rows as MetaRow[]).map(fromRow), total };
  }

  byId(id: number): Meta | undefined {
    const row = this.db.prepare(`SELECT ${COLUMNS} FROM metas WHERE id = ?`).get(id) as MetaRow | undefined;
    return row && fromRow(row);
  }

  byPath(path: string): Meta | undefined {
    this.byPathCache ??= new Map((this.db.prepare(`SELECT ${COLUMNS} FROM metas`).all() as MetaRow[]).map((row) => [row.path, fromRow(row)]));
    return this.byPathCache.get(path);
  }

  /** Forgets the metas kept in memory (another process changed them): the next lookup loads them afresh. */
  reload(): void {
    this.byPathCache = undefined;
  }

  create(fields: MetaFields): Meta {
    return this.changing(fields.path, () => {
      const result = this.db.prepare(`INSERT INTO metas (path, password, p_sub, write, w_sub, hide, h_sub, readme, r_sub, header, header_sub)
        VALUES (@path, @password, @p_sub, @write, @w_sub, @hide, @h_sub, @readme, @r_sub, @header, @header_sub)`).run(toRow(fields));
      return { id: Number(result.lastInsertRowid), ...fields };
    });
  }

  /** False when no meta has this id. */
  update(meta: Meta): boolean {
    return this.changing(meta.path, () => this.db.prepare(`UPDATE metas SET path = @path, password = @password, p_sub = @p_sub, write = @write,
      w_sub = @w_sub, hide = @hide, h_sub = @h_sub, readme = @readme, r_sub = @r_sub, header = @header, header_sub = @header_sub
      WHERE id = @id`).run({ ...toRow(meta), id: meta.id }).changes > 0);
  }

  /** False when no meta has this id. */
  remove(id: number): boolean {
    this.byPathCache = undefined;
    return this.db.prepare('DELETE FROM metas WHERE id = ?').run(id).changes > 0;
  }

  private changing<T>(path: string, change: () => T): T {
    this.byPathCache = undefined;
    try {
      return change();
    } catch (err) {
      if ((err as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') throw new DuplicateMetaPathError(path);
      throw err;
    }
  }
}
