import { randomBytes } from 'node:crypto';

export interface PendingAuthorization {
  storageId: number;
  codeVerifier: string;
  redirectUri: string;
  expiresAt: number;
}

const LIFETIME_MS = 10 * 60_000;

/** OAuth `state` values waiting for Google's redirect: random, single use, ten minutes. */
export class OAuthStates {
  private readonly pending = new Map<string, PendingAuthorization>();

  constructor(private readonly now: () => number) {}

  create(entry: Omit<PendingAuthorization, 'expiresAt'>): string {
    for (const [state, item] of this.pending) if (item.expiresAt <= this.now()) this.pending.delete(state);
    const state = randomBytes(24).toString('base64url');
    this.pending.set(state, { ...entry, expiresAt: this.now() + LIFETIME_MS });
    return state;
  }

  /** The pending authorization, removed; undefined when unknown, used or expired. */
  take(state: string): PendingAuthorization | undefined {
    const entry = this.pending.get(state);
    this.pending.delete(state);
    return entry && entry.expiresAt > this.now() ? entry : undefined;
  }
}
