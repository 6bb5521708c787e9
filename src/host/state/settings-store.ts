import { randomBytes } from 'node:crypto';
import type { HostDatabase } from './database.js';

export interface HostSettings {
  /** Where clients reach the server (AList's site_url), for absolute links; '' = the listening address. */
  site_url: string;
}

/** Server-wide settings, and the secret that signs download URLs (created once, never sent out). */
export class SettingsStore {
  constructor(private readonly db: HostDatabase) {}

  private read(key: string): string | undefined {
    const row = this.db.prepare('SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined;
    return row?.value;
  }

  private write(key: string, value: string): void {
    this.db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
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

  signSecret(): Buffer {
    const stored = this.read('sign_secret');
    if (stored) return Buffer.from(stored, 'base64');
    const secret = randomBytes(32);
    this.write('sign_secret', secret.toString('base64'));
    return secret;
  }
}
