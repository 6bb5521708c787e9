import type { FastifyInstance } from 'fastify';
import { ok } from './api-error.js';
import { publicSettings } from './public-settings.js';

/** AList's /api/public group: open to anyone, what its web frontend reads before it draws (GET or POST; AList takes any method). */
export function registerPublicRoutes(app: FastifyInstance): void {
  const methods = ['GET', 'POST'] as const;
  app.route({ method: [...methods], url: '/api/public/settings', handler: async () => ok(publicSettings()) });
  // OpenList's route: the archive kinds it can list inside; the host opens no archives.
  app.route({ method: [...methods], url: '/api/public/archive_extensions', handler: async () => ok([]) });
  // The host has no offline download tools (aria2, qBittorrent, ...).
  app.route({ method: [...methods], url: '/api/public/offline_download_tools', handler: async () => ok([]) });
}
