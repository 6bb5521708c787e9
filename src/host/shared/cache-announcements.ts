import type { FsService } from '../fs/fs-service.js';
import type { CacheChange } from './cache-change.js';
import type { Coordination } from './coordination.js';

/** Something kept in memory and loaded from the database: `reload` makes it read the database afresh. */
export interface Reloadable {
  reload(): void | Promise<void>;
}

/** The caches of this process that a write made by another process makes stale. */
export interface ProcessCaches {
  fs: Pick<FsService, 'forgetListings' | 'forgetObject' | 'reset'>;
  /** Every storage this process serves. */
  storageIds(): number[];
  settings: Reloadable;
  metas: Reloadable;
}

/**
 * Keeps the in-memory caches of host processes that share one data folder in step: what this process wrote is
 * announced (through the Coordination: Redis pub/sub, or nothing in one process alone), and what another process
 * announces is forgotten here, as the writing process forgets it locally.
 */
export class CacheAnnouncements {
  constructor(private readonly coordination: Coordination, private readonly caches: ProcessCaches) {
    coordination.onCacheChange((change) => {
      // A reload that fails (the database away) leaves the cache to the store; nothing more to do here.
      this.forget(change).catch(() => undefined);
    });
  }

  /** This process wrote to a storage; `objId`: the object that changed or went, if known. */
  storageContentChanged(storageId: number, objId?: string): void {
    this.coordination.announceCacheChange({ kind: 'storage-content', storageId, objIds: objId === undefined ? [] : [objId] });
  }

  /** This process saved settings (the token among them). */
  settingsChanged(): void {
    this.coordination.announceCacheChange({ kind: 'settings' });
  }

  /** This process created, changed or deleted a meta. */
  metasChanged(): void {
    this.coordination.announceCacheChange({ kind: 'metas' });
  }

  private async forget(change: CacheChange): Promise<void> {
    const { fs, settings, metas } = this.caches;
    switch (change.kind) {
      case 'storage-content':
        fs.forgetListings(change.storageId);
        for (const objId of change.objIds) fs.forgetObject(change.storageId, objId);
        return;
      case 'settings':
        return settings.reload();
      case 'metas':
        return metas.reload();
      case 'everything':
        for (const storageId of this.caches.storageIds()) fs.reset(storageId);
        await settings.reload();
        await metas.reload();
    }
  }
}
