import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import mime from 'mime-types';
import { ApiError, sendError } from './api-error.js';
import { htmlPage } from './html-page.js';
import { decodeUrlPath } from '../fs/paths.js';
import { loadOpenListIndex, OPENLIST_DIR, OPENLIST_FOLDERS } from './openlist-pages.js';

/** Which web UI the host serves: its own (assets/ui), or OpenList's published frontend (vendor/openlist-frontend). */
export type WebUi = 'default' | 'openlist';
export const WEB_UIS: readonly WebUi[] = ['default', 'openlist'];

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

/** Stream a file of `dir` (relative path already free of traversal); 404 page when it is missing. */
async function sendStaticFile(request: FastifyRequest, reply: FastifyReply, dir: string, relative: string, headers: Record<string, string>): Promise<FastifyReply> {
  const file = path.join(dir, relative);
  const info = await stat(file).catch(() => undefined);
  reply.headers(headers);
  if (!info?.isFile()) {
    return reply.code(404).type('text/html; charset=utf-8').send(htmlPage('Not found', '<h1>Not found</h1><p>This page of the web UI is not installed.</p>'));
  }
  const type = mime.contentType(path.extname(file)) || 'application/octet-stream';
  reply.type(type).header('content-length', info.size).header('last-modified', info.mtime.toUTCString());
  if (request.method === 'HEAD') return reply.send();
  return reply.send(createReadStream(file));
}

const sendUiFile = (request: FastifyRequest, reply: FastifyReply, relative: string) => sendStaticFile(request, reply, UI_DIR, relative, PAGE_HEADERS);

/** Paths that are never pages: the API, downloads, WebDAV and static assets. */
const NOT_A_PAGE = /^\/(api|d|p|dav|assets)(\/|$|\?)/;
const isPageRequest = (request: FastifyRequest) => (request.method === 'GET' || request.method === 'HEAD') && !NOT_A_PAGE.test(request.url);

function notFound(request: FastifyRequest, reply: FastifyReply) {
  return sendError(request, reply, new ApiError(404, `Not found: ${request.method} ${request.url.split('?')[0]}`));
}

/** The web UI chosen: the host's own by default. */
export function registerPageRoutes(app: FastifyInstance, ui: WebUi = 'default'): void {
  if (ui === 'openlist') registerOpenListPages(app);
  else registerOwnPages(app);
}

/**
 * OpenList's frontend as AList's server serves it (server/static): its folders, and its index.html for every
 * other page path (its router takes it from there), with a Content-Security-Policy that fits it.
 */
function registerOpenListPages(app: FastifyInstance): void {
  const index = loadOpenListIndex();
  const headers = { ...PAGE_HEADERS, 'content-security-policy': index.contentSecurityPolicy, 'x-frame-options': 'SAMEORIGIN' };
  const sendIndex = (_request: FastifyRequest, reply: FastifyReply) => reply.headers(headers).type('text/html; charset=utf-8').send(index.html);
  for (const folder of OPENLIST_FOLDERS) {
    const assetHeaders = { ...headers, 'cache-control': 'public, max-age=15552000' };
    app.get(`/${folder}/*`, async (request, reply) => {
      const relative = decodeUrlPath(request.url.split('?', 1)[0]!).slice(1);
      const patched = index.patchedScripts.get(relative);
      if (patched !== undefined) return reply.headers(assetHeaders).type('text/javascript; charset=utf-8').send(patched);
      return sendStaticFile(request, reply, OPENLIST_DIR, relative, assetHeaders);
    });
  }
  app.get('/', sendIndex);
  app.setNotFoundHandler((request, reply) => (isPageRequest(request) ? sendIndex(request, reply) : notFound(request, reply)));
}

/** The browser UI: the file browser for any non-API path, the admin and login pages, and their assets. */
function registerOwnPages(app: FastifyInstance): void {
  const page = (file: string) => (request: FastifyRequest, reply: FastifyReply) => sendUiFile(request, reply, file);
  for (const url of ['/@manage', '/@manage/*']) app.get(url, page('manage.html'));
  app.get('/@login', page('login.html'));
  app.get('/', page('index.html'));
  app.get('/assets/*', async (request, reply) => {
    const relative = decodeUrlPath(request.url.slice('/assets'.length)).slice(1);
    return sendUiFile(request, reply, relative);
  });

  app.setNotFoundHandler((request: FastifyRequest, reply: FastifyReply) => (isPageRequest(request) ? sendUiFile(request, reply, 'index.html') : notFound(request, reply)));
}
