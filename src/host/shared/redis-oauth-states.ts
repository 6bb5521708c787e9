import type { Redis } from 'ioredis';
import { newOAuthState, OAUTH_STATE_LIFETIME_MS, type OAuthStateStore, type PendingAuthorization } from '../auth/oauth-states.js';
import { RedisUnavailableError } from './redis-unavailable.js';

/**
 * OAuth states in Redis, so Google's redirect may land on any process: each kept with an expiry (SET PX) and taken
 * once (GETDEL), so two callbacks with one state cannot both use it. The code verifier is a secret until used.
 */
export class RedisOAuthStates implements OAuthStateStore {
  constructor(private readonly redis: Redis, private readonly keyPrefix: string, private readonly now: () => number) {}

  async create(entry: Omit<PendingAuthorization, 'expiresAt'>): Promise<string> {
    const state = newOAuthState();
    const pending: PendingAuthorization = { ...entry, expiresAt: this.now() + OAUTH_STATE_LIFETIME_MS };
    await this.command(() => this.redis.set(this.keyPrefix + state, JSON.stringify(pending), 'PX', OAUTH_STATE_LIFETIME_MS));
    return state;
  }

  async take(state: string): Promise<PendingAuthorization | undefined> {
    const text = await this.command(() => this.redis.getdel(this.keyPrefix + state));
    if (!text) return undefined;
    try {
      const entry = JSON.parse(text) as PendingAuthorization;
      // Redis expires it too; the host's clock decides as it does in one process.
      return entry.expiresAt > this.now() ? entry : undefined;
    } catch {
      return undefined;
    }
  }

  private async command<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw new RedisUnavailableError('the Google authorization cannot be kept or found', error);
    }
  }
}
