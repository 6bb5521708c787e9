import type { SqlQueries } from './sql-database.js';
import type { Migration } from './migrations.js';

/**
 * SQLite's schema before versioned migrations: tables were only ever added (CREATE TABLE IF NOT EXISTS) and columns
 * only ever added too (ADDED_COLUMNS), so migration 1 brings a database of any older version to the same state.
 */
const SCHEMA_BEFORE_MIGRATIONS = `
CREATE TABLE IF NOT EXISTS storages (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  mount_path TEXT NOT NULL UNIQUE,
  driver TEXT NOT NULL,
  "order" INTEGER NOT NULL DEFAULT 0,
  addition TEXT NOT NULL DEFAULT '{}',
  status TEXT NOT NULL DEFAULT '',
  disabled INTEGER NOT NULL DEFAULT 0,
  cache_expiration INTEGER NOT NULL DEFAULT 30,
  remark TEXT NOT NULL DEFAULT '',
  modified TEXT NOT NULL,
  demo INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS users (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  username TEXT NOT NULL UNIQUE,
  password_hash TEXT NOT NULL,
  role INTEGER NOT NULL DEFAULT 0,
  base_path TEXT NOT NULL DEFAULT '/',
  permission INTEGER NOT NULL DEFAULT 0,
  disabled INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS metas (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  path TEXT NOT NULL UNIQUE,
  password TEXT NOT NULL DEFAULT '',
  p_sub INTEGER NOT NULL DEFAULT 0,
  write INTEGER NOT NULL DEFAULT 0,
  w_sub INTEGER NOT NULL DEFAULT 0,
  hide TEXT NOT NULL DEFAULT '',
  h_sub INTEGER NOT NULL DEFAULT 0,
  readme TEXT NOT NULL DEFAULT '',
  r_sub INTEGER NOT NULL DEFAULT 0,
  header TEXT NOT NULL DEFAULT '',
  header_sub INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS picker_sessions (
  storage_id INTEGER NOT NULL,
  id TEXT NOT NULL,
  label TEXT,
  created_at TEXT NOT NULL,
  expire_time TEXT NOT NULL,
  picker_uri TEXT NOT NULL,
  media_items_set INTEGER NOT NULL DEFAULT 0,
  item_count INTEGER,
  PRIMARY KEY (storage_id, id)
);
CREATE TABLE IF NOT EXISTS keep_jobs (
  id TEXT PRIMARY KEY,
  storage_id INTEGER NOT NULL,
  session_id TEXT NOT NULL,
  target TEXT NOT NULL,
  status TEXT NOT NULL,
  progress TEXT NOT NULL DEFAULT '{}',
  error TEXT,
  started_at TEXT NOT NULL,
  finished_at TEXT
);
CREATE TABLE IF NOT EXISTS auth_sessions (
  token_hash TEXT PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS auth_sessions_expires_at ON auth_sessions (expires_at);
CREATE INDEX IF NOT EXISTS auth_sessions_user_id ON auth_sessions (user_id);
CREATE TABLE IF NOT EXISTS tasks (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  name TEXT NOT NULL,
  state INTEGER NOT NULL,
  status TEXT NOT NULL DEFAULT '',
  payload TEXT NOT NULL DEFAULT '{}',
  done_bytes INTEGER NOT NULL DEFAULT 0,
  total_bytes INTEGER NOT NULL DEFAULT 0,
  error TEXT NOT NULL DEFAULT '',
  attempts INTEGER NOT NULL DEFAULT 0,
  creator_id INTEGER NOT NULL DEFAULT 0,
  detail TEXT NOT NULL DEFAULT '{}',
  created_at TEXT NOT NULL DEFAULT '',
  start_time TEXT,
  end_time TEXT
);
CREATE INDEX IF NOT EXISTS tasks_kind_state ON tasks (kind, state);
CREATE TABLE IF NOT EXISTS task_done_files (
  task_id TEXT NOT NULL,
  path TEXT NOT NULL,
  PRIMARY KEY (task_id, path)
);
CREATE TABLE IF NOT EXISTS item_sizes (
  storage_id INTEGER NOT NULL REFERENCES storages(id) ON DELETE CASCADE,
  item_id TEXT NOT NULL,
  size INTEGER NOT NULL,
  learnt_at INTEGER NOT NULL,
  PRIMARY KEY (storage_id, item_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS dav_properties (
  storage_id INTEGER NOT NULL REFERENCES storages(id) ON DELETE CASCADE,
  path TEXT NOT NULL,
  namespace TEXT NOT NULL,
  name TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (storage_id, path, namespace, name)
) WITHOUT ROWID;
`;

/**
 * Columns added to existing tables after their first release: each is added (ALTER TABLE ... ADD COLUMN, with a
 * default for the rows already there) when a database of an older version lacks it.
 */
const ADDED_COLUMNS: Record<string, Record<string, string>> = {
  users: {
    base_path: "TEXT NOT NULL DEFAULT '/'",
    permission: 'INTEGER NOT NULL DEFAULT 0',
    disabled: 'INTEGER NOT NULL DEFAULT 0',
  },
  storages: {
    order_by: "TEXT NOT NULL DEFAULT ''",
    order_direction: "TEXT NOT NULL DEFAULT ''",
    extract_folder: "TEXT NOT NULL DEFAULT ''",
    web_proxy: 'INTEGER NOT NULL DEFAULT 0',
    webdav_policy: "TEXT NOT NULL DEFAULT '302_redirect'",
    down_proxy_url: "TEXT NOT NULL DEFAULT ''",
    enable_sign: 'INTEGER NOT NULL DEFAULT 0',
    proxy_range: 'INTEGER NOT NULL DEFAULT 0',
  },
};

/** Adds the columns a table lacks (ALTER TABLE … ADD COLUMN, with a default for the rows already there). */
async function addMissingColumns(db: SqlQueries, table: string, columns: Record<string, string>): Promise<void> {
  const existing = new Set((await db.all<{ name: string }>(`PRAGMA table_info("${table}")`)).map((column) => column.name));
  for (const [name, definition] of Object.entries(columns)) {
    if (!existing.has(name)) await db.run(`ALTER TABLE "${table}" ADD COLUMN "${name}" ${definition}`);
  }
}

/** SQLite's migrations, in order; a version once released never changes (add a new one instead). */
export const SQLITE_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'the tables and columns of every version before numbered migrations',
    async apply(db) {
      await db.exec(SCHEMA_BEFORE_MIGRATIONS);
      for (const [table, columns] of Object.entries(ADDED_COLUMNS)) await addMissingColumns(db, table, columns);
      // Roles were text before AList's numbers (0 general, 1 guest, 2 admin); an older `role TEXT` column keeps
      // its affinity, so readers cast it (see UserStore).
      await db.run("UPDATE users SET role = CASE role WHEN 'admin' THEN 2 WHEN 'guest' THEN 1 ELSE 0 END WHERE role IN ('admin', 'guest')");
    },
  },
];
