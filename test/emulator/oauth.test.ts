import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { call, postForm, SCOPES, startTestEmulator, type TestEmulator } from './emulator-client.js';
import { RpcStatus } from './shapes.js';

const REDIRECT = 'http://127.0.0.1:53682/callback';
const ALL_SCOPES = [SCOPES.appendOnly, SCOPES.readAppCreated, SCOPES.editAppCreated, SCOPES.picker];

function pkce() {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

function authorizeUrl(t: TestEmulator, p: {
  challenge: string | null; scopes?: string[]; redirect?: string; clientId?: string; online?: boolean; noPrompt?: boolean;
}): string {
  const query = new URLSearchParams({
    client_id: p.clientId ?? t.emu.client.clientId, redirect_uri: p.redirect ?? REDIRECT, response_type: 'code',
    scope: (p.scopes ?? ALL_SCOPES).join(' '), state: 'state-123', access_type: p.online ? 'online' : 'offline',
  });
  if (p.challenge !== null) {
    query.set('code_challenge', p.challenge);
    query.set('code_challenge_method', 'S256');
  }
  if (!p.noPrompt) query.set('prompt', 'consent');
  return `${t.emu.endpoints.authorize}?${query}`;
}

/** Reads the consent page, ticks the boxes `keep` decides, presses a button; returns the redirect's URL. */
async function consent(t: TestEmulator, url: string, keep: (scope: string) => boolean, action = 'allow'): Promise<URL> {
  const page = await fetch(url);
  expect(page.status).toBe(200);
  const html = await page.text();
  const formAction = /<form[^>]*action="([^"]+)"/.exec(html)![1]!;
  const consentId = /name="consent_id" value="([^"]+)"/.exec(html)![1]!;
  const boxes = [...html.matchAll(/<input type="checkbox"[^>]*name="scope" value="([^"]+)"/g)].map((m) => m[1]!);
  expect(boxes.sort()).toEqual([...ALL_SCOPES].sort());
  const form = new URLSearchParams({ consent_id: consentId, action });
  for (const scope of boxes.filter(keep)) form.append('scope', scope);
  const answer = await fetch(new URL(formAction, t.emu.url), {
    method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString(),
  });
  expect(answer.status).toBe(302);
  return new URL(answer.headers.get('location')!);
}

async function exchange(t: TestEmulator, code: string, verifier: string, redirect = REDIRECT) {
  return postForm(t.emu.endpoints.token, {
    grant_type: 'authorization_code', code, redirect_uri: redirect, client_id: t.emu.client.clientId,
    client_secret: t.emu.client.clientSecret, code_verifier: verifier,
  });
}

