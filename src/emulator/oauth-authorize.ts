import type { FastifyInstance, FastifyReply } from 'fastify';
import { authErrorPage, consentPage, isOptionalScope } from './consent-page.js';
import type { EmulatorContext } from './context.js';
import { randomToken } from './ids.js';
import { SCOPE_DESCRIPTIONS } from './scopes.js';
import { ACCESS_CODE_LIFETIME_MS } from './store.js';

interface PendingConsent {
  clientId: string; redirectUri: string; state?: string; scopes: string[]; codeChallenge?: string;
  challengeMethod: string; expiresMs: number; offline: boolean; forceConsent: boolean;
}

class AuthorizeError extends Error {
  constructor(readonly status: number, readonly error: string, description: string) { super(description); }
}

function one(query: Record<string, unknown>, name: string): string | undefined {
  const value = query[name];
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' && first !== '' ? first : undefined;
}

/** Desktop clients may redirect only to a loopback address, any port, as Google allows. */
export function isLoopbackRedirect(uri: string): boolean {
  try {
    const url = new URL(uri);
    return url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname) && url.hash === '';
  } catch {
    return false;
  }
}

function validate(ctx: EmulatorContext, query: Record<string, unknown>): Omit<PendingConsent, 'expiresMs'> {
  const clientId = one(query, 'client_id');
  if (!clientId) throw new AuthorizeError(400, 'invalid_request', 'Missing required parameter: client_id');
  if (!ctx.store.clients.has(clientId)) throw new AuthorizeError(401, 'invalid_client', 'The OAuth client was not found.');
  const redirectUri = one(query, 'redirect_uri');
  if (!redirectUri) throw new AuthorizeError(400, 'invalid_request', 'Missing required parameter: redirect_uri');
  if (!isLoopbackRedirect(redirectUri)) {
    throw new AuthorizeError(400, 'redirect_uri_mismatch',
      `You can't sign in to this app because it doesn't comply with Google's OAuth 2.0 policy. redirect_uri=${redirectUri}`);
  }
  const responseType = one(query, 'response_type');
  if (!responseType) throw new AuthorizeError(400, 'invalid_request', 'Missing required parameter: response_type');
  if (responseType !== 'code') throw new AuthorizeError(400, 'unsupported_response_type', `Invalid response_type: ${responseType}`);
  const scopeParam = one(query, 'scope');
  if (!scopeParam) throw new AuthorizeError(400, 'invalid_request', 'Missing required parameter: scope');
  const scopes = [...new Set(scopeParam.split(/[\s+]+/).filter(Boolean))];
  const invalid = scopes.filter((s) => SCOPE_DESCRIPTIONS[s] === undefined);
  if (invalid.length > 0) {
    throw new AuthorizeError(400, 'invalid_scope', `Some requested scopes were invalid. {invalid=[${invalid.join(', ')}]}`);
  }
  const codeChallenge = one(query, 'code_challenge');
  const method = one(query, 'code_challenge_method') ?? 'plain';
  if (codeChallenge !== undefined && method !== 'S256' && method !== 'plain') {
    throw new AuthorizeError(400, 'invalid_request', `Invalid code_challenge_method: ${method}`);
  }
  if (codeChallenge !== undefined && !/^[A-Za-z0-9._~-]{43,128}$/.test(codeChallenge)) {
    throw new AuthorizeError(400, 'invalid_request', 'Invalid code_challenge.');
  }
  const accessType = one(query, 'access_type') ?? 'online';
  if (accessType !== 'online' && accessType !== 'offline') {
    throw new AuthorizeError(400, 'invalid_request', `Invalid access_type: ${accessType}`);
  }
  const forceConsent = (one(query, 'prompt') ?? '').split(/\s+/).includes('consent');
  return {
    clientId, redirectUri, state: one(query, 'state'), scopes, codeChallenge, challengeMethod: method, offline: accessType === 'offline',
    forceConsent,
  };
}

function redirectTo(reply: FastifyReply, redirectUri: string, params: Record<string, string | undefined>): FastifyReply {
  const url = new URL(redirectUri);
  for (const [key, value] of Object.entries(params)) if (value !== undefined) url.searchParams.set(key, value);
  return reply.redirect(url.toString(), 302);
}

/** The authorization endpoint: a consent page with a checkbox per Photos scope, then a redirect with code and state. */
export function registerAuthorizeRoutes(app: FastifyInstance, ctx: EmulatorContext): void {
  const pending = new Map<string, PendingConsent>();

  app.get('/o/oauth2/v2/auth', async (request, reply) => {
    try {
      const consent = validate(ctx, request.query as Record<string, unknown>);
      const now = ctx.store.now();
      for (const [id, p] of pending) if (p.expiresMs <= now) pending.delete(id);
      const consentId = randomToken('', 18);
      pending.set(consentId, { ...consent, expiresMs: now + 3600_000 });
      return reply.type('text/html; charset=utf-8')
        .send(consentPage({ consentId, clientId: consent.clientId, scopes: consent.scopes }));
    } catch (error) {
      if (!(error instanceof AuthorizeError)) throw error;
      return reply.code(error.status).type('text/html; charset=utf-8').send(authErrorPage(error.status, error.error, error.message));
    }
  });

  app.post('/o/oauth2/v2/auth/consent', async (request, reply) => {
    const body = (request.body && typeof request.body === 'object' ? request.body : {}) as Record<string, unknown>;
    const consentId = one(body, 'consent_id');
    const consent = consentId ? pending.get(consentId) : undefined;
    if (!consentId || !consent || consent.expiresMs <= ctx.store.now()) {
      return reply.code(400).type('text/html; charset=utf-8')
        .send(authErrorPage(400, 'invalid_request', 'This consent request has expired or was already answered. Start again.'));
    }
    pending.delete(consentId);
    if (one(body, 'action') !== 'allow') return redirectTo(reply, consent.redirectUri, { error: 'access_denied', state: consent.state });
    const raw = body.scope;
    const ticked = new Set((Array.isArray(raw) ? raw : [raw]).filter((s): s is string => typeof s === 'string'));
    const granted = consent.scopes.filter((s) => !isOptionalScope(s) || ticked.has(s));
    // Google hands out a refresh token only when the user consents afresh: the first time, for new scopes, or with
    // prompt=consent. Authorizing the same client and scopes again without it gives no refresh token.
    const before = ctx.store.grants.get(consent.clientId);
    const freshConsent = consent.forceConsent || !before || granted.some((scope) => !before.has(scope));
    ctx.store.grants.set(consent.clientId, new Set([...(before ?? []), ...granted]));
    const code = randomToken('4/0', 48);
    ctx.store.authCodes.set(code, {
      clientId: consent.clientId, redirectUri: consent.redirectUri, scopes: granted, codeChallenge: consent.codeChallenge,
      challengeMethod: consent.challengeMethod, expiresMs: ctx.store.now() + ACCESS_CODE_LIFETIME_MS, used: false,
      offline: consent.offline, freshConsent,
    });
    return redirectTo(reply, consent.redirectUri, { state: consent.state, code, scope: granted.join(' ') });
  });
}
