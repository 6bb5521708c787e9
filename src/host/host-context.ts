import type { Access } from './auth/access.js';
import type { AccelRedirect } from './downloads/accel-redirect.js';
import type { CacheAnnouncements } from './shared/cache-announcements.js';
import type { HostDatabase } from './state/database.js';
import type { FsService } from './fs/fs-service.js';
import type { FsWrites } from './fs/fs-writes.js';
import type { HostTasks } from './tasks/host-tasks.js';
import type { KeepJobs } from './picker/keep-jobs.js';
import type { LoginGate } from './auth/login-limiter.js';
import type { MetaRules } from './fs/metas.js';
import type { OAuthStateStore } from './auth/oauth-states.js';
import type { SessionStore } from './auth/sessions.js';
import type { SettingsStore } from './state/settings-store.js';
import type { SizeProber } from './sizes/size-prober.js';
import type { StorageManager } from './storages/storage-manager.js';
import type { UrlSigner } from './fs/url-signer.js';
import type { UserStore } from './auth/users.js';

/** Everything the routes share. */
export interface HostContext {
  db: HostDatabase;
  users: UserStore;
  sessions: SessionStore;
  settings: SettingsStore;
  access: Access;
  storages: StorageManager;
  fs: FsService;
  /** Learns the sizes of files listed without one (background probing, or bounded waits). */
  sizes: SizeProber;
  signer: UrlSigner;
  /** AList's metas (per-path password, hide, readme, header, write) and their store. */
  metas: MetaRules;
  /** Tells the other host processes on this data folder what a settings or metas write made stale in their memory. */
  caches: CacheAnnouncements;
  oauthStates: OAuthStateStore;
  loginLimiter: LoginGate;
  now: () => number;
  /** Absolute folder of data.db (kept copies go below it). */
  dataDir: string;
  keepJobs: KeepJobs;
  /** Where clients reach this server, for absolute links: the configured site URL, else the listening address. */
  siteUrl(): string;
  /** Uploads, folders, renames, removals, same-storage copies. */
  writes: FsWrites;
  /** Upload and copy tasks (persisted; resumed after a restart). */
  tasks: HostTasks;
  /** Largest file an upload may carry, in bytes. */
  maxUploadBytes: number;
  /** The nginx internal-redirect mode for proxied downloads, when on (docs/deploy.md). */
  accelRedirect?: AccelRedirect;
}
