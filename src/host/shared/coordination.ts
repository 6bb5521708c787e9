import type { SharedTokenCache } from '../../driver/google-photos/shared-tokens.js';
import { LoginLimiter, type LoginGate, type LoginLimits } from '../auth/login-limiter.js';
import { OAuthStates, type OAuthStateStore } from '../auth/oauth-states.js';
import type { CacheChange } from './cache-change.js';
import { InProcessTaskClaims, type TaskClaims } from '../tasks/task-claims.js';

/**
 * What host processes sharing one data folder coordinate: Google access tokens (one refresh for all), storage
 * changes (every process reloads the storage), cache changes (every process forgets what another's write made
 * stale) and who runs which task. In-process by default; Redis when a REDIS_URL is given.
 */
export interface Coordination {
  /** Where the drivers of this storage share their access token; undefined: each driver refreshes its own. */
  tokenCacheFor(storageId: number): SharedTokenCache | undefined;
  /** Where Google authorizations wait for their redirect (which may land on another process). */
  oauthStates(now: () => number): OAuthStateStore;
  /** Counts failed logins (by address and by username) and decides when to refuse or slow them. */
  loginLimiter(now: () => number, limits: Partial<LoginLimits>): LoginGate;
  /** This process created, changed, enabled, disabled or deleted the storage: tell the others. */
  announceStorageChange(storageId: number): void;
  /** Called for every change another process announced. */
  onStorageChange(listener: (storageId: number) => void): void;
  /** This process wrote something the others may keep in memory: tell them to forget it. Never throws. */
  announceCacheChange(change: CacheChange): void;
  /** Called for every cache change another process announced, and with `everything` when some may have been lost. */
  onCacheChange(listener: (change: CacheChange) => void): void;
  /** Claims on tasks, so a task runs in one process at a time and is taken over when its process died. */
  taskClaims(): TaskClaims;
  close(): Promise<void>;
}

/** One process alone: nothing to share. */
export class InProcessCoordination implements Coordination {
  tokenCacheFor(): undefined {
    return undefined;
  }

  oauthStates(now: () => number): OAuthStates {
    return new OAuthStates(now);
  }

  loginLimiter(now: () => number, limits: Partial<LoginLimits>): LoginLimiter {
    return new LoginLimiter(now, limits);
  }

  announceStorageChange(): void {}

  onStorageChange(): void {}

  announceCacheChange(): void {}

  onCacheChange(): void {}

  taskClaims(): InProcessTaskClaims {
    return new InProcessTaskClaims();
  }

  async close(): Promise<void> {}
}
