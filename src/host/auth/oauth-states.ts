import { randomBytes } from 'node:crypto';

export interface PendingAuthorization {
  storageId: number;
  codeVerifier: string;
  redirectUri: string;
  expiresAt: number;
}

export const OAUTH_STATE_LIFETIME_MS = 10 * 60_000;

/** A new OAuth `state`: random, unguessable. */
export function newOAuthState(): string {
  return randomBytes(24).toString('base64url');
}

/** Where OAuth `state` values wait for Google's redirect: single use, ten minutes. */
export interface OAuthStateStore {
  create(entry: Omit<PendingAuthorization, 'expiresAt'>): Promise<string>;
  /** The pending authorization, removed; undefined when unknown, used or expired. */
  take(state: string): Promise<PendingAuthorization | undefined>;
}

/** The states of this process alone (the default; Redis shares them between processes). */
export class OAuthStates implements OAuthStateStore {
  private readonly pending = new Map<string, PendingAuthorization>();

  constructor(private readonly now: () => number) {}

  async create(entry: Omit<PendingAuthorization, 'expiresAt'>): Promise<string> {
    for (const [state, item] of this.pending) if (item.expiresAt <= this.now()) this.pending.delete(state);
    const state = newOAuthState();
    this.pending.set(state, { ...entry, expiresAt: this.now() + OAUTH_STATE_LIFETIME_MS });
    return state;
  }

  async take(state: string): Promise<PendingAuthorization | undefined> {
    const entry = this.pending.get(state);
    this.pending.delete(state);
    return entry && entry.expiresAt > this.now() ? entry : undefined;
  }
}
