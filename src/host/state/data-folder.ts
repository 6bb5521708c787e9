import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';

/** Copies kept from picking sessions go below `<data>/kept`. */
export const KEPT_FOLDER_NAME = 'kept';
export const PRIVATE_FOLDER_MODE = 0o700;
const PRIVATE_FILE_MODE = 0o600;
const DATABASE_FILES = ['data.db', 'data.db-wal', 'data.db-shm', 'data.db-journal'];

/**
 * The data folder holds password hashes, refresh tokens, the URL-signing key and the kept copies: only the
 * server's own user may read it, whatever the umask. Creates it (0700) when missing, and tightens a folder, its
 * `kept` folder and the database files (0600) left with looser modes, e.g. by an older version or a copy.
 * A mode that cannot be changed (another user owns the file) is reported as a warning, not a failure.
 */
export function makeDataFolderPrivate(dataDir: string): void {
  mkdirSync(dataDir, { recursive: true, mode: PRIVATE_FOLDER_MODE });
  restrict(dataDir, PRIVATE_FOLDER_MODE);
  const kept = path.join(dataDir, KEPT_FOLDER_NAME);
  if (existsSync(kept)) restrict(kept, PRIVATE_FOLDER_MODE);
  makeDatabaseFilesPrivate(dataDir);
}

/** The database and its -wal/-shm/-journal files, those that exist. */
export function makeDatabaseFilesPrivate(dataDir: string): void {
  for (const name of DATABASE_FILES) {
    const file = path.join(dataDir, name);
    if (existsSync(file)) restrict(file, PRIVATE_FILE_MODE);
  }
}

function restrict(file: string, mode: number): void {
  try {
    chmodSync(file, mode);
  } catch (err) {
    process.emitWarning(`Cannot make ${file} private (${(err as NodeJS.ErrnoException).code}); other local users may read it`);
  }
}
