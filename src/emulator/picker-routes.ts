import type { FastifyInstance } from 'fastify';
import { apiHandler, jsonBody } from './api-route.js';
import type { EmulatorContext } from './context.js';
import { ApiError, failedPrecondition, invalidArgument, notFound } from './errors.js';
import { firstQueryValue, listingOf, pageOf, readPageSize, readPageToken } from './paging.js';
import { PICKER_SCOPES } from './scopes.js';
import { pickedItemJson } from './shapes.js';
import { PICKER_POLL_TIMEOUT_MS, type AccessTokenRecord, type EmulatorStore, type MediaItemRecord, type PickerSession } from './store.js';

export const PICKER = '/photospicker/v1';
export const MAX_LIVE_SESSIONS = 30;
export const MAX_PICK = 2000;
/** sessions.create when the signed-in user has never activated Google Photos (wording is the emulator's). */
export const NO_PHOTOS_ACCOUNT = 'The user does not have an active Google Photos account.';

function duration(ms: number): string {
  return `${Math.max(0, Math.round(ms / 100) / 10)}s`;
}

/** Google sends pollingConfig only while the user is still picking. */
export function sessionJson(ctx: EmulatorContext, session: PickerSession): Record<string, unknown> {
  const json: Record<string, unknown> = { id: session.id, pickerUri: `${ctx.origin}/picker/${session.id}` };
  if (session.picked === null) {
    json.pollingConfig = { pollInterval: '1s', timeoutIn: duration(session.createdMs + PICKER_POLL_TIMEOUT_MS - ctx.store.now()) };
  }
  json.expireTime = new Date(session.expireMs).toISOString();
  json.mediaItemsSet = session.picked !== null;
  if (session.maxItemCount !== undefined) json.pickingConfig = { maxItemCount: String(session.maxItemCount) };
  return json;
}

/**
 * A live session of this client. Expired sessions answer 404 NOT_FOUND (the emulator's documented choice),
 * as do deleted ones and other clients' sessions.
 */
export function liveSession(store: EmulatorStore, id: string, clientId?: string): PickerSession {
  const session = store.pickerSessions.get(id);
  if (!session || (clientId !== undefined && session.clientId !== clientId)) throw notFound();
  if (session.expireMs <= store.now()) {
    store.pickerSessions.delete(id);
    throw notFound();
  }
  return session;
}

/** Records what the user picked (the picker page's Done, or the test control). Throws ApiError on a bad pick. */
export function pickItems(store: EmulatorStore, sessionId: string, mediaItemIds?: string[]): void {
  const session = liveSession(store, sessionId);
  let items: MediaItemRecord[];
  if (mediaItemIds === undefined) {
    items = (store.pickableOnly.length > 0 ? store.pickableOnly : store.userLibrary).slice(0, 5);
  } else {
    items = [...new Set(mediaItemIds)].map((id) => {
      const item = store.itemsById.get(id);
      if (!item) throw invalidArgument(`Unknown media item id: ${id.slice(0, 80)}`);
      return item;
    });
  }
  const max = session.maxItemCount ?? MAX_PICK;
  if (items.length > max) throw invalidArgument(`At most ${max} items may be picked in this session.`);
  session.picked = items;
}

function readMaxItemCount(body: Record<string, unknown>): number | undefined {
  const config = body.pickingConfig;
  if (config === undefined) return undefined;
  const raw = config && typeof config === 'object' ? (config as Record<string, unknown>).maxItemCount : undefined;
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > MAX_PICK) {
    throw invalidArgument(`pickingConfig.maxItemCount must be between 1 and ${MAX_PICK}.`);
  }
  return n;
}

export function registerPickerRoutes(app: FastifyInstance, ctx: EmulatorContext): void {
  const api = { config: { api: true } };
  const handler = (fn: (request: Parameters<Parameters<typeof apiHandler>[3]>[0], token: AccessTokenRecord) => unknown) =>
    apiHandler(ctx, 'photospicker', PICKER_SCOPES, fn);

  app.post(`${PICKER}/sessions`, api, handler((request, token) => {
    const maxItemCount = readMaxItemCount(jsonBody(request));
    if (!ctx.store.hasPhotosAccount) throw failedPrecondition(NO_PHOTOS_ACCOUNT);
    if (ctx.store.liveSessionCount(token.clientId) >= MAX_LIVE_SESSIONS) {
      throw new ApiError(429, 'Too many active sessions. Delete sessions you no longer need and try again.', 'RESOURCE_EXHAUSTED');
    }
    return sessionJson(ctx, ctx.store.createPickerSession(token.clientId, maxItemCount));
  }));

  app.get(`${PICKER}/sessions/:sessionId`, api, handler((request, token) =>
    sessionJson(ctx, liveSession(ctx.store, (request.params as { sessionId: string }).sessionId, token.clientId))));

  app.delete(`${PICKER}/sessions/:sessionId`, api, handler((request, token) => {
    const session = liveSession(ctx.store, (request.params as { sessionId: string }).sessionId, token.clientId);
    ctx.store.pickerSessions.delete(session.id);
    return {};
  }));

  app.get(`${PICKER}/mediaItems`, api, handler((request, token) => {
    const query = request.query as Record<string, unknown>;
    const sessionId = firstQueryValue(query.sessionId);
    if (typeof sessionId !== 'string' || sessionId === '') throw invalidArgument('sessionId is required.');
    const session = liveSession(ctx.store, sessionId, token.clientId);
    const pageSize = readPageSize(firstQueryValue(query.pageSize), 50, 100, true);
    if (session.picked === null) throw failedPrecondition('The user has not finished picking media items.');
    const listing = listingOf('picked', session.id);
    const page = pageOf(session.picked, readPageToken(firstQueryValue(query.pageToken), listing), pageSize, listing, ctx.faults.pagingQuirks());
    const result: Record<string, unknown> = {};
    if (page.items.length > 0) result.mediaItems = page.items.map((item) => pickedItemJson(item, ctx.pickedBaseUrl(item, session)));
    if (page.nextPageToken) result.nextPageToken = page.nextPageToken;
    return result;
  }));
}
