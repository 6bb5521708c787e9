import type { PickerSessionStore } from '../../driver/google-photos/picker-sessions.js';
import type { Driver, DriverHostOptions } from '../../types/driver.js';
import { isDriverError, type DriverErrorCode } from '../../types/errors.js';
import { getDriverFactory } from '../../types/registry.js';
import { DuplicateMountPathError, parseAddition, type NewStorage, type StorageRow, type StorageStore } from './storage-store.js';
import { scrubSecrets, secretFields } from './secrets.js';

export interface StorageErrorInfo {
  code: DriverErrorCode | 'INIT_FAILED';
  message: string;
  hint?: string;
}

/** A storage as the server runs it: its row, its driver instance and how its initialisation went. */
export interface LiveStorage {
  row: StorageRow;
  driver?: Driver;
  /** Settles when initialisation is over (never rejects). */
  ready: Promise<void>;
  state: 'init' | 'work' | 'error' | 'disabled';
  error?: StorageErrorInfo;
}

export type DriverOptionsFor = (storage: StorageRow) => Record<string, unknown> | undefined;

/** Where each storage's driver keeps its picking sessions (the database, in the server). */
export interface PickerSessionsFor {
  forStorage(storageId: number): PickerSessionStore;
  /** The storage is gone: forget its sessions. */
  removeAll(storageId: number): Promise<void>;
}

const STATUS_WORK = 'work';

/** The status string AList shows: "work", or the error message with its hint. */
export function statusText(live: LiveStorage): string {
  if (live.state === 'work') return STATUS_WORK;
  if (live.state === 'disabled') return 'disabled';
  if (live.state === 'init') return 'initializing';
  const { message = 'Initialisation failed', hint } = live.error ?? {};
  return hint && !message.includes(hint) ? `${message} Hint: ${hint}` : message;
}

function errorInfo(err: unknown, row: StorageRow): StorageErrorInfo {
  const addition = parseAddition(row.addition);
  const secrets = secretFields(row.driver);
  const scrub = (text: string) => scrubSecrets(text, addition, secrets);
  if (isDriverError(err)) {
    const info: StorageErrorInfo = { code: err.code, message: scrub(err.message) };
    if (err.hint) info.hint = scrub(err.hint);
    return info;
  }
  return { code: 'INIT_FAILED', message: scrub(err instanceof Error ? err.message : String(err)) };
}

/**
 * Owns the running drivers: creates and initialises one per enabled storage (in parallel, without blocking
 * the caller), re-initialises on change, persists settings a driver rotates, records each one's status.
 */
export class StorageManager {
  private readonly live = new Map<number, LiveStorage>();
  /** Creations under way by ensure(), by mount path. */
  private readonly ensuring = new Map<string, Promise<LiveStorage>>();

  constructor(
    private readonly store: StorageStore,
    private readonly driverOptions: DriverOptionsFor | undefined,
    private readonly onReset: (storageId: number) => void,
    private readonly pickerSessions?: PickerSessionsFor,
    /** Tells other host processes sharing the data folder that a storage changed (see reload). */
    private readonly announce: (storageId: number) => void = () => undefined,
  ) {}

  /** Start every stored storage; returns at once, each one initialises on its own. */
  async startAll(): Promise<void> {
    for (const row of await this.store.list()) this.start(row);
  }

  /** Start one stored storage only (e.g. for a CLI command working on it); undefined when there is no such storage. */
  async startOne(id: number): Promise<LiveStorage | undefined> {
    const row = await this.store.get(id);
    return row && this.start(row);
  }

  all(): LiveStorage[] {
    return [...this.live.values()].sort((a, b) => a.row.order - b.row.order || a.row.mount_path.localeCompare(b.row.mount_path));
  }

  get(id: number): LiveStorage | undefined {
    return this.live.get(id);
  }

  /** The row as stored now (another process, e.g. the auth CLI, may have changed it). */
  storedRow(id: number): Promise<StorageRow | undefined> {
    return this.store.get(id);
  }

  async create(storage: NewStorage): Promise<LiveStorage> {
    const live = this.start(await this.store.create(storage, getDriverFactory(storage.driver)?.meta.onlyProxy ?? false));
    this.announce(live.row.id);
    return live;
  }

  /**
   * The storage mounted at `storage.mount_path`, created when there is none. Calls at once get the same one, and a
   * storage another process created a moment ago is taken as it is stored.
   */
  ensure(storage: NewStorage): Promise<LiveStorage> {
    const running = this.all().find((live) => live.row.mount_path === storage.mount_path);
    if (running) return Promise.resolve(running);
    let pending = this.ensuring.get(storage.mount_path);
    if (!pending) {
      pending = this.create(storage).catch(async (err: unknown) => {
        if (!(err instanceof DuplicateMountPathError)) throw err;
        const row = (await this.store.list()).find((stored) => stored.mount_path === storage.mount_path);
        if (!row) throw err;
        return this.live.get(row.id) ?? this.start(row);
      }).finally(() => this.ensuring.delete(storage.mount_path));
      this.ensuring.set(storage.mount_path, pending);
    }
    return pending;
  }

