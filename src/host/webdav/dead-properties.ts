import type { FsService } from '../fs/fs-service.js';
import { joinSegments } from '../fs/paths.js';
import type { HostDatabase } from '../state/database.js';
import type { SqlQueries } from '../state/sql-database.js';
import { buildFragment, parseXml, type XmlElement } from './dav-xml.js';

/** Where a resource's properties are kept: its storage and its path inside it (a mount path may change). */
interface PropertyKey {
  storageId: number;
  path: string;
}

export type PropertyChange = { kind: 'set'; property: XmlElement } | { kind: 'remove'; ns: string; local: string };

function likePrefix(path: string): string {
  return `${(path === '/' ? '' : path).replace(/[\\%_]/g, (c) => `\\${c}`)}/%`;
}

/**
 * Dead properties (PROPPATCH) in the dav_properties table, each as the XML of its element. They follow their
 * resource when it is moved or copied through WebDAV and go when it is deleted; a storage's go with the storage.
 * Only resources inside a storage can have them.
 */
const SELECT_ONE = 'SELECT value FROM dav_properties WHERE storage_id = ? AND path = ? ORDER BY namespace, name';
const SELECT_TREE = `SELECT path, namespace, name, value FROM dav_properties WHERE storage_id = ? AND (path = ? OR path LIKE ? ESCAPE '\\')`;
const UPSERT = `INSERT INTO dav_properties (storage_id, path, namespace, name, value) VALUES (?, ?, ?, ?, ?)
  ON CONFLICT (storage_id, path, namespace, name) DO UPDATE SET value = excluded.value`;
const DELETE_ONE = 'DELETE FROM dav_properties WHERE storage_id = ? AND path = ? AND namespace = ? AND name = ?';
const DELETE_TREE = `DELETE FROM dav_properties WHERE storage_id = ? AND (path = ? OR path LIKE ? ESCAPE '\\')`;

export class DeadProperties {
  constructor(private readonly db: HostDatabase, private readonly fs: FsService) {}

  keyOf(path: string): PropertyKey | undefined {
    try {
      const resolved = this.fs.resolve(path);
      if (resolved.kind !== 'storage') return undefined;
      return { storageId: resolved.live.row.id, path: joinSegments(resolved.rest) };
    } catch {
      return undefined;
    }
  }

  async all(path: string): Promise<XmlElement[]> {
    const key = this.keyOf(path);
    if (!key) return [];
    const rows = await this.db.all<{ value: string }>(SELECT_ONE, [key.storageId, key.path]);
    return rows.flatMap((row) => {
      const property = parseXml(row.value);
      return property ? [property] : [];
    });
  }

  /** Applies every change, or none (one transaction). */
  async apply(path: string, changes: PropertyChange[]): Promise<void> {
    const key = this.keyOf(path);
    if (!key) throw new Error(`${path} cannot have properties`);
    await this.db.transaction(async (tx) => {
      for (const change of changes) {
        if (change.kind === 'set') await tx.run(UPSERT, [key.storageId, key.path, change.property.ns, change.property.local, buildFragment(change.property)]);
        else await tx.run(DELETE_ONE, [key.storageId, key.path, change.ns, change.local]);
      }
    });
  }

  /** The properties at and below `from` are copied (or moved) to the same places below `to`. */
  async carry(from: string, to: string, move: boolean): Promise<void> {
    const source = this.keyOf(from);
    const target = this.keyOf(to);
    if (!source || !target) return;
    await this.db.transaction(async (tx) => {
      const rows = await tx.all<{ path: string; namespace: string; name: string; value: string }>(SELECT_TREE,
        [source.storageId, source.path, likePrefix(source.path)]);
      await this.removeKey(tx, target);
      if (move) await this.removeKey(tx, source);
      for (const row of rows) await tx.run(UPSERT, [target.storageId, target.path + row.path.slice(source.path.length), row.namespace, row.name, row.value]);
    });
  }

  /** The resource at `path` and everything below it are gone. */
  async remove(path: string): Promise<void> {
    const key = this.keyOf(path);
    if (key) await this.removeKey(this.db, key);
  }

  private async removeKey(db: SqlQueries, key: PropertyKey): Promise<void> {
    await db.run(DELETE_TREE, [key.storageId, key.path, likePrefix(key.path)]);
  }
}
