import type { FastifyInstance, FastifyReply } from 'fastify';
import { endpointsFor } from '../../driver/google-photos/endpoints.js';
import { isHttpUrl } from '../../driver/google-photos/upstream-urls.js';
import { buildAuthorizationUrl, createPkcePair, exchangeAuthorizationCode } from '../../driver/google-photos/oauth.js';
import { isDriverError } from '../../types/errors.js';
import { ApiError, ok } from './api-error.js';
import type { HostContext } from '../host-context.js';
import type { PendingAuthorization } from '../auth/oauth-states.js';
import { escapeHtml, htmlPage } from './html-page.js';
import { bodyObject, storageId as storageIdField } from './request-fields.js';
import { scrubSecrets, secretFields } from '../storages/secrets.js';
import { statusText } from '../storages/storage-manager.js';
import { parseAddition } from '../storages/storage-store.js';

export const CALLBACK_PATH = '/api/google/callback';

/** The storage's emulator address, if any; a 400 for anything but http(s) (it would become the consent page's URL). */
function apiBaseUrl(addition: Record<string, unknown>): { api_base_url?: string } {
  const value = typeof addition.api_base_url === 'string' ? addition.api_base_url.trim() : '';
  if (value === '') return {};
  if (!isHttpUrl(value)) throw new ApiError(400, 'The storage\'s "api_base_url" must be empty (Google) or an http(s) URL; fix it in the storage\'s settings first');
  return { api_base_url: value };
}

function answerPage(reply: FastifyReply, status: number, title: string, body: string): FastifyReply {
  const back = '<p><a href="/@manage/storages">Back to the storages</a></p>';
  return reply.code(status).type('text/html; charset=utf-8').header('cache-control', 'no-store').header('referrer-policy', 'no-referrer')
    .send(htmlPage(title, `${body}\n${back}`));
}

/** "Authorize with Google": PKCE + state kept here, consent at Google (or the storage's emulator), code exchanged on return. */
export function registerGoogleRoutes(app: FastifyInstance, ctx: HostContext): void {
  app.post('/api/admin/google/authorize', async (request) => {
    await ctx.access.admin(request);
    const body = bodyObject(request);
    const storageId = storageIdField(body.storage_id, 'storage_id', 'body');
    const live = ctx.storages.get(storageId);
    if (!live) throw new ApiError(404, `No storage with id ${storageId}`);
    const addition = parseAddition(live.row.addition);
    const clientId = typeof addition.client_id === 'string' ? addition.client_id.trim() : '';
    if (!clientId) throw new ApiError(400, 'Set the storage\'s client_id (and client_secret) first, then authorize');
    const endpoint = endpointsFor(apiBaseUrl(addition)).authorize;
    const pkce = createPkcePair();
    const redirectUri = `${ctx.siteUrl()}${CALLBACK_PATH}`;
    const state = await ctx.oauthStates.create({ storageId, codeVerifier: pkce.verifier, redirectUri });
    const url = buildAuthorizationUrl({
      endpoint,
      clientId,
      redirectUri,
      state,
      codeChallenge: pkce.challenge,
    });
    return ok({ url });
  });

  app.get(CALLBACK_PATH, async (request, reply) => {
    const query = request.query as Record<string, unknown>;
    const state = typeof query.state === 'string' ? query.state : '';
    let pending: PendingAuthorization | undefined;
    try {
      pending = state ? await ctx.oauthStates.take(state) : undefined;
    } catch (err) {
      const message = isDriverError(err) ? err.message : 'The authorization could not be looked up';
      return answerPage(reply, 503, 'Authorization failed', `<h1 class="error">Authorization failed</h1><p>${escapeHtml(message)}. Try the link again once Redis answers.</p>`);
    }
    if (!pending) {
      return answerPage(reply, 400, 'Authorization failed', '<h1 class="error">Authorization failed</h1><p>This authorization link is unknown, already used or expired. Start again with “Authorize with Google”.</p>');
    }
    const live = ctx.storages.get(pending.storageId);
    if (!live) return answerPage(reply, 404, 'Authorization failed', '<h1 class="error">Authorization failed</h1><p>The storage no longer exists.</p>');
    const mount = escapeHtml(live.row.mount_path);
    if (typeof query.error === 'string') {
      return answerPage(reply, 400, 'Authorization cancelled', `<h1 class="error">Authorization cancelled</h1><p>Google answered “${escapeHtml(query.error)}” for storage ${mount}. Nothing was changed.</p>`);
    }
    const code = typeof query.code === 'string' ? query.code : '';
    if (!code) return answerPage(reply, 400, 'Authorization failed', '<h1 class="error">Authorization failed</h1><p>Google sent no authorization code.</p>');

    const addition = parseAddition(live.row.addition);
    let refreshToken: string;
    try {
      ({ refreshToken } = await exchangeAuthorizationCode({
        tokenEndpoint: endpointsFor(apiBaseUrl(addition)).token,
        clientId: String(addition.client_id ?? ''),
        clientSecret: String(addition.client_secret ?? ''),
        code,
        redirectUri: pending.redirectUri,
        codeVerifier: pending.codeVerifier,
      }));
    } catch (err) {
      const secrets = secretFields(live.row.driver);
      const message = scrubSecrets(isDriverError(err) ? err.message : 'The code could not be exchanged for a token', addition, secrets);
      return answerPage(reply, 502, 'Authorization failed', `<h1 class="error">Authorization failed</h1><p>Storage ${mount}: ${escapeHtml(message)}</p>`);
    }
    const updated = await ctx.storages.mergeAddition(live.row.id, { refresh_token: refreshToken });
    await updated?.ready;
    const status = updated ? statusText(updated) : 'unknown';
    const works = status === 'work';
    return answerPage(reply, 200, 'Storage authorized',
      `<h1>Authorized</h1><p>Storage ${mount} authorized. You can close this tab.</p>${works ? '' : `<p class="error">The storage does not work yet: ${escapeHtml(status)}</p>`}`);
  });
}
