import type { FastifyInstance } from 'fastify';
import { ok } from './api-error.js';
import type { HostContext } from '../host-context.js';
import { publicSettings } from './public-settings.js';

/** AList's /api/public group: open to anyone, what its web frontend reads before it draws (GET or POST; AList takes any method). */
export function registerPublicRoutes(app: FastifyInstance, ctx: HostContext): void {
  const methods = ['GET', 'POST'] as const;
  app.route({ method: [...methods], url: '/api/public/settings', handler: async () => ok(publicSettings(ctx.settings)) });
  // OpenList's route: the archive kinds it can list inside; the host opens no archives.
  app.route({ method: [...methods], url: '/api/public/archive_extensions', handler: async () => ok([]) });
  // The host has no offline download tools (aria2, qBittorrent, ...).
  app.route({ method: [...methods], url: '/api/public/offline_download_tools', handler: async () => ok([]) });
  // AList's /robots.txt: the robots_txt setting.
  app.get('/robots.txt', async (_request, reply) => reply.type('text/plain; charset=utf-8').send(ctx.settings.value('robots_txt')));
}
