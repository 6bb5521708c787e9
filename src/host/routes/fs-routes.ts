import type { FastifyInstance, FastifyRequest } from 'fastify';
import { DriverError } from '../../types/errors.js';
import type { Obj } from '../../types/obj.js';
import { toAListObject, virtualFolder, type AListObject } from '../fs/alist-objects.js';
import { ApiError, ok } from './api-error.js';
import type { HostContext } from '../host-context.js';
import type { LiveStorage } from '../storages/storage-manager.js';
import { encodeUrlPath, normalizePath } from '../fs/paths.js';
import { bodyObject, optionalBoolean, optionalInteger } from './request-fields.js';

/** How long fs/get waits to learn a file's unknown size (one HEAD) before answering without it. */
const GET_SIZE_BOUND_MS = 15_000;

function childPath(parent: string, name: string): string {
  return parent === '/' ? `/${name}` : `${parent}/${name}`;
}

function pathOf(request: FastifyRequest): string {
  const body = bodyObject(request);
  const raw = body.path ?? '/';
  if (typeof raw !== 'string') throw new ApiError(400, '"path" must be a string');
  return normalizePath(raw.startsWith('/') ? raw : `/${raw}`);
}

function page<T>(items: T[], body: Record<string, unknown>): T[] {
  const pageNo = optionalInteger(body, 'page') ?? 1;
  const perPage = optionalInteger(body, 'per_page') ?? 0;
  if (perPage <= 0) return items;
  const start = (Math.max(1, pageNo) - 1) * perPage;
  return items.slice(start, start + perPage);
}

export function registerFsRoutes(app: FastifyInstance, ctx: HostContext): void {
  const toObject = (obj: Obj, size: number | undefined, path: string): AListObject =>
    toAListObject(obj, size, obj.isDir ? '' : ctx.signer.sign(path));

  const rawUrl = (live: LiveStorage, path: string): string => {
    const route = live.driver?.meta.onlyProxy ? 'p' : 'd';
    return `${ctx.siteUrl()}/${route}${encodeUrlPath(path)}?sign=${encodeURIComponent(ctx.signer.sign(path))}`;
  };

  app.post('/api/fs/list', async (request) => {
    const user = ctx.access.reader(request);
    const body = bodyObject(request);
    const path = pathOf(request);
    const refresh = (optionalBoolean(body, 'refresh') ?? false) && user.role !== 'guest';
    const resolved = ctx.fs.resolve(path);
    const now = new Date(ctx.now()).toISOString();
    let content: AListObject[];
    let provider = 'unknown';
    const mountedAt = (name: string) => ctx.storages.all().find((live) => !live.row.disabled && live.row.mount_path === childPath(path, name))?.row;
    if (resolved.kind === 'virtual') {
      content = resolved.children.sort().map((name) => virtualFolder(name, now, mountedAt(name)));
    } else {
      const { live } = resolved;
      const dir = await ctx.fs.walk(live, resolved.rest, path);
      if (!dir.isDir) throw new DriverError('INVALID_ARGUMENT', `${path} is a file, not a folder`);
      const objs = await ctx.fs.listDir(live, dir, refresh);
      const sizes = await ctx.sizes.known(live, objs);
      content = objs.map((obj) => toObject(obj, sizes.get(obj.id), childPath(path, obj.name)));
      // The answer does not wait for unknown sizes: they are learnt in the background and shown by later listings.
      ctx.sizes.probe(live, objs.filter((obj) => !obj.isDir && !sizes.has(obj.id)));
      const names = new Set(content.map((item) => item.name));
      for (const name of resolved.virtualChildren) if (!names.has(name)) content.push(virtualFolder(name, now, mountedAt(name)));
      provider = live.row.driver;
    }
    // `write` tells AList's frontends whether to offer uploads and other changes here (admins only, as the write routes).
    return ok({ content: page(content, body), total: content.length, readme: '', header: '', write: user.role === 'admin', provider });
  });

  /** AList's folder picker (copy and move dialogs): the folders of a folder, `[{name, modified}]`. */
  app.post('/api/fs/dirs', async (request) => {
    ctx.access.reader(request);
    const path = pathOf(request);
    const resolved = ctx.fs.resolve(path);
    const now = new Date(ctx.now()).toISOString();
    if (resolved.kind === 'virtual') return ok(resolved.children.sort().map((name) => ({ name, modified: now })));
    const dir = await ctx.fs.walk(resolved.live, resolved.rest, path);
    if (!dir.isDir) throw new DriverError('INVALID_ARGUMENT', `${path} is a file, not a folder`);
    const folders = (await ctx.fs.listDir(resolved.live, dir)).filter((obj) => obj.isDir)
      .map((obj) => ({ name: obj.name, modified: toObject(obj, obj.size, childPath(path, obj.name)).modified }));
    const names = new Set(folders.map((folder) => folder.name));
    for (const name of resolved.virtualChildren) if (!names.has(name)) folders.push({ name, modified: now });
    return ok(folders);
  });

  app.post('/api/fs/get', async (request) => {
    ctx.access.reader(request);
    const path = pathOf(request);
    const resolved = ctx.fs.resolve(path);
    const now = new Date(ctx.now()).toISOString();
    if (resolved.kind === 'virtual' || (resolved.rest.length === 0 && resolved.kind === 'storage' && resolved.live.state !== 'work')) {
      const name = path === '/' ? 'root' : path.split('/').pop()!;
      return ok({ ...virtualFolder(name, now), raw_url: '', readme: '', header: '', provider: resolved.kind === 'storage' ? resolved.live.row.driver : 'unknown', related: null });
    }
    const { live } = resolved;
    const obj = await ctx.fs.walk(live, resolved.rest, path);
    const size = obj.isDir ? undefined : (await ctx.sizes.learn(live, [obj], { timeoutMs: GET_SIZE_BOUND_MS })).get(obj.id);
    const item = toObject(obj, size, path);
    if (resolved.rest.length === 0) item.name = path.split('/').pop()!;
    const raw_url = obj.isDir ? '' : rawUrl(live, path);
    return ok({ ...item, raw_url, readme: '', header: '', provider: live.row.driver, related: null });
  });
}