  async update(id: number, patch: Partial<NewStorage>): Promise<LiveStorage | undefined> {
    const row = await this.store.update(id, patch);
    if (row) this.announce(id);
    return row && this.restart(row);
  }

  /** Settings changed outside the admin form (e.g. a new refresh token): persist, then re-initialise. */
  async mergeAddition(id: number, patch: Record<string, unknown>): Promise<LiveStorage | undefined> {
    const row = await this.store.mergeAddition(id, patch);
    if (row) this.announce(id);
    return row && this.restart(row);
  }

  /** Another process changed the storage: run it as stored now, or let it go when it is gone. */
  async reload(id: number): Promise<void> {
    const row = await this.store.get(id);
    if (row) {
      this.restart(row);
      return;
    }
    const live = this.live.get(id);
    if (!live) return;
    this.live.delete(id);
    this.onReset(id);
    void live.ready.then(() => this.dropDriver(live));
  }

  /** AList's "reload all": every enabled storage starts again from its stored settings (returns at once). */
  async reloadAll(): Promise<void> {
    for (const row of await this.store.list()) if (!row.disabled) this.restart(row);
  }

  async delete(id: number): Promise<boolean> {
    const live = this.live.get(id);
    this.live.delete(id);
    this.onReset(id);
    if (live) await this.dropDriver(live);
    await this.pickerSessions?.removeAll(id);
    const deleted = await this.store.delete(id);
    if (deleted) this.announce(id);
    return deleted;
  }

  async closeAll(): Promise<void> {
    const all = [...this.live.values()];
    this.live.clear();
    await Promise.all(all.map(async (live) => {
      await live.ready;
      await this.dropDriver(live);
    }));
  }

  private restart(row: StorageRow): LiveStorage {
    const previous = this.live.get(row.id);
    this.onReset(row.id);
    if (previous) void previous.ready.then(() => this.dropDriver(previous));
    return this.start(row);
  }

  private async dropDriver(live: LiveStorage): Promise<void> {
    try {
      await live.driver?.drop();
    } catch {
      // A driver that fails to let go has nothing left for us to do.
    }
  }

  private start(row: StorageRow): LiveStorage {
    const live: LiveStorage = { row, state: row.disabled ? 'disabled' : 'init', ready: Promise.resolve() };
    this.live.set(row.id, live);
    if (row.disabled) {
      this.recordStatus(live);
      return live;
    }
    live.ready = this.initialise(live);
    return live;
  }

  private isCurrent(live: LiveStorage): boolean {
    return this.live.get(live.row.id) === live;
  }

  private hostOptions(live: LiveStorage): DriverHostOptions & Record<string, unknown> {
    const persist = (patch: Record<string, unknown>) => {
      if (!this.isCurrent(live)) return;
      this.store.mergeAddition(live.row.id, patch).then((row) => {
        if (row && this.isCurrent(live)) live.row = row;
      }, () => undefined); // the database is away: the driver goes on with the settings it has in memory
    };
    return {
      ...(this.pickerSessions ? { pickerSessions: this.pickerSessions.forStorage(live.row.id) } : {}),
      ...this.driverOptions?.(live.row),
      // The contract's one callback for rotated settings; a driver's own extras (such as the Google driver's
      // onRefreshToken, which it reports through onConfigChange too) would only write the same patch twice.
      onConfigChange: persist,
    };
  }

  private async initialise(live: LiveStorage): Promise<void> {
    await Promise.resolve(); // never run a driver's code inside the caller's synchronous request handling
    try {
      const factory = getDriverFactory(live.row.driver);
      if (!factory) throw new Error(`Unknown driver "${live.row.driver}"`);
      const driver = factory.create(parseAddition(live.row.addition), this.hostOptions(live));
      live.driver = driver;
      await driver.init();
      if (!this.isCurrent(live)) return;
      live.state = 'work';
      delete live.error;
    } catch (err) {
      if (!this.isCurrent(live)) return;
      live.state = 'error';
      live.error = errorInfo(err, live.row);
    }
    this.recordStatus(live);
  }

  /** The status column is shown in the admin list only: a failed write of it fails nothing else. */
  private recordStatus(live: LiveStorage): void {
    this.store.setStatus(live.row.id, statusText(live)).catch(() => undefined);
  }
}
