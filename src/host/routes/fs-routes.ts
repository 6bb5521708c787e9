import type { FastifyInstance, FastifyRequest } from 'fastify';
import { DriverError } from '../../types/errors.js';
import type { Obj } from '../../types/obj.js';
import { toAListObject, virtualFolder, type AListObject } from '../fs/alist-objects.js';
import { ApiError, ok } from './api-error.js';
import type { HostContext } from '../host-context.js';
import type { LiveStorage } from '../storages/storage-manager.js';
import { encodeUrlPath } from '../fs/paths.js';
import { downloadPolicy, downProxyLocation } from '../downloads/download-policy.js';
import { joinBasePath, Role, type User } from '../auth/access.js';
import { bodyObject, optionalBoolean, optionalInteger, optionalString } from './request-fields.js';
import type { PathView } from '../fs/metas.js';

/** How long fs/get waits to learn a file's unknown size (one HEAD) before answering without it. */
const GET_SIZE_BOUND_MS = 15_000;

function childPath(parent: string, name: string): string {
  return parent === '/' ? `/${name}` : `${parent}/${name}`;
}

/** The request's `path` (as the user sees it) as a full path, below the user's base path. */
function pathOf(request: FastifyRequest, user: User): string {
  const raw = bodyObject(request).path ?? '/';
  if (typeof raw !== 'string') throw new ApiError(400, '"path" must be a string');
  return joinBasePath(user, raw);
}

/** `page` (from 1) and `per_page` of a listing request; `perPage` 0 means everything. */
function pageArgs(body: Record<string, unknown>): { start: number; perPage: number } {
  const pageNo = Math.max(1, optionalInteger(body, 'page') ?? 1);
  const perPage = Math.max(0, optionalInteger(body, 'per_page') ?? 0);
  return { start: (pageNo - 1) * perPage, perPage };
}

/** The `password` of a meta-protected folder, as AList's fs/list, fs/get and fs/dirs take it. */
function passwordOf(request: FastifyRequest): string {
  return optionalString(bodyObject(request), 'password') ?? '';
}

function page<T>(items: T[], { start, perPage }: { start: number; perPage: number }): T[] {
  return perPage > 0 ? items.slice(start, start + perPage) : items;
}

