import type { FastifyRequest } from 'fastify';
import { dailyQuotaExceeded, insufficientScopes, serviceDisabled, unauthenticated, type ServiceInfo } from './errors.js';
import { PROJECT_NUMBER, type AccessTokenRecord, type ApiName, type EmulatorStore } from './store.js';

export const SERVICES: Record<ApiName, ServiceInfo> = {
  photoslibrary: { service: 'photoslibrary.googleapis.com', title: 'Photos Library API' },
  photospicker: { service: 'photospicker.googleapis.com', title: 'Google Photos Picker API' },
};

export function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  const match = typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  return match?.[1];
}

/** A valid, unexpired access token from the request, or undefined. */
export function validAccessToken(store: EmulatorStore, request: FastifyRequest): AccessTokenRecord | undefined {
  const token = bearerToken(request);
  const record = token === undefined ? undefined : store.accessTokens.get(token);
  return record && record.expiresMs > store.now() ? record : undefined;
}

/**
 * Checks a Google API call in the order Google's front end does: credentials, the project's API switch,
 * the token's scopes (any of `anyOfScopes`), then the daily quota. Throws ApiError.
 */
export function authorizeApiCall(store: EmulatorStore, request: FastifyRequest, api: ApiName,
  anyOfScopes: readonly string[]): AccessTokenRecord {
  const service = SERVICES[api].service;
  const token = bearerToken(request);
  if (token === undefined) throw unauthenticated('missing', service);
  const record = store.accessTokens.get(token);
  if (!record) throw unauthenticated('invalid', service);
  if (record.expiresMs <= store.now()) throw unauthenticated('expired', service);
  if (!store.apiEnabled[api]) throw serviceDisabled(SERVICES[api], PROJECT_NUMBER);
  if (!anyOfScopes.some((scope) => record.scopes.includes(scope))) throw insufficientScopes();
  if (store.quotaExhausted[api]) throw dailyQuotaExceeded(SERVICES[api], PROJECT_NUMBER);
  return record;
}
