import type { FastifyInstance } from 'fastify';
import { ApiError, ok } from './api-error.js';
import type { HostContext } from '../host-context.js';
import { bodyObject, optionalString } from './request-fields.js';
import type { HostSettings } from '../state/settings-store.js';
import { normalizeSiteUrl, SiteUrlError } from '../site-url.js';

export function siteUrlSetting(value: string): string {
  if (value.trim() === '') return '';
  try {
    return normalizeSiteUrl(value);
  } catch (err) {
    if (err instanceof SiteUrlError) throw new ApiError(400, err.message);
    throw err;
  }
}

export function registerSettingsRoutes(app: FastifyInstance, ctx: HostContext): void {
  app.get('/api/admin/settings', async (request) => {
    await ctx.access.admin(request);
    return ok(ctx.settings.get());
  });

  app.post('/api/admin/settings', async (request) => {
    await ctx.access.admin(request);
    const body = bodyObject(request);
    const patch: Partial<HostSettings> = {};
    if (body.guest_enabled !== undefined) {
      throw new ApiError(400, '"guest_enabled" is no longer a setting: guests browse as the built-in guest user', {
        errorCode: 'MOVED', hint: 'Enable or disable the guest user (role 1) with POST /api/admin/user/update, or on the Users page.',
      });
    }
    const siteUrl = optionalString(body, 'site_url');
    if (siteUrl !== undefined) patch.site_url = siteUrlSetting(siteUrl);
    const updated = await ctx.settings.update(patch);
    ctx.caches.settingsChanged();
    return ok(updated);
  });
}
