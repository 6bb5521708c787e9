import type { FastifyInstance } from 'fastify';
import { ApiError, ok } from './api-error.js';
import type { HostContext } from '../host-context.js';
import { bodyObject, optionalBoolean, optionalString } from './request-fields.js';
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
    ctx.access.admin(request);
    return ok(ctx.settings.get());
  });

  app.post('/api/admin/settings', async (request) => {
    ctx.access.admin(request);
    const body = bodyObject(request);
    const patch: Partial<HostSettings> = {};
    const guestEnabled = optionalBoolean(body, 'guest_enabled');
    if (guestEnabled !== undefined) patch.guest_enabled = guestEnabled;
    const siteUrl = optionalString(body, 'site_url');
    if (siteUrl !== undefined) patch.site_url = siteUrlSetting(siteUrl);
    return ok(ctx.settings.update(patch));
  });
}
