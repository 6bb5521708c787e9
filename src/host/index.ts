import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { registerBuiltinDrivers } from '../driver/index.js';
import type { Emulator } from '../emulator/index.js';
import { Access } from './auth/access.js';
import type { DownloadIdleTimeouts } from './downloads/download.js';
import { AccelRedirect, type AccelRedirectOptions } from './downloads/accel-redirect.js';
import { tuneMemoryForStreaming } from './downloads/stream-memory.js';
import { sendError } from './routes/api-error.js';
import { answerClientError } from './routes/client-error.js';
import { openDatabase, type HostDatabase } from './state/database.js';
import { prepareDemoStorage } from './storages/demo-storage.js';
import { FsService } from './fs/fs-service.js';
import { FsWrites } from './fs/fs-writes.js';
import { HostTasks } from './tasks/host-tasks.js';
import { registerFsWriteRoutes } from './routes/fs-write-routes.js';
import { registerUnsupportedRoutes } from './routes/unsupported-routes.js';
import { registerTaskRoutes } from './routes/task-routes.js';
import { SizeBook } from './sizes/size-book.js';
import { SizeProber, type SizeProberOptions } from './sizes/size-prober.js';
import { DatabaseSizeStore } from './sizes/database-size-store.js';
import { learnFolderSizes, type FolderSizes } from './sizes/folder-sizes.js';
import type { HostContext } from './host-context.js';
import { KeepJobs } from './picker/keep-jobs.js';
import { requestLogOptions } from './request-log.js';
import { listeningUrl, normalizeSiteUrl } from './site-url.js';
import { canPick, forgetPickedListings, PICKED_FOLDER_ID } from './picker/picked-folders.js';
import { DatabasePickerSessionStore } from './picker/database-picker-sessions.js';
import { registerAdminDriverRoutes } from './routes/admin-driver-routes.js';
import { registerAdminStorageRoutes } from './routes/admin-storage-routes.js';
import { registerAuthRoutes } from './routes/auth-routes.js';
import { registerDownloadRoutes } from './routes/download-routes.js';
import { registerFsRoutes } from './routes/fs-routes.js';
import { registerGoogleRoutes } from './routes/google-routes.js';
import { registerPageRoutes, type WebUi } from './routes/page-routes.js';
import { registerPickerRoutes } from './routes/picker-routes.js';
import { registerSettingsRoutes } from './routes/settings-routes.js';
import { registerUserRoutes } from './routes/user-routes.js';
import { registerPublicRoutes } from './routes/public-routes.js';
import { registerCors } from './cors.js';
import { registerWebdav } from './webdav/dav-routes.js';
import { SessionStore } from './auth/sessions.js';
import { SettingsStore } from './state/settings-store.js';
import { StorageManager, type DriverOptionsFor } from './storages/storage-manager.js';
import { StorageStore } from './storages/storage-store.js';
import { UrlSigner } from './fs/url-signer.js';
import { MetaRules } from './fs/metas.js';
import { MetaStore } from './fs/meta-store.js';
import { registerAdminMetaRoutes } from './routes/admin-meta-routes.js';
import { registerAdminSettingRoutes } from './routes/admin-setting-routes.js';
import { passwordProblem, UserStore } from './auth/users.js';
import { ensureBuiltinUsers } from './auth/builtin-users.js';
import { openCoordination } from './shared/open-coordination.js';
import { CacheAnnouncements } from './shared/cache-announcements.js';

export { DEMO_REMARK } from './storages/storage-view.js';
export { SECRET_MASK } from './storages/secrets.js';

export interface HostOptions {
  /** Folder of data.db; created when missing. */
  dataDir: string;
  /** Default 5244; 0 = any free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /**
   * Password of the `admin` user created on first start (at least 8 characters); default env ADMIN_PASSWORD, else
   * generated. An empty or shorter one is refused with an error.
   */
  adminPassword?: string;
  /**
   * Mount the emulator-backed demo storage when no storage exists. Default: yes for a process alone; no when
   * `databaseUrl` or `redisUrl` is given (processes that share their state never mount it unasked).
   */
  demo?: boolean;
  /**
   * Where clients reach the server (e.g. https://files.example.org behind a proxy), for the absolute links it
   * hands out; wins over the site_url setting. Without either, the listening address. Never the Host header.
   */
  siteUrl?: string;
  /** Fastify's request log, with secrets redacted (default off). */
  logger?: boolean;
  /** Where that log goes (default stdout). */
  logStream?: NodeJS.WritableStream;
  /** Extra options for the driver of a storage (e.g. tiny retry delays in tests). */
  driverOptions?: DriverOptionsFor;
  /** Failed logins per address allowed in 5 minutes (default 5; see LoginLimiter for the per-account slowdown). */
  maxLoginFailures?: number;
  /**
   * A proxied download is cut off when its client reads nothing for `client` ms, or its storage sends nothing
   * mid-body for `upstream` ms (default 60 s each).
   */
  downloadIdleTimeoutMs?: DownloadIdleTimeouts;
  /** How file sizes are probed (HEAD requests at once per storage, timeout); defaults suit Google Photos. */
  sizeProbing?: SizeProberOptions;
  /** Clock in ms for sessions, signs, OAuth states and caches (default Date.now). */
  now?: () => number;
  /** Largest file an upload may carry, in bytes (default 16 GiB). */
  maxUploadBytes?: number;
  /** The web UI served: the host's own (default) or OpenList's frontend from vendor/openlist-frontend. */
  ui?: WebUi;
  /**
   * nginx's internal-redirect mode (docs/deploy.md): proxied downloads of requests that carry the secret in
   * X-Accel-Secret are answered with X-Accel-Redirect to `<prefix>/<link>`, and nginx streams the bytes.
   */
  accelRedirect?: AccelRedirectOptions;
  /**
   * redis://… shared by several host processes on one data folder (docs/deploy.md): one Google token refresh for
   * all, storage changes announced, tasks claimed. createHost rejects when it cannot be reached. Default: this
   * process alone.
   */
  redisUrl?: string;
  /**
   * postgres://… : every table in this PostgreSQL database instead of `<dataDir>/data.db` (several processes, with
   * `redisUrl`); the data folder still holds kept copies and spooled uploads. createHost rejects when it cannot be
   * reached. Default: SQLite.
   */
  databaseUrl?: string;
  /**
   * With a Redis: a task's claim lasts this long without renewal (renewed every third of it while the task runs;
   * every half of it, tasks nobody holds are taken over). Default 15 s.
   */
  taskClaimTtlMs?: number;
}

