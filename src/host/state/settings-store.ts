import { randomInt, randomUUID, timingSafeEqual } from 'node:crypto';
import type { HostDatabase } from './database.js';
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
 * Values are kept in memory after the first read; every write here refreshes them.
 */
export class SettingsStore {
  private cache?: Map<string, string>;

  constructor(private readonly db: HostDatabase) {
    // Older versions signed with a secret of their own; the token has taken its place.
    this.db.prepare("DELETE FROM settings WHERE key = 'sign_secret'").run();
    if (!this.read('token')) this.write('token', newToken());
  }

  private rows(): Map<string, string> {
    this.cache ??= new Map((this.db.prepare('SELECT key, value FROM settings').all() as Array<{ key: string; value: string }>).map((row) => [row.key, row.value]));
    return this.cache;
  }

  private read(key: string): string | undefined {
    return this.rows().get(key);
  }

  private write(key: string, value: string): void {
    this.db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
    this.cache = undefined;
  }

  /** Forgets the values kept in memory (another process saved settings): the next read loads them afresh. */
  reload(): void {
    this.cache = undefined;
  }

  get(): HostSettings {
    return { site_url: this.read('site_url') ?? '' };
  }

  update(patch: Partial<HostSettings>): HostSettings {
    if (patch.site_url !== undefined) this.write('site_url', patch.site_url);
    return this.get();
  }

  /** Removes a setting an older version kept (e.g. guest_enabled, now the guest user's `disabled`); its value. */
  takeLegacy(key: string): string | undefined {
    const value = this.read(key);
    if (value !== undefined) this.db.prepare('DELETE FROM settings WHERE key = ?').run(key);
    return value;
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
  save(values: ReadonlyArray<{ key: string; value: string }>): void {
    this.db.transaction(() => {
      for (const { key, value } of values) {
        if (!isSettingKey(key)) throw new Error(`unknown setting ${key}`);
        this.write(key, value);
      }
    })();
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
  resetToken(): string {
    const token = newToken();
    this.write('token', token);
    return token;
  }
}