describe('emulator OAuth', () => {
  let t: TestEmulator;
  beforeAll(async () => { t = await startTestEmulator({ items: 5, albums: 2, pickableOnlyItems: 2 }); });
  afterAll(async () => { await t.emu.close(); });

  it('consents with every box, exchanges the code with PKCE and reads the library', async () => {
    const { verifier, challenge } = pkce();
    const redirect = await consent(t, authorizeUrl(t, { challenge }), () => true);
    expect(`${redirect.origin}${redirect.pathname}`).toBe(REDIRECT);
    expect(redirect.searchParams.get('state')).toBe('state-123');
    const { status, body } = await exchange(t, redirect.searchParams.get('code')!, verifier);
    expect(status).toBe(200);
    expect(Object.keys(body).sort()).toEqual(['access_token', 'expires_in', 'refresh_token', 'scope', 'token_type']);
    expect(body.token_type).toBe('Bearer');
    expect(body.expires_in).toBe(3599);
    expect(body.scope.split(' ').sort()).toEqual([...ALL_SCOPES].sort());
    const list = await call(`${t.emu.endpoints.library}/mediaItems`, body.access_token);
    expect(list.status).toBe(200);
    expect(list.body.mediaItems).toHaveLength(5);

    const refreshed = await postForm(t.emu.endpoints.token, {
      grant_type: 'refresh_token', refresh_token: body.refresh_token, client_id: t.emu.client.clientId, client_secret: t.emu.client.clientSecret,
    });
    expect(refreshed.status).toBe(200);
    expect(Object.keys(refreshed.body).sort()).toEqual(['access_token', 'expires_in', 'scope', 'token_type']);
  });

  it('unticking the Photos boxes yields a token without them: the API answers insufficient scopes', async () => {
    const { verifier, challenge } = pkce();
    const redirect = await consent(t, authorizeUrl(t, { challenge }), (scope) => scope === SCOPES.picker);
    expect(redirect.searchParams.get('scope')).toBe(SCOPES.picker);
    const { body } = await exchange(t, redirect.searchParams.get('code')!, verifier);
    expect(body.scope).toBe(SCOPES.picker);
    const list = await call(`${t.emu.endpoints.library}/mediaItems`, body.access_token);
    expect(list.status).toBe(403);
    expect(list.body).toEqual({ error: { code: 403, message: 'Request had insufficient authentication scopes.', status: 'PERMISSION_DENIED' } });
  });

  it('without access_type=offline the code exchange returns no refresh token, as at Google', async () => {
    const { verifier, challenge } = pkce();
    const code = (await consent(t, authorizeUrl(t, { challenge, online: true }), () => true)).searchParams.get('code')!;
    const { status, body } = await exchange(t, code, verifier);
    expect(status).toBe(200);
    expect(body.access_token).toMatch(/^ya29\./);
    expect(body.refresh_token).toBeUndefined();
  });

  it('Cancel redirects with error=access_denied and the state', async () => {
    const redirect = await consent(t, authorizeUrl(t, { challenge: pkce().challenge }), () => true, 'deny');
    expect(redirect.searchParams.get('error')).toBe('access_denied');
    expect(redirect.searchParams.get('state')).toBe('state-123');
    expect(redirect.searchParams.get('code')).toBeNull();
  });

  it('rejects a wrong PKCE verifier, and a code is single-use', async () => {
    const { verifier, challenge } = pkce();
    const code = (await consent(t, authorizeUrl(t, { challenge }), () => true)).searchParams.get('code')!;
    const wrong = await exchange(t, code, pkce().verifier);
    expect(wrong).toEqual({ status: 400, body: { error: 'invalid_grant', error_description: 'Invalid code verifier.' } });
    const { verifier: v2, challenge: c2 } = pkce();
    const code2 = (await consent(t, authorizeUrl(t, { challenge: c2 }), () => true)).searchParams.get('code')!;
    expect((await exchange(t, code2, v2)).status).toBe(200);
    const again = await exchange(t, code2, v2);
    expect(again.status).toBe(400);
    expect(again.body.error).toBe('invalid_grant');
    expect(verifier).not.toBe(v2);
  });

  it('a redirect_uri different from the authorization request is refused', async () => {
    const { verifier, challenge } = pkce();
    const code = (await consent(t, authorizeUrl(t, { challenge }), () => true)).searchParams.get('code')!;
    const answer = await exchange(t, code, verifier, 'http://127.0.0.1:9/other');
    expect(answer.status).toBe(400);
    expect(answer.body.error).toBe('redirect_uri_mismatch');
  });

  it('the authorization endpoint refuses unknown clients and non-loopback redirects with an error page', async () => {
    const unknown = await fetch(authorizeUrl(t, { challenge: pkce().challenge, clientId: 'nobody.apps.googleusercontent.com' }));
    expect(unknown.status).toBe(401);
    expect(await unknown.text()).toContain('invalid_client');
    const remote = await fetch(authorizeUrl(t, { challenge: pkce().challenge, redirect: 'https://example.com/cb' }));
    expect(remote.status).toBe(400);
    expect(await remote.text()).toContain('redirect_uri_mismatch');
    const localhost = await fetch(authorizeUrl(t, { challenge: pkce().challenge, redirect: 'http://localhost:8080/cb' }));
    expect(localhost.status).toBe(200);
  });

  it('invalid_grant after revoke, invalid_client for an unknown client or a wrong secret, invalid_request without a code', async () => {
    const refreshToken = t.emu.issueRefreshToken();
    const base = { grant_type: 'refresh_token', refresh_token: refreshToken, client_id: t.emu.client.clientId, client_secret: t.emu.client.clientSecret };
    expect((await postForm(t.emu.endpoints.token, base)).status).toBe(200);
    t.emu.revokeRefreshToken(refreshToken);
    expect(await postForm(t.emu.endpoints.token, base))
      .toEqual({ status: 400, body: { error: 'invalid_grant', error_description: 'Token has been expired or revoked.' } });
    expect(await postForm(t.emu.endpoints.token, { ...base, client_id: 'nobody.apps.googleusercontent.com' }))
      .toEqual({ status: 401, body: { error: 'invalid_client', error_description: 'The OAuth client was not found.' } });
    const wrongSecret = await postForm(t.emu.endpoints.token, { ...base, client_secret: 'not-the-secret' });
    expect(wrongSecret).toEqual({ status: 401, body: { error: 'invalid_client', error_description: 'Unauthorized' } });
    expect(JSON.stringify(wrongSecret)).not.toContain('not-the-secret');
    const noCode = await postForm(t.emu.endpoints.token, { ...base, grant_type: 'authorization_code', redirect_uri: REDIRECT });
    expect(noCode.status).toBe(400);
    expect(noCode.body.error).toBe('invalid_request');
  });

  it('an access token expires after its lifetime (injected clock): 401 UNAUTHENTICATED', async () => {
    const refreshToken = t.emu.issueRefreshToken();
    const { body } = await postForm(t.emu.endpoints.token, {
      grant_type: 'refresh_token', refresh_token: refreshToken, client_id: t.emu.client.clientId, client_secret: t.emu.client.clientSecret,
    });
    expect((await call(`${t.emu.endpoints.library}/albums`, body.access_token)).status).toBe(200);
    t.clock.now += 3600_000;
    const expired = await call(`${t.emu.endpoints.library}/albums`, body.access_token);
    expect(expired.status).toBe(401);
    expect(RpcStatus.parse(expired.body).error.status).toBe('UNAUTHENTICATED');
    expect(expired.body.error.message).toMatch(/^Request had invalid authentication credentials\./);
    expect(JSON.stringify(expired.body)).not.toContain(body.access_token);
    const missing = await call(`${t.emu.endpoints.library}/albums`, undefined);
    expect(missing.status).toBe(401);
    expect(missing.body.error.message).toMatch(/^Request is missing required authentication credential\./);
  });

  it('a token with only the removed photoslibrary scope gets 403 insufficient scopes without details', async () => {
    const refreshToken = t.emu.issueRefreshToken({ scopes: [SCOPES.legacyLibrary] });
    const { body } = await postForm(t.emu.endpoints.token, {
      grant_type: 'refresh_token', refresh_token: refreshToken, client_id: t.emu.client.clientId, client_secret: t.emu.client.clientSecret,
    });
    for (const path of ['/mediaItems', '/albums', '/sharedAlbums']) {
      const answer = await call(`${t.emu.endpoints.library}${path}`, body.access_token);
      expect(answer.status).toBe(403);
      expect(answer.body).toEqual({ error: { code: 403, message: 'Request had insufficient authentication scopes.', status: 'PERMISSION_DENIED' } });
    }
  });

  it('code exchange errors use Google\'s wordings: malformed, reused, missing or wrong verifier, verifier not needed', async () => {
    const bad = await exchange(t, '4/0garbage', pkce().verifier);
    expect(bad).toEqual({ status: 400, body: { error: 'invalid_grant', error_description: 'Malformed auth code.' } });

    const { verifier, challenge } = pkce();
    const code = (await consent(t, authorizeUrl(t, { challenge }), () => true)).searchParams.get('code')!;
    const missing = await postForm(t.emu.endpoints.token, {
      grant_type: 'authorization_code', code, redirect_uri: REDIRECT, client_id: t.emu.client.clientId, client_secret: t.emu.client.clientSecret,
    });
    expect(missing).toEqual({ status: 400, body: { error: 'invalid_grant', error_description: 'Missing code verifier.' } });
    expect((await exchange(t, code, pkce().verifier)).body).toEqual({ error: 'invalid_grant', error_description: 'Invalid code verifier.' });
    expect((await exchange(t, code, verifier)).status).toBe(200);
    expect(await exchange(t, code, verifier)).toEqual({ status: 400, body: { error: 'invalid_grant', error_description: 'Bad Request' } });

    const plainCode = (await consent(t, authorizeUrl(t, { challenge: null }), () => true)).searchParams.get('code')!;
    expect(await exchange(t, plainCode, pkce().verifier)).toEqual({
      status: 400, body: { error: 'invalid_grant', error_description: 'code_verifier or verifier is not needed.' },
    });
  });

  it('a refresh token comes only with a fresh consent: again without prompt=consent gives none, until access is revoked', async () => {
    const client = t.emu.registerClient();
    const authorize = async (noPrompt: boolean) => {
      const { verifier, challenge } = pkce();
      const url = authorizeUrl(t, { challenge, clientId: client.clientId, noPrompt });
      const code = (await consent(t, url, () => true)).searchParams.get('code')!;
      const answer = await postForm(t.emu.endpoints.token, {
        grant_type: 'authorization_code', code, redirect_uri: REDIRECT, client_id: client.clientId,
        client_secret: client.clientSecret, code_verifier: verifier,
      });
      expect(answer.status).toBe(200);
      return answer.body;
    };
    const first = await authorize(true);
    expect(first.refresh_token).toMatch(/^1\/\/0/);
    const second = await authorize(true);
    expect(second.access_token).toMatch(/^ya29\./);
    expect(second.refresh_token).toBeUndefined();
    expect((await authorize(false)).refresh_token).toMatch(/^1\/\/0/);

    const revoked = await postForm(`${t.emu.url}/revoke`, { token: first.refresh_token });
    expect(revoked.status).toBe(200);
    expect((await authorize(true)).refresh_token).toMatch(/^1\/\/0/);
  });
});