export interface Host {
  /** e.g. http://127.0.0.1:5244 */
  readonly url: string;
  readonly app: FastifyInstance;
  /** Set only on the first start when no password was given: print it once. */
  readonly generatedAdminPassword?: string;
  /** The in-process emulator behind the demo storage, if one is mounted. */
  readonly demoEmulator?: Emulator;
  /** Lists a folder and learns the sizes its files lack within `timeoutMs` (default FOLDER_SIZE_BOUND_MS), as a PROPFIND will. */
  learnFolderSizes(path: string, timeoutMs?: number): Promise<FolderSizes>;
  close(): Promise<void>;
}

const SOCKET_BUFFER_BYTES = 256 * 1024;
const DEFAULT_MAX_UPLOAD_BYTES = 16 * 1024 ** 3;

function parseJsonBody(_request: unknown, body: string, done: (err: Error | null, value?: unknown) => void): void {
  if (body.trim() === '') return done(null, {});
  try {
    done(null, JSON.parse(body));
  } catch {
    done(Object.assign(new Error('The request body is not valid JSON'), { statusCode: 400, code: 'BAD_JSON' }));
  }
}

/** An admin password chosen by the operator must be usable: an empty one could never log in. */
function checkAdminPassword(password: string): void {
  if (password.trim() === '') {
    throw new Error('ADMIN_PASSWORD is empty: set a password of at least 8 characters, or leave ADMIN_PASSWORD unset to have one generated');
  }
  const problem = passwordProblem(password);
  if (problem) throw new Error(`ADMIN_PASSWORD is refused: ${problem.charAt(0).toLowerCase()}${problem.slice(1)}`);
}

