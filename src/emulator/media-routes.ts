import { createReadStream } from 'node:fs';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { BASE_URL_LIFETIME_MS, parseMediaOptions } from './base-url.js';
import { validAccessToken } from './api-auth.js';
import { parseRange } from './byte-ranges.js';
import type { EmulatorContext } from './context.js';
import { forbiddenHtml, notFoundHtml } from './errors.js';
import { mediaBody } from './media-content.js';
import { PICKER_SCOPES } from './scopes.js';
import type { MediaItemRecord } from './store.js';
import { largeVideoStream } from './video-bytes.js';

function contentDisposition(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `inline; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}

function sendHtml(reply: FastifyReply, status: number, html: string): FastifyReply {
  return reply.code(status).type('text/html; charset=UTF-8').send(html);
}

/** Resolves a /media path to an item, enforcing expiry (60 min), and the picker's bearer token and session. */
function resolveItem(ctx: EmulatorContext, request: FastifyRequest, path: string):
  { item: MediaItemRecord; options: string } | { status: number } {
  const parsed = ctx.signer.parse(path);
  if (!parsed) return { status: 404 };
  const { claims, options } = parsed;
  const now = ctx.store.now();
  if (now - claims.issuedMs > BASE_URL_LIFETIME_MS) return { status: 403 };
  const item = ctx.store.itemsById.get(claims.itemId);
  if (!item) return { status: 404 };
  if (claims.kind === 'pk') {
    const session = claims.sessionId ? ctx.store.pickerSessions.get(claims.sessionId) : undefined;
    if (!session || session.expireMs <= now || !session.picked?.includes(item)) return { status: 403 };
    const token = validAccessToken(ctx.store, request);
    if (!token || token.clientId !== session.clientId || !PICKER_SCOPES.some((s) => token.scopes.includes(s))) {
      return { status: 403 };
    }
  }
  return { item, options };
}

/** Media bytes at baseUrls (not subject to injected faults or latency: those apply to API routes only). */
export function registerMediaRoutes(app: FastifyInstance, ctx: EmulatorContext): void {
  app.route({
    method: ['GET', 'HEAD'],
    url: '/media/*',
    handler: async (request, reply) => {
      const path = (request.params as Record<string, string>)['*'] ?? '';
      const resolved = resolveItem(ctx, request, decodeURIComponent(path));
      if ('status' in resolved) {
        return resolved.status === 403 ? sendHtml(reply, 403, forbiddenHtml()) : sendHtml(reply, 404, notFoundHtml(request.url));
      }
      const options = parseMediaOptions(resolved.options);
      const body = mediaBody(resolved.item, options);
      const size = body.kind === 'buffer' ? body.bytes.length : body.size;
      reply.header('content-type', body.mimeType)
        .header('accept-ranges', 'bytes')
        .header('cache-control', 'private, max-age=86400, no-transform')
        .header('x-content-type-options', 'nosniff');
      if (options.download || options.video) reply.header('content-disposition', contentDisposition(resolved.item.filename));
      const range = parseRange(request.headers.range, size);
      if (range.kind === 'unsatisfiable') {
        return reply.code(416).header('content-range', `bytes */${size}`).type('text/html; charset=UTF-8')
          .send('<!DOCTYPE html><title>416 Requested Range Not Satisfiable</title>');
      }
      const start = range.kind === 'partial' ? range.start : 0;
      const end = range.kind === 'partial' ? range.end : size - 1;
      if (range.kind === 'partial') reply.code(206).header('content-range', `bytes ${start}-${end}/${size}`);
      reply.header('content-length', String(Math.max(0, end - start + 1)));
      if (request.method === 'HEAD') return reply.send();
      if (size === 0) return reply.send(Buffer.alloc(0));
      if (body.kind === 'buffer') return reply.send(body.bytes.subarray(start, end + 1));
      if (body.kind === 'file') return reply.send(createReadStream(body.path, { start, end }));
      return reply.send(largeVideoStream(start, end));
    },
  });
}
