import type { FastifyInstance, FastifyRequest } from 'fastify';
import { DriverError } from '../../types/errors.js';
import type { Obj } from '../../types/obj.js';
import { toAListObject, virtualFolder, type AListObject } from '../fs/alist-objects.js';
import { ApiError, ok } from './api-error.js';
import type { HostContext } from '../host-context.js';
import type { LiveStorage } from '../storages/storage-manager.js';
import { encodeUrlPath, normalizePath } from '../fs/paths.js';
import { bodyObject, optionalBoolean, optionalInteger, requestOrigin } from './request-fields.js';
import { fetchLink } from '../downloads/upstream.js';

const SIZE_PROBE_TIMEOUT_MS = 15_000;

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
  const toObject = (live: LiveStorage, obj: Obj, path: string): AListObject =>
    toAListObject(obj, ctx.fs.knownSize(live, obj), obj.isDir ? '' : ctx.signer.sign(path));

  const rawUrl = (request: FastifyRequest, live: LiveStorage, path: string): string => {
    const route = live.driver?.meta.onlyProxy ? 'p' : 'd';
    return `${requestOrigin(request)}/${route}${encodeUrlPath(path)}?sign=${encodeURIComponent(ctx.signer.sign(path))}`;
  };

  /** One HEAD on the file's link, for storages that do not tell sizes in listings; remembered afterwards. */
  const learnSize = async (live: LiveStorage, obj: Obj, path: string): Promise<number | undefined> => {
    const target = { live, obj, path };
    try {
      const { link } = await ctx.fs.link(target);
      if (link.size !== undefined) return link.size;
      const answer = await fetchLink(link, { method: 'HEAD', signal: new AbortController().signal, timeoutMs: SIZE_PROBE_TIMEOUT_MS });
      const length = Number(answer.headers['content-length']);
      if (answer.status === 200 && Number.isSafeInteger(length)) {
        ctx.fs.rememberSize(target, length);
        return length;
      }
    } catch {
      // The size stays unknown (-1); the file itself may still download.
    }
    return undefined;
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
      content = objs.map((obj) => toObject(live, obj, childPath(path, obj.name)));
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
      .map((obj) => ({ name: obj.name, modified: toObject(resolved.live, obj, childPath(path, obj.name)).modified }));
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
    const item = toObject(live, obj, path);
    if (resolved.rest.length === 0) item.name = path.split('/').pop()!;
    if (!obj.isDir && item.size < 0) item.size = (await learnSize(live, obj, path)) ?? -1;
    const raw_url = obj.isDir ? '' : rawUrl(request, live, path);
    return ok({ ...item, raw_url, readme: '', header: '', provider: live.row.driver, related: null });
  });
}
