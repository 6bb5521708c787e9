import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { HostContext } from '../host-context.js';
import { isSettingKey, SettingFlag, settingValueProblem, type SettingItem } from '../state/setting-items.js';
import { ApiError, ok } from './api-error.js';
import { siteUrlSetting } from './settings-routes.js';

function query(request: FastifyRequest): Record<string, unknown> {
  return (request.query as Record<string, unknown>) ?? {};
}

function knownKey(key: unknown): string {
  if (typeof key !== 'string' || key === '') throw new ApiError(400, '"key" is required');
  if (!isSettingKey(key)) throw new ApiError(400, `No setting is called "${key}"`);
  return key;
}

/** `group` or `groups` (comma-separated) of a list request; undefined = every group. */
function groupsOf(request: FastifyRequest): number[] | undefined {
  const { group, groups } = query(request);
  const text = typeof groups === 'string' && groups !== '' ? groups : typeof group === 'string' && group !== '' ? group : undefined;
  if (text === undefined) return undefined;
  return text.split(',').map((part) => {
    if (!/^\d+$/.test(part)) throw new ApiError(400, `"${part}" is not a setting group (a number)`);
    return Number(part);
  });
}

/**
 * AList's /api/admin/setting routes over the host's setting items (state/setting-items.ts). Admin only. The `token`
 * (flag PRIVATE) is answered by get of its key, and by list only when the SINGLE group is asked for by number (what
 * AList's "Other" settings page does), never in an unfiltered list.
 */
export function registerAdminSettingRoutes(app: FastifyInstance, ctx: HostContext): void {
  app.get('/api/admin/setting/list', async (request) => {
    await ctx.access.admin(request);
    const groups = groupsOf(request);
    const items = ctx.settings.items().filter((item) => (groups ? groups.includes(item.group) : item.key !== 'token'));
    return ok(items);
  });

  app.get('/api/admin/setting/get', async (request) => {
    await ctx.access.admin(request);
    const { key, keys } = query(request);
    if (typeof key === 'string' && key !== '') return ok(ctx.settings.item(knownKey(key)));
    if (typeof keys !== 'string' || keys === '') throw new ApiError(400, '"key" or "keys" is required');
    return ok(keys.split(',').map((one) => ctx.settings.item(knownKey(one))));
  });

  app.post('/api/admin/setting/save', async (request) => {
    await ctx.access.admin(request);
    const body = request.body;
    if (!Array.isArray(body)) throw new ApiError(400, 'The request body must be a list of settings ({key, value})');
    const changes: Array<{ key: string; value: string }> = [];
    for (const entry of body as unknown[]) {
      const item = (entry ?? {}) as Partial<SettingItem>;
      const key = knownKey(item.key);
      if (typeof item.value !== 'string') throw new ApiError(400, `The value of "${key}" must be a string`);
      let value = item.value;
      const current = ctx.settings.item(key);
      if (key === 'token') {
        // AList's pages send the whole group back: an unchanged token is fine; a new one comes only from reset_token.
        if (ctx.settings.isToken(value)) continue;
        throw new ApiError(400, '"token" changes only through POST /api/admin/setting/reset_token');
      }
      if (current.flag === SettingFlag.READONLY) {
        if (value === current.value) continue;
        throw new ApiError(400, `"${key}" is read-only`);
      }
      const problem = settingValueProblem(key, value);
      if (problem) throw new ApiError(400, `"${key}" ${problem}`);
      if (key === 'site_url') value = siteUrlSetting(value);
      changes.push({ key, value });
    }
    await ctx.settings.save(changes);
    ctx.caches.settingsChanged();
    return ok(null);
  });

  app.post('/api/admin/setting/delete', async (request) => {
    await ctx.access.admin(request);
    const key = knownKey(query(request).key);
    // AList deletes only DEPRECATED items; every item of this host is in use.
    throw new ApiError(400, `setting [${key}] is not deprecated`);
  });

  app.post('/api/admin/setting/reset_token', async (request) => {
    await ctx.access.admin(request);
    const token = await ctx.settings.resetToken();
    // The other processes must refuse the old token's signs at once, as this one does.
    ctx.caches.settingsChanged();
    return ok(token);
  });
}

