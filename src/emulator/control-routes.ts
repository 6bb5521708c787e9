import type { FastifyInstance, FastifyReply } from 'fastify';
import type { EmulatorControls } from './controls.js';
import type { VideoStatus } from './store.js';

function bodyOf(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' && !Array.isArray(value) ? value as Record<string, unknown> : {};
}

function badRequest(reply: FastifyReply, error: unknown): FastifyReply {
  return reply.code(400).send({ error: error instanceof Error ? error.message : String(error) });
}

/** HTTP test controls under /emulator/ (never subject to faults, never counted). */
export function registerControlRoutes(app: FastifyInstance, controls: EmulatorControls): void {
  app.get('/emulator/stats', async () => controls.requestCounts());
  app.post('/emulator/stats/reset', async () => { controls.resetCounts(); return {}; });

  app.post('/emulator/faults', async (request, reply) => {
    try {
      controls.setFaults(bodyOf(request.body));
      return {};
    } catch (error) {
      return badRequest(reply, error);
    }
  });

  app.post('/emulator/media-faults', async (request, reply) => {
    try {
      controls.setMediaFaults(bodyOf(request.body));
      return {};
    } catch (error) {
      return badRequest(reply, error);
    }
  });

  app.post('/emulator/picker/sessions/:sessionId/pick', async (request, reply) => {
    const ids = bodyOf(request.body).mediaItemIds;
    if (ids !== undefined && !(Array.isArray(ids) && ids.every((id) => typeof id === 'string'))) {
      return badRequest(reply, new Error('mediaItemIds must be a list of strings'));
    }
    try {
      controls.pick((request.params as { sessionId: string }).sessionId, ids as string[] | undefined);
      return {};
    } catch (error) {
      return badRequest(reply, error);
    }
  });

  app.post('/emulator/media-items/:mediaItemId/video-status', async (request, reply) => {
    const status = bodyOf(request.body).status;
    if (typeof status !== 'string') return badRequest(reply, new Error('status must be PROCESSING, READY or FAILED'));
    try {
      controls.setVideoStatus((request.params as { mediaItemId: string }).mediaItemId, status as VideoStatus);
      return {};
    } catch (error) {
      return badRequest(reply, error);
    }
  });

  app.post('/emulator/account', async (request, reply) => {
    const has = bodyOf(request.body).hasPhotosAccount;
    if (typeof has !== 'boolean') return badRequest(reply, new Error('hasPhotosAccount must be a boolean'));
    controls.setPhotosAccount(has);
    return {};
  });

  app.post('/emulator/refresh-tokens', async (request, reply) => {
    const body = bodyOf(request.body);
    const scopes = body.scopes;
    if (scopes !== undefined && !(Array.isArray(scopes) && scopes.every((s) => typeof s === 'string'))) {
      return badRequest(reply, new Error('scopes must be a list of strings'));
    }
    try {
      const clientId = typeof body.clientId === 'string' ? body.clientId : undefined;
      return { refresh_token: controls.issueRefreshToken({ clientId, scopes: scopes as string[] | undefined }) };
    } catch (error) {
      return badRequest(reply, error);
    }
  });

  app.post('/emulator/access-tokens/expire', async (request, reply) => {
    if (request.body !== undefined && (typeof request.body !== 'object' || request.body === null || Array.isArray(request.body))) {
      return badRequest(reply, new Error('the body must be a JSON object ({})'));
    }
    return { expired: controls.expireAccessTokens() };
  });

  app.post('/emulator/projects/:api', async (request, reply) => {
    const api = (request.params as { api: string }).api;
    if (api !== 'photoslibrary' && api !== 'photospicker') return badRequest(reply, new Error('api must be photoslibrary or photospicker'));
    const body = bodyOf(request.body);
    if (body.enabled !== undefined && typeof body.enabled !== 'boolean') return badRequest(reply, new Error('enabled must be a boolean'));
    if (body.quotaExhausted !== undefined && typeof body.quotaExhausted !== 'boolean') {
      return badRequest(reply, new Error('quotaExhausted must be a boolean'));
    }
    if (typeof body.enabled === 'boolean') controls.setApiEnabled(api, body.enabled);
    if (typeof body.quotaExhausted === 'boolean') controls.setQuotaExhausted(api, body.quotaExhausted);
    return {};
  });
}
