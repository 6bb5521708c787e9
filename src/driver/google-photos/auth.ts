import type { GoogleHttp } from './http.js';
import { tokenResponseSchema } from './schemas.js';
import { tokenAccount, type SharedTokenCache } from './shared-tokens.js';

export interface TokenManagerOptions {
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  refreshToken: string;
  http: GoogleHttp;
  now?: () => number;
  /** Refresh this long before the access token's announced expiry. */
  skewMs?: number;
  /** Google rotated the refresh token: the new one must be persisted. */
  onRefreshToken?: (refreshToken: string) => void;
  /** Shares the access token with other processes: at most one of them refreshes it at a time. */
  shared?: SharedTokenCache;
}

interface AccessToken {
  value: string;
  expiresAt: number;
}

/** Holds the access token: one refresh in flight for any number of callers, renewed ahead of expiry. */
export class TokenManager {
  private current?: AccessToken;
  private inFlight?: Promise<string>;
  private refreshTokenValue: string;
  private readonly now: () => number;
  private readonly skewMs: number;

  constructor(private readonly options: TokenManagerOptions) {
    this.refreshTokenValue = options.refreshToken;
    this.now = options.now ?? Date.now;
    this.skewMs = options.skewMs ?? 60_000;
  }

  /** A usable access token, refreshed first when missing or about to expire. */
  async accessToken(): Promise<string> {
    if (this.current && this.now() < this.current.expiresAt - this.skewMs) return this.current.value;
    return this.refresh();
  }

  /** A usable access token and when it expires (ms): for links that carry the token in a header. */
  async accessTokenWithExpiry(): Promise<{ value: string; expiresAt: number }> {
    const value = await this.accessToken();
    const expiresAt = this.current?.value === value ? this.current.expiresAt : this.now() + this.skewMs;
    return { value, expiresAt };
  }

  /**
   * Exchange the refresh token for a new access token. Concurrent callers share one request; with a shared cache,
   * a token another process obtained is used when it is not `rejected`.
   */
  refresh(rejected?: string): Promise<string> {
    this.inFlight ??= this.obtain(rejected).finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  /** Google refused `rejected`: refresh unless someone already replaced it. */
  async renewAfterRejection(rejected: string): Promise<string> {
    if (this.current && this.current.value !== rejected) return this.current.value;
    this.current = undefined;
    return this.refresh(rejected);
  }

  /** A new access token, never the one held now. */
  refreshReplacing(): Promise<string> {
    return this.refresh(this.current?.value);
  }

  forget(): void {
    this.current = undefined;
  }

  private async obtain(rejected: string | undefined): Promise<string> {
    const { shared, clientId } = this.options;
    if (!shared) return this.requestAccessToken();
    const request = { account: tokenAccount(clientId, this.refreshTokenValue), rejected, validUntil: this.now() + this.skewMs };
    this.current = await shared.obtain(request, async () => {
      await this.requestAccessToken();
      return this.current!;
    });
    return this.current.value;
  }

  private async requestAccessToken(): Promise<string> {
    const { clientId, clientSecret, tokenUrl, http } = this.options;
    const refreshToken = this.refreshTokenValue;
    const answer = await http.send(
      {
        endpoint: 'token (refresh)',
        method: 'POST',
        url: tokenUrl,
        form: { grant_type: 'refresh_token', refresh_token: refreshToken, client_id: clientId, client_secret: clientSecret },
        secrets: [refreshToken, clientSecret],
      },
      tokenResponseSchema,
    );
    this.current = { value: answer.access_token, expiresAt: this.now() + (answer.expires_in ?? 3600) * 1000 };
    if (answer.refresh_token && answer.refresh_token !== refreshToken) {
      this.refreshTokenValue = answer.refresh_token;
      this.options.onRefreshToken?.(answer.refresh_token);
    }
    return answer.access_token;
  }
}