export function registerFsRoutes(app: FastifyInstance, ctx: HostContext): void {
  const toObject = (obj: Obj, size: number | undefined, path: string): AListObject =>
    toAListObject(obj, size, obj.isDir ? '' : ctx.signer.sign(path));

  /** As AList's fs/get: a storage that proxies gives its /p/ link (or down proxy link), others their /d/ link. */
  const rawUrl = (live: LiveStorage, path: string): string => {
    const policy = downloadPolicy(live, 'web');
    const sign = ctx.signer.sign(path);
    if (policy.action === 'down_proxy') return downProxyLocation(policy.base, path, sign);
    const route = policy.action === 'proxy' ? 'p' : 'd';
    return `${ctx.siteUrl()}/${route}${encodeUrlPath(path)}?sign=${encodeURIComponent(sign)}`;
  };

  /** The first `wanted` visible entries of a folder: hidden names do not count toward a page. */
  const listVisible = async (live: LiveStorage, dir: Obj, wanted: number, refresh: boolean, ahead: number, view: PathView) => {
    for (let asked = wanted; ;) {
      const { objs, final } = await ctx.fs.listUpTo(live, dir, asked, refresh && asked === wanted, ahead);
      const visible = objs.filter((obj) => !view.hidden(obj.name));
      if (final || visible.length >= wanted || visible.length === objs.length || objs.length < asked) return { objs: visible, final };
      asked = objs.length + (wanted - visible.length);
    }
  };

  app.post('/api/fs/list', async (request) => {
    const user = await ctx.access.user(request);
    const body = bodyObject(request);
    const path = pathOf(request, user);
    const view = ctx.metas.open(user, path, passwordOf(request));
    // AList: refreshing needs the write permission or a write meta.
    const refresh = optionalBoolean(body, 'refresh') ?? false;
    if (refresh && !view.write) throw new ApiError(403, 'Refresh without permission');
    const resolved = ctx.fs.resolve(path);
    const now = new Date(ctx.now()).toISOString();
    const paging = pageArgs(body);
    let content: AListObject[];
    let total: number;
    let totalFinal = true;
    let provider = 'unknown';
    const mountedAt = (name: string) => ctx.storages.all().find((live) => !live.row.disabled && live.row.mount_path === childPath(path, name))?.row;
    if (resolved.kind === 'virtual') {
      const children = resolved.children.filter((name) => !view.hidden(name)).sort();
      content = page(children, paging).map((name) => virtualFolder(name, now, mountedAt(name)));
      total = children.length;
    } else {
      const { live } = resolved;
      const dir = await ctx.fs.walk(live, resolved.rest, path);
      if (!dir.isDir) throw new DriverError('INVALID_ARGUMENT', `${path} is a file, not a folder`);
      // A storage that lists page by page is asked only for what this page needs (see docs/server.md).
      const wanted = paging.perPage > 0 ? paging.start + paging.perPage : Infinity;
      // From page 2 on, the reader is going through the folder: the next page is fetched while it reads this one.
      const ahead = paging.start > 0 ? paging.perPage : 0;
      const { objs, final } = await listVisible(live, dir, wanted, refresh, ahead, view);
      const names = new Set(resolved.virtualChildren.length > 0 ? objs.map((obj) => obj.name) : []);
      const mounts = final ? resolved.virtualChildren.filter((name) => !names.has(name) && !view.hidden(name)) : [];
      const entries: Array<Obj | string> = mounts.length > 0 ? [...objs, ...mounts] : objs;
      const shown = page(entries, paging);
      const files = shown.filter((entry): entry is Obj => typeof entry !== 'string');
      const sizes = await ctx.sizes.known(live, files);
      content = shown.map((entry) =>
        typeof entry === 'string' ? virtualFolder(entry, now, mountedAt(entry)) : toObject(entry, sizes.get(entry.id), childPath(path, entry.name)));
      // The answer does not wait for unknown sizes: they are learnt in the background and shown by later listings.
      ctx.sizes.probe(live, files.filter((obj) => !obj.isDir && !sizes.has(obj.id)));
      // While more may follow, `total` promises one more page so that a client offers to fetch it.
      total = final ? entries.length : entries.length + Math.max(1, paging.perPage);
      totalFinal = final;
      provider = live.row.driver;
    }
    // `write` tells AList's frontends whether to offer uploads and new folders here (the write permission, or a write meta).
    return ok({ content, total, total_final: totalFinal, readme: view.readme, header: view.header, write: view.write, provider });
  });

  /** AList's folder picker (copy and move dialogs): the folders of a folder, `[{name, modified}]`. */
  app.post('/api/fs/dirs', async (request) => {
    const user = await ctx.access.user(request);
    // AList's force_root: the whole tree, for an admin only.
    const forceRoot = optionalBoolean(bodyObject(request), 'force_root') ?? false;
    if (forceRoot && user.role !== Role.ADMIN) throw new ApiError(403, 'Permission denied');
    const path = pathOf(request, forceRoot ? { ...user, base_path: '/' } : user);
    const view = ctx.metas.open(user, path, passwordOf(request));
    const resolved = ctx.fs.resolve(path);
    const now = new Date(ctx.now()).toISOString();
    if (resolved.kind === 'virtual') return ok(resolved.children.filter((name) => !view.hidden(name)).sort().map((name) => ({ name, modified: now })));
    const dir = await ctx.fs.walk(resolved.live, resolved.rest, path);
    if (!dir.isDir) throw new DriverError('INVALID_ARGUMENT', `${path} is a file, not a folder`);
    const folders = (await ctx.fs.listDir(resolved.live, dir)).filter((obj) => obj.isDir && !view.hidden(obj.name))
      .map((obj) => ({ name: obj.name, modified: toObject(obj, obj.size, childPath(path, obj.name)).modified }));
    const names = new Set(folders.map((folder) => folder.name));
    for (const name of resolved.virtualChildren) if (!names.has(name) && !view.hidden(name)) folders.push({ name, modified: now });
    return ok(folders);
  });

  app.post('/api/fs/get', async (request) => {
    const user = await ctx.access.user(request);
    const path = pathOf(request, user);
    const { readme, header } = ctx.metas.open(user, path, passwordOf(request));
    const resolved = ctx.fs.resolve(path);
    const now = new Date(ctx.now()).toISOString();
    if (resolved.kind === 'virtual' || (resolved.rest.length === 0 && resolved.kind === 'storage' && resolved.live.state !== 'work')) {
      const name = path === '/' ? 'root' : path.split('/').pop()!;
      return ok({ ...virtualFolder(name, now), raw_url: '', readme, header, provider: resolved.kind === 'storage' ? resolved.live.row.driver : 'unknown', related: null });
    }
    const { live } = resolved;
    const obj = await ctx.fs.walk(live, resolved.rest, path);
    const size = obj.isDir ? undefined : (await ctx.sizes.learn(live, [obj], { timeoutMs: GET_SIZE_BOUND_MS })).get(obj.id);
    const item = toObject(obj, size, path);
    if (resolved.rest.length === 0) item.name = path.split('/').pop()!;
    const raw_url = obj.isDir ? '' : rawUrl(live, path);
    return ok({ ...item, raw_url, readme, header, provider: live.row.driver, related: null });
  });
}
