import type { FsService } from '../fs/fs-service.js';
import { joinSegments } from '../fs/paths.js';
import type { HostDatabase } from '../state/database.js';
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
export class DeadProperties {
  private readonly selectOne;
  private readonly selectTree;
  private readonly upsert;
  private readonly deleteOne;
  private readonly deleteTree;

  constructor(private readonly db: HostDatabase, private readonly fs: FsService) {
    this.selectOne = db.prepare('SELECT value FROM dav_properties WHERE storage_id = ? AND path = ? ORDER BY namespace, name');
    this.selectTree = db.prepare(`SELECT path, namespace, name, value FROM dav_properties WHERE storage_id = ? AND (path = ? OR path LIKE ? ESCAPE '\\')`);
    this.upsert = db.prepare(`INSERT INTO dav_properties (storage_id, path, namespace, name, value) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT (storage_id, path, namespace, name) DO UPDATE SET value = excluded.value`);
    this.deleteOne = db.prepare('DELETE FROM dav_properties WHERE storage_id = ? AND path = ? AND namespace = ? AND name = ?');
    this.deleteTree = db.prepare(`DELETE FROM dav_properties WHERE storage_id = ? AND (path = ? OR path LIKE ? ESCAPE '\\')`);
  }

  keyOf(path: string): PropertyKey | undefined {
    try {
      const resolved = this.fs.resolve(path);
      if (resolved.kind !== 'storage') return undefined;
      return { storageId: resolved.live.row.id, path: joinSegments(resolved.rest) };
    } catch {
      return undefined;
    }
  }

  all(path: string): XmlElement[] {
    const key = this.keyOf(path);
    if (!key) return [];
    const rows = this.selectOne.all(key.storageId, key.path) as Array<{ value: string }>;
    return rows.flatMap((row) => {
      const property = parseXml(row.value);
      return property ? [property] : [];
    });
  }

  /** Applies every change, or none (one transaction). */
  apply(path: string, changes: PropertyChange[]): void {
    const key = this.keyOf(path);
    if (!key) throw new Error(`${path} cannot have properties`);
    this.db.transaction(() => {
      for (const change of changes) {
        if (change.kind === 'set') this.upsert.run(key.storageId, key.path, change.property.ns, change.property.local, buildFragment(change.property));
        else this.deleteOne.run(key.storageId, key.path, change.ns, change.local);
      }
    })();
  }

  /** The properties at and below `from` are copied (or moved) to the same places below `to`. */
  carry(from: string, to: string, move: boolean): void {
    const source = this.keyOf(from);
    const target = this.keyOf(to);
    if (!source || !target) return;
    this.db.transaction(() => {
      const rows = this.selectTree.all(source.storageId, source.path, likePrefix(source.path)) as Array<{ path: string; namespace: string; name: string; value: string }>;
      this.removeKey(target);
      if (move) this.removeKey(source);
      for (const row of rows) this.upsert.run(target.storageId, target.path + row.path.slice(source.path.length), row.namespace, row.name, row.value);
    })();
  }

  /** The resource at `path` and everything below it are gone. */
  remove(path: string): void {
    const key = this.keyOf(path);
    if (key) this.removeKey(key);
  }

  private removeKey(key: PropertyKey): void {
    this.deleteTree.run(key.storageId, key.path, likePrefix(key.path));
  }
}
