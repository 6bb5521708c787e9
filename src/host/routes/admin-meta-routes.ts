import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { HostContext } from '../host-context.js';
import type { Meta, MetaFields } from '../fs/meta-store.js';
import { normalizePath } from '../fs/paths.js';
import { ApiError, ok } from './api-error.js';
import { bodyObject, idParam, optionalBoolean, optionalInteger, optionalString } from './request-fields.js';

/** AList's validHide: every line must compile (the message names the line, as AList's). */
function checkedHide(hide: string): string {
  for (const line of hide.split('\n')) {
    try {
      new RegExp(line.replace(/\r$/, ''));
    } catch (err) {
      throw new ApiError(400, `${line} is illegal: ${(err as Error).message}`);
    }
  }
  return hide;
}

/** A meta's fields from a create or update body (AList's model.Meta; `path` required, the rest default to off/empty). */
function metaFields(body: Record<string, unknown>): MetaFields {
  const path = optionalString(body, 'path');
  if (!path) throw new ApiError(400, '"path" is required');
  const text = (name: string) => optionalString(body, name) ?? '';
  const flag = (name: string) => optionalBoolean(body, name) ?? false;
  return {
    path: normalizePath(path.startsWith('/') ? path : `/${path}`),
    password: text('password'),
    p_sub: flag('p_sub'),
    write: flag('write'),
    w_sub: flag('w_sub'),
    hide: checkedHide(text('hide')),
    h_sub: flag('h_sub'),
    readme: text('readme'),
    r_sub: flag('r_sub'),
    header: text('header'),
    header_sub: flag('header_sub'),
  };
}

function metaId(request: FastifyRequest): number {
  return idParam(request, 'id', 'meta');
}

/** AList's /api/admin/meta routes: list (paged), get, create, update, delete. Admin only. */
export function registerAdminMetaRoutes(app: FastifyInstance, ctx: HostContext): void {
  const store = ctx.metas.store;
  const existing = (id: number): Meta => {
    const meta = store.byId(id);
    if (!meta) throw new ApiError(404, `No meta has id ${id}`);
    return meta;
  };

  app.get('/api/admin/meta/list', async (request) => {
    await ctx.access.admin(request);
    const query = (request.query as Record<string, unknown>) ?? {};
    const page = Math.max(1, optionalInteger(query, 'page') ?? 1);
    const perPage = Math.max(0, optionalInteger(query, 'per_page') ?? 0);
    return ok(store.list(page, perPage));
  });

  app.get('/api/admin/meta/get', async (request) => {
    await ctx.access.admin(request);
    return ok(existing(metaId(request)));
  });

  app.post('/api/admin/meta/create', async (request) => {
    await ctx.access.admin(request);
    await store.create(metaFields(bodyObject(request)));
    ctx.caches.metasChanged();
    return ok(null);
  });

  app.post('/api/admin/meta/update', async (request) => {
    await ctx.access.admin(request);
    const body = bodyObject(request);
    const id = metaId(request);
    existing(id);
    await store.update({ id, ...metaFields(body) });
    ctx.caches.metasChanged();
    return ok(null);
  });

  app.post('/api/admin/meta/delete', async (request) => {
    await ctx.access.admin(request);
    await store.remove(existing(metaId(request)).id);
    ctx.caches.metasChanged();
    return ok(null);
  });
}
