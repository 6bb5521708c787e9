import type { FastifyReply, FastifyRequest } from 'fastify';
import { authorizeApiCall } from './api-auth.js';
import type { EmulatorContext } from './context.js';
import { ApiError, sendApiError } from './errors.js';
import type { AccessTokenRecord, ApiName } from './store.js';

type ApiHandlerFn = (request: FastifyRequest, token: AccessTokenRecord, reply: FastifyReply) => unknown;

/** Google's APIs pretty-print JSON by default. */
export function sendJson(reply: FastifyReply, body: unknown, status = 200): FastifyReply {
  return reply.code(status).type('application/json; charset=UTF-8').send(JSON.stringify(body, null, 2));
}

/** Wraps a Google API handler: checks the call (credentials, API switch, scopes, quota) and turns ApiError into Status bodies. */
export function apiHandler(ctx: EmulatorContext, api: ApiName, anyOfScopes: readonly string[], fn: ApiHandlerFn) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
    try {
      const token = authorizeApiCall(ctx.store, request, api, anyOfScopes);
      const result = await fn(request, token, reply);
      return reply.sent || result === reply ? reply : sendJson(reply, result);
    } catch (error) {
      if (error instanceof ApiError) return sendApiError(reply, error);
      throw error;
    }
  };
}

export function jsonBody(request: FastifyRequest): Record<string, unknown> {
  const body = request.body;
  if (body === undefined || body === null || body === '') return {};
  if (typeof body !== 'object' || Array.isArray(body) || Buffer.isBuffer(body)) {
    throw new ApiError(400, 'Invalid JSON payload received. Expected an object.');
  }
  return body as Record<string, unknown>;
}
