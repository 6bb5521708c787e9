import type { FastifyInstance } from 'fastify';
import { ok } from './api-error.js';
import type { HostContext } from '../host-context.js';
import { bodyObject, optionalBoolean } from './request-fields.js';

export function registerSettingsRoutes(app: FastifyInstance, ctx: HostContext): void {
  app.get('/api/admin/settings', async (request) => {
    ctx.access.admin(request);
    return ok(ctx.settings.get());
  });

  app.post('/api/admin/settings', async (request) => {
    ctx.access.admin(request);
    const guestEnabled = optionalBoolean(bodyObject(request), 'guest_enabled');
    return ok(ctx.settings.update(guestEnabled === undefined ? {} : { guest_enabled: guestEnabled }));
  });
}
