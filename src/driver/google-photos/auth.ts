import type { GoogleHttp } from './http.js';
import { tokenResponseSchema } from './schemas.js';

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

  /** Exchange the refresh token for a new access token. Concurrent callers share one request. */
  refresh(): Promise<string> {
    this.inFlight ??= this.requestAccessToken().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  /** Google refused `rejected`: refresh unless someone already replaced it. */
  async renewAfterRejection(rejected: string): Promise<string> {
    if (this.current && this.current.value !== rejected) return this.current.value;
    this.current = undefined;
    return this.refresh();
  }

  forget(): void {
    this.current = undefined;
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
