import { createHash } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import nock from 'nock';
import { buildAuthorizationUrl, createPkcePair, exchangeAuthorizationCode } from '../../src/driver/google-photos/oauth.js';
import { DRIVER_SCOPES } from '../../src/driver/google-photos/scopes.js';
import { CLIENT_SECRET, TOKEN_ORIGIN, expectNoSecrets, failure, restoreNock, setupNock, teardownNock } from './fixtures.js';

beforeAll(setupNock);
afterEach(teardownNock);
afterAll(restoreNock);

describe('OAuth helpers', () => {
  it('creates an S256 PKCE pair', () => {
    const { verifier, challenge } = createPkcePair();
    expect(verifier).toMatch(/^[A-Za-z0-9_-]{43,128}$/);
    expect(challenge).toBe(createHash('sha256').update(verifier).digest('base64url'));
    expect(createPkcePair().verifier).not.toBe(verifier);
  });

  it('builds an offline, forced-consent authorization URL with the driver scopes', () => {
    const url = new URL(buildAuthorizationUrl({ clientId: 'cid', redirectUri: 'http://127.0.0.1:5244/api/google/callback', state: 's1', codeChallenge: 'ch' }));
    expect(url.origin + url.pathname).toBe('https://accounts.google.com/o/oauth2/v2/auth');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      client_id: 'cid',
      redirect_uri: 'http://127.0.0.1:5244/api/google/callback',
      response_type: 'code',
      scope: DRIVER_SCOPES.join(' '),
      access_type: 'offline',
      prompt: 'consent',
      state: 's1',
      code_challenge: 'ch',
      code_challenge_method: 'S256',
    });
    expect(buildAuthorizationUrl({ endpoint: 'http://127.0.0.1:9/o/oauth2/v2/auth', clientId: 'c', redirectUri: 'r', state: 's', codeChallenge: 'x', scopes: ['a'] }))
      .toMatch(/^http:\/\/127\.0\.0\.1:9\/o\/oauth2\/v2\/auth\?.*scope=a/);
  });

  it('exchanges a code for tokens (form-encoded, with the verifier)', async () => {
    let form: Record<string, string> = {};
    nock(TOKEN_ORIGIN).post('/token').reply((_uri, body) => {
      form = Object.fromEntries(new URLSearchParams(String(body)));
      return [200, { access_token: 'ya29.a', refresh_token: '1//r', expires_in: 3599, scope: `${DRIVER_SCOPES[0]} ${DRIVER_SCOPES[1]}`, token_type: 'Bearer' }];
    });
    const result = await exchangeAuthorizationCode({ clientId: 'cid', clientSecret: CLIENT_SECRET, code: '4/code', redirectUri: 'http://127.0.0.1/cb', codeVerifier: 'ver' });
    expect(result).toEqual({ refreshToken: '1//r', accessToken: 'ya29.a', expiresIn: 3599, scopes: DRIVER_SCOPES.slice(0, 2) });
    expect(form).toEqual({ grant_type: 'authorization_code', code: '4/code', redirect_uri: 'http://127.0.0.1/cb', client_id: 'cid', client_secret: CLIENT_SECRET, code_verifier: 'ver' });
  });

  it('turns a rejected code into INVALID_GRANT without secrets, sending the code only once', async () => {
    let calls = 0;
    nock(TOKEN_ORIGIN).post('/token').times(2).reply(() => {
      calls++;
      return [400, { error: 'invalid_grant', error_description: 'Bad Request' }];
    });
    const error = await failure(() => exchangeAuthorizationCode({ clientId: 'cid', clientSecret: CLIENT_SECRET, code: '4/secret-code', redirectUri: 'r', codeVerifier: 'verifier-secret' }));
    expect(error.code).toBe('INVALID_GRANT');
    expect(calls).toBe(1);
    expectNoSecrets(error, [CLIENT_SECRET, '4/secret-code', 'verifier-secret']);
  });

  it('reports a missing refresh token in the answer', async () => {
    nock(TOKEN_ORIGIN).post('/token').reply(200, { access_token: 'ya29.a', expires_in: 3599 });
    const error = await failure(() => exchangeAuthorizationCode({ clientId: 'cid', clientSecret: 's', code: 'c', redirectUri: 'r', codeVerifier: 'v' }));
    expect(error.code).toBe('INVALID_GRANT');
    expect(error.hint).toContain('myaccount.google.com/permissions');
  });
});
