import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { EmulatorContext } from './context.js';
import type { ClientRecord } from './store.js';

/** An OAuth error as Google's token endpoint sends it (not a google.rpc.Status). */
class OAuthError extends Error {
  constructor(readonly httpStatus: number, readonly error: string, readonly description: string) { super(description); }
}

const expiredOrRevoked = (): OAuthError => new OAuthError(400, 'invalid_grant', 'Token has been expired or revoked.');

function field(body: Record<string, unknown>, name: string): string | undefined {
  const value = body[name];
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' && first !== '' ? first : undefined;
}

function basicCredentials(request: FastifyRequest): { id?: string; secret?: string } {
  const match = /^Basic\s+(\S+)$/i.exec(request.headers.authorization ?? '');
  if (!match) return {};
  const decoded = Buffer.from(match[1]!, 'base64').toString();
  const colon = decoded.indexOf(':');
  if (colon < 0) return {};
  return { id: decodeURIComponent(decoded.slice(0, colon)), secret: decodeURIComponent(decoded.slice(colon + 1)) };
}

function authenticateClient(ctx: EmulatorContext, request: FastifyRequest, body: Record<string, unknown>): ClientRecord {
  const basic = basicCredentials(request);
  const clientId = field(body, 'client_id') ?? basic.id;
  const secret = field(body, 'client_secret') ?? basic.secret;
  if (!clientId) throw new OAuthError(400, 'invalid_request', 'Could not determine client ID from request.');
  const client = ctx.store.clients.get(clientId);
  if (!client) throw new OAuthError(401, 'invalid_client', 'The OAuth client was not found.');
  if (!secret) throw new OAuthError(400, 'invalid_request', 'client_secret is missing.');
  if (secret !== client.clientSecret) throw new OAuthError(401, 'invalid_client', 'Unauthorized');
  return client;
}

function verifyPkce(challenge: string, method: string, verifier: string | undefined): void {
  if (!verifier) throw new OAuthError(400, 'invalid_grant', 'Missing code verifier.');
  const computed = method === 'S256' ? createHash('sha256').update(verifier).digest('base64url') : verifier;
  if (computed !== challenge) throw new OAuthError(400, 'invalid_grant', 'Invalid code verifier.');
}

function exchangeCode(ctx: EmulatorContext, client: ClientRecord, body: Record<string, unknown>): Record<string, unknown> {
  const code = field(body, 'code');
  if (!code) throw new OAuthError(400, 'invalid_request', 'Missing required parameter: code');
  const redirectUri = field(body, 'redirect_uri');
  if (!redirectUri) throw new OAuthError(400, 'invalid_request', 'Missing parameter: redirect_uri');
  const record = ctx.store.authCodes.get(code);
  if (!record) throw new OAuthError(400, 'invalid_grant', 'Malformed auth code.');
  if (record.used || record.expiresMs <= ctx.store.now() || record.clientId !== client.clientId) {
    record.used = true;
    throw new OAuthError(400, 'invalid_grant', 'Bad Request');
  }
  if (record.redirectUri !== redirectUri) throw new OAuthError(400, 'redirect_uri_mismatch', 'Bad Request');
  const verifier = field(body, 'code_verifier');
  if (record.codeChallenge !== undefined) verifyPkce(record.codeChallenge, record.challengeMethod, verifier);
  else if (verifier !== undefined) throw new OAuthError(400, 'invalid_grant', 'code_verifier or verifier is not needed.');
  record.used = true;
  // Only access_type=offline with a fresh consent earns a refresh token, as at Google.
  const refreshToken = record.offline && record.freshConsent ? ctx.store.issueRefreshToken(client.clientId, record.scopes) : undefined;
  const accessToken = ctx.store.issueAccessToken(client.clientId, record.scopes, refreshToken);
  return {
    access_token: accessToken, expires_in: ctx.store.accessTokenLifetimeSec,
    ...(refreshToken ? { refresh_token: refreshToken } : {}), scope: record.scopes.join(' '), token_type: 'Bearer',
  };
}

function refresh(ctx: EmulatorContext, client: ClientRecord, body: Record<string, unknown>): Record<string, unknown> {
  const refreshToken = field(body, 'refresh_token');
  if (!refreshToken) throw new OAuthError(400, 'invalid_request', 'Missing required parameter: refresh_token');
  const record = ctx.store.refreshTokens.get(refreshToken);
  if (!record || record.revoked) throw expiredOrRevoked();
  if (record.clientId !== client.clientId) throw new OAuthError(401, 'unauthorized_client', 'Unauthorized');
  const accessToken = ctx.store.issueAccessToken(client.clientId, record.scopes, refreshToken);
  return { access_token: accessToken, expires_in: ctx.store.accessTokenLifetimeSec, scope: record.scopes.join(' '), token_type: 'Bearer' };
}

function sendOAuth(reply: FastifyReply, status: number, body: Record<string, unknown>): FastifyReply {
  return reply.code(status)
    .header('cache-control', 'no-cache, no-store, max-age=0, must-revalidate').header('pragma', 'no-cache')
    .type('application/json; charset=utf-8').send(JSON.stringify(body, null, 2));
}

function asBody(request: FastifyRequest): Record<string, unknown> {
  const body = request.body;
  return body && typeof body === 'object' ? body as Record<string, unknown> : {};
}

/** POST /token (authorization_code with PKCE, refresh_token) and POST /revoke, answering like oauth2.googleapis.com. */
export function registerTokenRoutes(app: FastifyInstance, ctx: EmulatorContext): void {
  app.post('/token', { config: { api: true } }, async (request, reply) => {
    try {
      const body = { ...(request.query as Record<string, unknown>), ...asBody(request) };
      const client = authenticateClient(ctx, request, body);
      const grantType = field(body, 'grant_type');
      if (grantType === 'authorization_code') return sendOAuth(reply, 200, exchangeCode(ctx, client, body));
      if (grantType === 'refresh_token') return sendOAuth(reply, 200, refresh(ctx, client, body));
      throw new OAuthError(400, 'unsupported_grant_type', `Invalid grant_type: ${(grantType ?? '').slice(0, 100)}`);
    } catch (error) {
      if (!(error instanceof OAuthError)) throw error;
      return sendOAuth(reply, error.httpStatus, { error: error.error, error_description: error.description });
    }
  });

  app.post('/revoke', { config: { api: true } }, async (request, reply) => {
    const body = { ...(request.query as Record<string, unknown>), ...asBody(request) };
    const token = field(body, 'token');
    if (token && ctx.store.refreshTokens.get(token)?.revoked === false) {
      ctx.store.revokeRefreshToken(token);
      return sendOAuth(reply, 200, {});
    }
    if (token && ctx.store.revokeAccessToken(token)) return sendOAuth(reply, 200, {});
    return sendOAuth(reply, 400, { error: 'invalid_token', error_description: 'Token expired or revoked' });
  });
}
