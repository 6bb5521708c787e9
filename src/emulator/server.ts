import formbody from '@fastify/formbody';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { EmulatorContext } from './context.js';
import { ApiError, notFoundHtml, sendApiError, statusError } from './errors.js';
import { registerLibraryAlbumRoutes } from './library-album-routes.js';
import { registerLibraryMediaRoutes } from './library-media-routes.js';
import { registerMediaRoutes } from './media-routes.js';
import { registerAuthorizeRoutes } from './oauth-authorize.js';
import { registerTokenRoutes } from './oauth-token.js';
import { registerPickerPage } from './picker-page.js';
import { registerPickerRoutes } from './picker-routes.js';
import { registerUploadRoutes } from './upload-routes.js';

/** "METHOD /route/{template}" for the request counter. */
export function routeKey(request: FastifyRequest): string {
  const template = request.routeOptions.url;
  if (!template) return `${request.method} (unmatched)`;
  if (template === '/media/*') return `${request.method} /media`;
  let key = template.replace(/::/g, '\u0000').replace(/:([A-Za-z]+)/g, '{$1}').replace(/\u0000/g, ':');
  if (key.endsWith('/{albumIdAndAction}')) {
    const action = String((request.params as Record<string, unknown>).albumIdAndAction ?? '').split(':')[1];
    key = key.replace('{albumIdAndAction}', action ? `{albumId}:${action}` : '{albumId}');
  }
  return `${request.method} ${key}`;
}

/** Media hosts answer failures with a short HTML page, not a google.rpc.Status body. */
function sendMediaError(reply: FastifyReply, error: ApiError): FastifyReply {
  return reply.code(error.httpStatus).headers(error.headers).type('text/html; charset=UTF-8')
    .send(`<!DOCTYPE html><title>Error ${error.httpStatus}</title>`);
}

const isApiRoute = (request: FastifyRequest): boolean =>
  (request.routeOptions.config as { api?: boolean } | undefined)?.api === true;

export function buildServer(ctx: EmulatorContext, registerControls: (app: FastifyInstance) => void): FastifyInstance {
  const app = Fastify({ logger: false, bodyLimit: 8 * 1024 * 1024, forceCloseConnections: true });

  // Empty JSON bodies are fine for Google (e.g. POST /sessions); malformed ones get Google's message.
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    const text = String(body);
    if (text.trim() === '') return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch {
      done(new ApiError(400, 'Invalid JSON payload received. Unexpected token.'), undefined);
    }
  });
  app.register(formbody);

  app.addHook('onRequest', async (request, reply) => {
    if (request.routeOptions.url?.startsWith('/emulator/')) return;
    ctx.counter.add(routeKey(request));
    const isMedia = request.routeOptions.url === '/media/*';
    const faults = isApiRoute(request) ? ctx.faults : isMedia ? ctx.mediaFaults : undefined;
    if (!faults) return;
    const delay = faults.delayMs();
    if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
    const decision = faults.decide();
    if (decision.kind === 'reset') {
      reply.hijack();
      request.raw.socket.destroy();
      return reply;
    }
    if (decision.kind === 'fail') return isMedia ? sendMediaError(reply, decision.error) : sendApiError(reply, decision.error);
    return undefined;
  });

  app.setErrorHandler((error, request, reply) => {
    // Framework errors (body too large, unsupported content type, ...) become Google's generic answers.
    const statusCode = (error as { statusCode?: unknown }).statusCode;
    const apiError = error instanceof ApiError ? error
      : typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500 ? statusError(400) : statusError(500);
    if (isApiRoute(request) || error instanceof ApiError) return sendApiError(reply, apiError);
    return reply.code(apiError.httpStatus).type('text/plain; charset=utf-8').send(apiError.message);
  });
  app.setNotFoundHandler((request, reply) => reply.code(404).type('text/html; charset=UTF-8').send(notFoundHtml(request.url)));

  registerTokenRoutes(app, ctx);
  registerAuthorizeRoutes(app, ctx);
  registerLibraryMediaRoutes(app, ctx);
  registerLibraryAlbumRoutes(app, ctx);
  registerUploadRoutes(app, ctx);
  registerPickerRoutes(app, ctx);
  registerPickerPage(app, ctx);
  registerMediaRoutes(app, ctx);
  registerControls(app);
  return app;
}
