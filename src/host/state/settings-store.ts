import { randomInt, randomUUID, timingSafeEqual } from 'node:crypto';
import type { HostDatabase } from './database.js';
import type { SqlQueries } from './sql-database.js';
import { isSettingKey, settingItem, settingKeys, type SettingItem } from './setting-items.js';

export interface HostSettings {
  /** Where clients reach the server (AList's site_url), for absolute links; '' = the listening address. */
  site_url: string;
}

const TOKEN_LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A new `token` in AList's format (pkg/utils/random.Token): "alist-", a UUID, 64 letters and digits. */
function newToken(): string {
  let tail = '';
  for (let i = 0; i < 64; i++) tail += TOKEN_LETTERS[randomInt(TOKEN_LETTERS.length)];
  return `alist-${randomUUID()}${tail}`;
}

/**
 * Server-wide settings: AList's setting items (see setting-items.ts) stored by key in `settings`, the default when
 * never saved; and the `token`, created at first start, that signs download links and works as an admin token.
 * All values are kept in memory (`open` and `reload` read them), so reads are synchronous; every write here
 * refreshes them.
 */
export class SettingsStore {
  private constructor(private readonly db: HostDatabase, private cache: Map<string, string>) {}

  static async open(db: HostDatabase): Promise<SettingsStore> {
    // Older versions signed with a secret of their own; the token has taken its place.
    await db.run("DELETE FROM settings WHERE key = 'sign_secret'");
    // ON CONFLICT DO NOTHING: a process starting at the same time may have created it; both then use that one.
    await db.run('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING', ['token', newToken()]);
    return new SettingsStore(db, await SettingsStore.readAll(db));
  }

  private static async readAll(db: SqlQueries): Promise<Map<string, string>> {
    return new Map((await db.all<{ key: string; value: string }>('SELECT key, value FROM settings')).map((row) => [row.key, row.value]));
  }

  /** Reads every value again (another process changed them). */
  async reload(): Promise<void> {
    this.cache = await SettingsStore.readAll(this.db);
  }

  private read(key: string): string | undefined {
    return this.cache.get(key);
  }

  private static async write(db: SqlQueries, key: string, value: string): Promise<void> {
    await db.run('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value', [key, value]);
  }

  get(): HostSettings {
    return { site_url: this.read('site_url') ?? '' };
  }

  async update(patch: Partial<HostSettings>): Promise<HostSettings> {
    if (patch.site_url !== undefined) await this.save([{ key: 'site_url', value: patch.site_url }]);
    return this.get();
  }

  /** Removes a setting an older version kept (e.g. guest_enabled, now the guest user's `disabled`); its value. */
  async takeLegacy(key: string, db: SqlQueries = this.db): Promise<string | undefined> {
    const row = await db.get<{ value: string }>('SELECT value FROM settings WHERE key = ?', [key]);
    if (row === undefined) return undefined;
    await db.run('DELETE FROM settings WHERE key = ?', [key]);
    this.cache.delete(key);
    return row.value;
  }

  /** The item of a known key (see isSettingKey). */
  item(key: string): SettingItem {
    return settingItem(key, this.read(key));
  }

  items(): SettingItem[] {
    return settingKeys().map((key) => this.item(key));
  }

  value(key: string): string {
    return this.item(key).value;
  }

  bool(key: string): boolean {
    return this.value(key) === 'true';
  }

  number(key: string): number {
    return Number(this.value(key));
  }

  /** Stores checked values of known keys, all or none. */
  async save(values: ReadonlyArray<{ key: string; value: string }>): Promise<void> {
    for (const { key } of values) if (!isSettingKey(key)) throw new Error(`unknown setting ${key}`);
    await this.db.transaction(async (tx) => {
      for (const { key, value } of values) await SettingsStore.write(tx, key, value);
    });
    for (const { key, value } of values) this.cache.set(key, value);
  }

  /** The secret of download signs, also accepted as an admin's Authorization. Never logged or sent but to admins. */
  token(): string {
    return this.read('token')!;
  }

  /** Whether `given` is the token (constant time). */
  isToken(given: string): boolean {
    const token = Buffer.from(this.token());
    const candidate = Buffer.from(given);
    return candidate.length === token.length && timingSafeEqual(candidate, token);
  }

  /** A new token: every sign made with the old one stops working. */
  async resetToken(): Promise<string> {
    const token = newToken();
    await SettingsStore.write(this.db, 'token', token);
    this.cache.set('token', token);
    return token;
  }
}