export async function createHost(options: HostOptions): Promise<Host> {
  registerBuiltinDrivers();
  tuneMemoryForStreaming();
  const now = options.now ?? Date.now;
  const accelRedirect = options.accelRedirect && new AccelRedirect(options.accelRedirect);
  const configuredSiteUrl = options.siteUrl ? normalizeSiteUrl(options.siteUrl) : undefined;
  const dataDir = path.resolve(options.dataDir);
  const coordination = await openCoordination(options.redisUrl);
  let db: HostDatabase;
  try {
    db = await openDatabase({ dataDir, databaseUrl: options.databaseUrl });
  } catch (err) {
    await coordination.close();
    throw err;
  }
  let emulator: Emulator | undefined;
  try {
    const users = new UserStore(db);
    const settings = await SettingsStore.open(db);
    const sessions = new SessionStore(db, now);
    const store = new StorageStore(db, now);
    let generatedAdminPassword: string | undefined;
    const createdAdmin = await ensureBuiltinUsers(db, users, settings, () => {
      const chosen = options.adminPassword ?? process.env.ADMIN_PASSWORD;
      if (chosen !== undefined) checkAdminPassword(chosen);
      return chosen ?? (generatedAdminPassword = randomBytes(12).toString('base64url'));
    });
    if (!createdAdmin) generatedAdminPassword = undefined;
    // Processes sharing their state each run an emulator of their own: a demo would point everyone at one of them.
    const shared = Boolean(options.databaseUrl || options.redisUrl);
    if (options.demo ?? !shared) emulator = await prepareDemoStorage(store, db);

    let fs: FsService | undefined;
    let sizes: SizeProber | undefined;
    const sizeBook = new SizeBook(now, new DatabaseSizeStore(db));
    const onStorageReset = (id: number) => {
      fs?.reset(id);
      sizes?.forget(id);
      // Removed, not only changed. (The database also drops them with the storage's row: ON DELETE CASCADE.)
      if (!storages.get(id)) sizeBook.removeStorage(id).catch(() => undefined);
    };
    const driverOptions: DriverOptionsFor = (row) => {
      const sharedTokens = coordination.tokenCacheFor(row.id);
      return { ...options.driverOptions?.(row), ...(sharedTokens ? { sharedTokens } : {}) };
    };
    const storages = new StorageManager(store, driverOptions, onStorageReset, {
      forStorage: (storageId) => new DatabasePickerSessionStore(db, storageId, () => fs && forgetPickedListings(fs, storageId)),
      removeAll: (storageId) => DatabasePickerSessionStore.removeAll(db, storageId),
    }, (storageId) => coordination.announceStorageChange(storageId));
    fs = new FsService(storages, now, (live, dir) => dir.id === PICKED_FOLDER_ID && canPick(live.driver), sizeBook);
    sizes = new SizeProber(fs, sizeBook, options.sizeProbing, (live) => storages.get(live.row.id) === live);
    const metaStore = await MetaStore.open(db);
    const caches = new CacheAnnouncements(coordination, {
      fs, settings, metas: metaStore, storageIds: () => storages.all().map((live) => live.row.id),
    });
    const writes = new FsWrites(fs, (storageId, objId) => caches.storageContentChanged(storageId, objId));
    const claims = { claims: coordination.taskClaims(), ttlMs: options.taskClaimTtlMs };
    const tasks = new HostTasks(db, fs, writes, dataDir, now, claims);
    const keepJobs = new KeepJobs({
      db, store: tasks.store, storages, fs, dataDir, now, claims, announceStorageContent: (storageId) => caches.storageContentChanged(storageId),
    });
    let listening = '';
    const ctx: HostContext = {
      db, users, sessions, settings, storages, fs, sizes, now, dataDir, keepJobs, writes, tasks,
      maxUploadBytes: options.maxUploadBytes ?? DEFAULT_MAX_UPLOAD_BYTES,
      accelRedirect,
      siteUrl: () => configuredSiteUrl || settings.get().site_url || listening,
      access: new Access(sessions, users, (token) => settings.isToken(token)),
      signer: new UrlSigner(() => settings.token(), now, () => settings.number('link_expiration')),
      metas: new MetaRules(metaStore),
      caches,
      oauthStates: coordination.oauthStates(now),
      loginLimiter: coordination.loginLimiter(now, options.maxLoginFailures === undefined ? {} : { maxPerAddress: options.maxLoginFailures }),
    };

    const app = Fastify({
      logger: options.logger ? requestLogOptions(options.logStream) : false,
      bodyLimit: 1024 * 1024,
      forceCloseConnections: true,
      clientErrorHandler: answerClientError,
      // Larger socket buffers than Node's 16 KB: streamed downloads move in fewer, bigger writes.
      serverFactory: (handler) => createServer({ highWaterMark: SOCKET_BUFFER_BYTES }, handler),
    });
    app.removeContentTypeParser('application/json');
    app.addContentTypeParser('application/json', { parseAs: 'string' }, parseJsonBody);
    app.setErrorHandler((err, request, reply) => sendError(request, reply, err));
    await registerCors(app);
    registerAuthRoutes(app, ctx);
    registerPublicRoutes(app, ctx);
    registerFsRoutes(app, ctx);
    registerFsWriteRoutes(app, ctx);
    registerUnsupportedRoutes(app, ctx);
    registerTaskRoutes(app, ctx);
    registerDownloadRoutes(app, ctx, options.downloadIdleTimeoutMs);
    registerAdminStorageRoutes(app, ctx);
    registerAdminDriverRoutes(app, ctx);
    registerSettingsRoutes(app, ctx);
    registerAdminSettingRoutes(app, ctx);
    registerAdminMetaRoutes(app, ctx);
    registerUserRoutes(app, ctx);
    registerGoogleRoutes(app, ctx);
    registerPickerRoutes(app, ctx);
    registerWebdav(app, ctx);
    registerPageRoutes(app, options.ui);

    await app.listen({ port: options.port ?? 5244, host: options.host ?? '127.0.0.1' });
    await storages.startAll();
    coordination.onStorageChange((storageId) => {
      storages.reload(storageId).catch(() => undefined); // the database is away: the next announcement or restart reloads it
    });
    await tasks.start();
    await keepJobs.resume();
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : options.port;
    const hostName = options.host ?? '127.0.0.1';
    const url = `http://${hostName.includes(':') ? `[${hostName}]` : hostName}:${port}`;
    listening = listeningUrl(hostName, port ?? 0);
    const demoEmulator = emulator;
    return {
      url, app, generatedAdminPassword, demoEmulator,
      learnFolderSizes: (folder, timeoutMs) => learnFolderSizes(ctx.fs, ctx.sizes, folder, timeoutMs),
      async close() {
        await app.close();
        await tasks.close();
        await keepJobs.close();
        sizes?.close();
        await storages.closeAll();
        await sizeBook.flush();
        await demoEmulator?.close();
        await coordination.close();
        await db.close();
      },
    };
  } catch (err) {
    await emulator?.close();
    await coordination.close();
    await db.close();
    throw err;
  }
}
