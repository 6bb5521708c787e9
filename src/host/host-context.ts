import type { Access } from './access.js';
import type { HostDatabase } from './database.js';
import type { FsService } from './fs-service.js';
import type { KeepJobs } from './keep-jobs.js';
import type { LoginLimiter } from './login-limiter.js';
import type { OAuthStates } from './oauth-states.js';
import type { SessionStore } from './sessions.js';
import type { SettingsStore } from './settings-store.js';
import type { StorageManager } from './storage-manager.js';
import type { UrlSigner } from './url-signer.js';
import type { UserStore } from './users.js';

/** Everything the routes share. */
export interface HostContext {
  db: HostDatabase;
  users: UserStore;
  sessions: SessionStore;
  settings: SettingsStore;
  access: Access;
  storages: StorageManager;
  fs: FsService;
  signer: UrlSigner;
  oauthStates: OAuthStates;
  loginLimiter: LoginLimiter;
  now: () => number;
  /** Absolute folder of data.db (kept copies go below it). */
  dataDir: string;
  keepJobs: KeepJobs;
}
