import { createHash, randomBytes } from 'node:crypto';
import { GOOGLE_ENDPOINTS } from './endpoints.js';
import { CODE_EXCHANGE_ENDPOINT, noRefreshTokenError } from './errors.js';
import { GoogleHttp } from './http.js';
import { tokenResponseSchema } from './schemas.js';
import { DRIVER_SCOPES } from './scopes.js';

/** A PKCE verifier and its S256 challenge. */
export function createPkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  return { verifier, challenge };
}

/** Google's consent page URL; offline access and forced consent so that Google hands out a refresh token. */
export function buildAuthorizationUrl(p: {
  endpoint?: string;
  clientId: string;
  redirectUri: string;
  state: string;
  codeChallenge: string;
  scopes?: string[];
}): string {
  const url = new URL(p.endpoint ?? GOOGLE_ENDPOINTS.authorize);
  url.searchParams.set('client_id', p.clientId);
  url.searchParams.set('redirect_uri', p.redirectUri);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('scope', (p.scopes ?? DRIVER_SCOPES).join(' '));
  url.searchParams.set('access_type', 'offline');
  url.searchParams.set('prompt', 'consent');
  url.searchParams.set('state', p.state);
  url.searchParams.set('code_challenge', p.codeChallenge);
  url.searchParams.set('code_challenge_method', 'S256');
  return url.toString();
}

/** Trade the code from the redirect for tokens. Failures are DriverErrors (INVALID_GRANT, INVALID_CLIENT, ...). */
export async function exchangeAuthorizationCode(p: {
  tokenEndpoint?: string;
  clientId: string;
  clientSecret: string;
  code: string;
  redirectUri: string;
  codeVerifier: string;
  timeoutMs?: number;
}): Promise<{ refreshToken: string; accessToken: string; expiresIn: number; scopes: string[] }> {
  const http = new GoogleHttp({ timeoutMs: p.timeoutMs ?? 30_000 });
  const answer = await http.send(
    {
      endpoint: CODE_EXCHANGE_ENDPOINT,
      method: 'POST',
      url: p.tokenEndpoint ?? GOOGLE_ENDPOINTS.token,
      form: {
        grant_type: 'authorization_code',
        code: p.code,
        redirect_uri: p.redirectUri,
        client_id: p.clientId,
        client_secret: p.clientSecret,
        code_verifier: p.codeVerifier,
      },
      secrets: [p.code, p.clientSecret, p.codeVerifier],
      // A code is single-use: never send it twice.
      retry: false,
    },
    tokenResponseSchema,
  );
  if (!answer.refresh_token) throw noRefreshTokenError();
  return {
    refreshToken: answer.refresh_token,
    accessToken: answer.access_token,
    expiresIn: answer.expires_in ?? 3600,
    scopes: answer.scope ? answer.scope.split(/\s+/).filter(Boolean) : [],
  };
}
