import { createHash } from 'node:crypto';

/** An access token and when it expires (ms since the epoch). */
export interface SharedAccessToken {
  value: string;
  expiresAt: number;
}

export interface SharedTokenRequest {
  /** Names the client and refresh token (a hash: never the secrets themselves). */
  account: string;
  /** A token Google refused: never hand it out again. */
  rejected?: string;
  /** The token must stay valid until then (ms since the epoch). */
  validUntil: number;
}

/**
 * Optional hook for hosts that run several processes (the host supplies one per storage when REDIS_URL is set):
 * every process uses the token stored there, and when none is usable exactly one process refreshes it while the
 * others wait for its result. The tokens it stores are secrets.
 */
export interface SharedTokenCache {
  obtain(request: SharedTokenRequest, refresh: () => Promise<SharedAccessToken>): Promise<SharedAccessToken>;
}

/** A stable, non-secret name for the pair (client id, refresh token). */
export function tokenAccount(clientId: string, refreshToken: string): string {
  return createHash('sha256').update(`${clientId}\n${refreshToken}`).digest('base64url').slice(0, 22);
}
