import type { SharedTokenCache } from '../../driver/google-photos/shared-tokens.js';

/**
 * What host processes sharing one data folder coordinate: Google access tokens (one refresh for all) and storage
 * changes (every process reloads the storage). In-process by default; Redis when a REDIS_URL is given.
 */
export interface Coordination {
  /** Where the drivers of this storage share their access token; undefined: each driver refreshes its own. */
  tokenCacheFor(storageId: number): SharedTokenCache | undefined;
  /** This process created, changed, enabled, disabled or deleted the storage: tell the others. */
  announceStorageChange(storageId: number): void;
  /** Called for every change another process announced. */
  onStorageChange(listener: (storageId: number) => void): void;
  close(): Promise<void>;
}

/** One process alone: nothing to share. */
export class InProcessCoordination implements Coordination {
  tokenCacheFor(): undefined {
    return undefined;
  }

  announceStorageChange(): void {}

  onStorageChange(): void {}

  async close(): Promise<void> {}
}
