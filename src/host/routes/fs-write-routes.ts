import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { childPath, type UploadPlace } from '../fs/fs-writes.js';
import { normalizePath } from '../fs/paths.js';
import type { HostContext } from '../host-context.js';
import { copyOrMoveEntry } from '../tasks/copy-start.js';
import type { TaskInfo } from '../tasks/task-state.js';
import { spoolBody, uploadTaskName } from '../tasks/upload-task.js';
import { ApiError, ok } from './api-error.js';
import { bodyObject, requiredString } from './request-fields.js';
import { joinBasePath, type User } from '../auth/access.js';
import { checkedBody, declaredLength, disconnectSignal, formFile, uploadHeaders, uploadMimeType, type UploadHeaders } from './upload-request.js';

/** A path field of the body (as the user sees it) as a full path, below the user's base path. */
function pathField(body: Record<string, unknown>, name: string, user: User): string {
  const raw = body[name];
  if (typeof raw !== 'string' || raw === '') throw new ApiError(400, `"${name}" is required`);
  return joinBasePath(user, raw);
}

/** AList's `names`: a non-empty list of names in the folder. */
function namesField(body: Record<string, unknown>): string[] {
  const names = body.names;
  if (!Array.isArray(names) || names.length === 0) throw new ApiError(400, 'Empty file names');
  if (!names.every((name) => typeof name === 'string' && name !== '')) throw new ApiError(400, '"names" must be a list of names');
  return names as string[];
}

function isBelow(path: string, folder: string): boolean {
  return path === folder || path.startsWith(folder === '/' ? '/' : `${folder}/`);
}

/**
 * AList's write routes: uploads (PUT /api/fs/put streams the raw body, /api/fs/form a multipart field), mkdir,
 * rename, remove, copy and move, each for users with AList's permission bit for it (write for uploads and mkdir,
 * rename, remove, copy, move; uploads and mkdir also where a `write` meta allows them, fs/metas.ts); paths are below
 * the user's base path. Bodies of uploads are never parsed by fastify: they reach the storage
 * as streams.
 */
