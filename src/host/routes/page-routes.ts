import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import mime from 'mime-types';
import { ApiError, sendError } from './api-error.js';
import { htmlPage } from './html-page.js';
import { decodeUrlPath } from '../fs/paths.js';

/** assets/ui at the package root; the same depth works from src/host/routes and dist/host/routes. */
export const UI_DIR = fileURLToPath(new URL('../../../assets/ui/', import.meta.url));

/**
 * Only this server's own scripts run in its pages (they hold the admin token): no inline script, no plugins,
 * no <base> rewriting, no framing by others. Thumbnails and media may come from the storages' upstreams
 * (Google's https hosts, an emulator over http) or from the site URL, hence any http(s) origin for img/media.
 */
export const UI_CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' https: http: data: blob:",
  "media-src 'self' https: http: blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const PAGE_HEADERS = {
  'content-security-policy': UI_CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-cache',
};

/** Stream a file of assets/ui (relative path already free of traversal); 404 page when it is missing. */
async function sendUiFile(request: FastifyRequest, reply: FastifyReply, relative: string): Promise<FastifyReply> {
  const file = path.join(UI_DIR, relative);
  const info = await stat(file).catch(() => undefined);
  reply.headers(PAGE_HEADERS);
  if (!info?.isFile()) {
    return reply.code(404).type('text/html; charset=utf-8').send(htmlPage('Not found', '<h1>Not found</h1><p>This page of the web UI is not installed.</p>'));
  }
  const type = mime.contentType(path.extname(file)) || 'application/octet-stream';
  reply.type(type).header('content-length', info.size).header('last-modified', info.mtime.toUTCString());
  if (request.method === 'HEAD') return reply.send();
  return reply.send(createReadStream(file));
}

/** The browser UI: the file browser for any non-API path, the admin and login pages, and their assets. */
export function registerPageRoutes(app: FastifyInstance): void {
  const page = (file: string) => (request: FastifyRequest, reply: FastifyReply) => sendUiFile(request, reply, file);
  for (const url of ['/@manage', '/@manage/*']) app.get(url, page('manage.html'));
  app.get('/@login', page('login.html'));
  app.get('/', page('index.html'));
  app.get('/assets/*', async (request, reply) => {
    const relative = decodeUrlPath(request.url.slice('/assets'.length)).slice(1);
    return sendUiFile(request, reply, relative);
  });

  app.setNotFoundHandler((request: FastifyRequest, reply: FastifyReply) => {
    const isPage = (request.method === 'GET' || request.method === 'HEAD') && !/^\/(api|d|p|assets)(\/|$|\?)/.test(request.url);
    if (isPage) return sendUiFile(request, reply, 'index.html');
    return sendError(request, reply, new ApiError(404, `Not found: ${request.method} ${request.url.split('?')[0]}`));
  });
}