export function registerFsWriteRoutes(app: FastifyInstance, ctx: HostContext): void {
  const limit = () => ctx.maxUploadBytes;

  /** Shared steps of both uploads: where, whether the user may write there, whether a file of that name may be replaced. */
  const prepare = async (request: FastifyRequest, user: User): Promise<{ headers: UploadHeaders; place: UploadPlace }> => {
    const headers = uploadHeaders(request, (path) => joinBasePath(user, path));
    // AList's FsUp: the write bit or a write meta; the folder's meta password comes in the Password header.
    const password = typeof request.headers.password === 'string' ? request.headers.password : '';
    ctx.metas.assertCanWrite(user, headers.filePath, password);
    const place = await ctx.writes.uploadPlace(headers.filePath, headers.overwrite);
    if (place.existing && !headers.overwrite) throw new ApiError(403, 'file exists', { errorCode: 'EXISTS', hint: 'Send Overwrite: true to replace it.' });
    return { headers, place };
  };

  /** Store `stream` now, or spool it and answer with the task that stores it (As-Task). */
  const store = async (request: FastifyRequest, user: User, headers: UploadHeaders, place: UploadPlace, stream: Readable, size: number | undefined, mimeType?: string) => {
    if (headers.asTask) {
      const spooled = await spoolBody(ctx.dataDir, stream).catch((err: unknown) => {
        throw stream.errored ?? err;
      });
      if (spooled.size > limit()) throw new ApiError(413, 'The file is larger than this server accepts', { errorCode: 'TOO_LARGE' });
      const payload = {
        dir_path: place.path, name: headers.name, spool: spooled.spool, size: spooled.size, overwrite: headers.overwrite,
        ...(mimeType ? { mime_type: mimeType } : {}), ...(headers.modified ? { modified: headers.modified.getTime() } : {}),
      };
      const task: TaskInfo = await ctx.tasks.upload.add(uploadTaskName(payload, place.live.row.mount_path), payload, user.id);
      return ok({ task });
    }
    try {
      await ctx.writes.put(place, { name: headers.name, size, mimeType, stream, ...(headers.modified ? { modified: headers.modified } : {}) }, {
        signal: disconnectSignal(request.raw), overwrite: headers.overwrite,
      }, place.existing);
    } catch (err) {
      // A body that failed (short, too large, cut off) says more than what the storage made of it.
      throw stream.errored ?? err;
    }
    return ok(null);
  };

  /** A refused upload: the rest of its body is not read; the connection closes after the answer. */
  const refuse = (reply: FastifyReply, raw: IncomingMessage, err: unknown): never => {
    if (!raw.complete) reply.header('connection', 'close');
    throw err;
  };

  app.register(async (scope) => {
    // Upload bodies pass through untouched, as the request stream itself.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_request, payload, done) => done(null, payload));

    scope.put('/api/fs/put', async (request, reply) => {
      try {
        const user = await ctx.access.user(request);
        const size = declaredLength(request, limit());
        const { headers, place } = await prepare(request, user);
        const mimeType = uploadMimeType(request.headers['content-type'], headers.name);
        return await store(request, user, headers, place, checkedBody(request.raw, size), size, mimeType);
      } catch (err) {
        return refuse(reply, request.raw, err);
      }
    });

    const form = async (request: FastifyRequest, reply: FastifyReply) => {
      try {
        const user = await ctx.access.user(request);
        const { headers, place } = await prepare(request, user);
        const file = await formFile(request.raw, limit());
        return await store(request, user, headers, place, file.stream, undefined, uploadMimeType(file.mimeType, headers.name));
      } catch (err) {
        return refuse(reply, request.raw, err);
      }
    };
    scope.put('/api/fs/form', form);
    scope.post('/api/fs/form', form);
  });

  app.post('/api/fs/mkdir', async (request) => {
    const user = await ctx.access.user(request);
    const path = pathField(bodyObject(request), 'path', user);
    ctx.metas.assertCanWrite(user, path, undefined);
    await ctx.writes.mkdir(path);
    return ok(null);
  });

  app.post('/api/fs/rename', async (request) => {
    const user = await ctx.access.user(request);
    ctx.access.require(user, 'rename');
    const body = bodyObject(request);
    const path = pathField(body, 'path', user);
    const name = requiredString(body, 'name');
    if (name.includes('/') || name === '.' || name === '..') throw new ApiError(400, 'The new name may not contain "/" or be "." or ".."', { errorCode: 'BAD_PATH' });
    await ctx.writes.rename(path, name);
    return ok(null);
  });

  app.post('/api/fs/remove', async (request) => {
    const user = await ctx.access.user(request);
    ctx.access.require(user, 'remove');
    const body = bodyObject(request);
    const dir = pathField(body, 'dir', user);
    for (const name of namesField(body)) await ctx.writes.remove(await ctx.writes.entry(normalizePath(childPath(dir, name))));
    return ok(null);
  });

  const copyOrMove = (move: boolean) => async (request: FastifyRequest) => {
    const user = await ctx.access.user(request);
    ctx.access.require(user, move ? 'move' : 'copy');
    const body = bodyObject(request);
    const srcDir = pathField(body, 'src_dir', user);
    const dstDir = pathField(body, 'dst_dir', user);
    const names = namesField(body);
    const target = await ctx.writes.folder(dstDir);
    const tasks: TaskInfo[] = [];
    for (const name of names) {
      const srcPath = normalizePath(childPath(srcDir, name));
      const entry = await ctx.writes.entry(srcPath);
      if (isBelow(dstDir, srcPath)) throw new ApiError(400, `Cannot ${move ? 'move' : 'copy'} ${srcPath} into itself`, { errorCode: 'BAD_PATH' });
      const sameStorage = entry.live.row.id === target.live.row.id;
      if (sameStorage && entry.parent.id === target.dir.id) {
        throw new ApiError(400, `${srcPath} is already in ${dstDir}`, { errorCode: 'BAD_PATH' });
      }
      const task = await copyOrMoveEntry(ctx.writes, ctx.tasks, move, entry, target, user.id);
      if (task) tasks.push(task);
    }
    return ok({ tasks });
  };
  app.post('/api/fs/copy', copyOrMove(false));
  app.post('/api/fs/move', copyOrMove(true));
}
