import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { HostContext } from '../host-context.js';
import { Role } from '../auth/access.js';
import { DONE_STATES, TaskState } from '../tasks/task-state.js';
import { ApiError, ok } from './api-error.js';

function tid(request: FastifyRequest): string {
  const value = (request.query as Record<string, unknown> | undefined)?.tid;
  if (typeof value !== 'string' || value === '' || value.length > 64) throw new ApiError(400, '"tid" must be a task id');
  return value;
}

/**
 * AList's task routes, per kind: /api/task/<kind>/{undone,done,info,cancel,delete,retry,clear_done,clear_succeeded,
 * retry_failed}, with the task id in the `tid` query parameter. Under /api/task (later AList) any logged-in user
 * sees and acts on the tasks they created, an admin on all; under /api/admin/task (older AList) admins only.
 */
export function registerTaskRoutes(app: FastifyInstance, ctx: HostContext): void {
  for (const base of ['/api/task', '/api/admin/task']) {
    /** Whose tasks the request may see: undefined = everyone's (an admin). */
    const scope = (request: FastifyRequest): number | undefined => {
      const user = base === '/api/admin/task' ? ctx.access.admin(request) : ctx.access.loggedIn(request);
      return user.role === Role.ADMIN ? undefined : user.id;
    };
    for (const kind of ['upload', 'copy'] as const) {
      const manager = () => ctx.tasks.byKind(kind)!;
      /** The task of `tid`; another user's task is "not found", as AList answers (no guessing of ids). */
      const ownTask = (request: FastifyRequest): string => {
        const creator = scope(request);
        const id = tid(request);
        const row = manager().snapshot(id);
        if (!row || (creator !== undefined && row.creator_id !== creator)) throw new ApiError(404, 'task not found');
        return id;
      };
      const prefix = `${base}/${kind}`;
      app.get(`${prefix}/undone`, async (request) => ok(manager().undone(scope(request))));
      app.get(`${prefix}/done`, async (request) => ok(manager().done(scope(request))));
      app.post(`${prefix}/info`, async (request) => ok(manager().info(ownTask(request))));
      app.post(`${prefix}/cancel`, async (request) => {
        await manager().cancel(ownTask(request));
        return ok(null);
      });
      app.post(`${prefix}/delete`, async (request) => {
        await manager().remove(ownTask(request));
        return ok(null);
      });
      app.post(`${prefix}/retry`, async (request) => {
        manager().retry(ownTask(request));
        return ok(null);
      });
      app.post(`${prefix}/retry_failed`, async (request) => {
        for (const task of manager().list([TaskState.Failed], scope(request))) manager().retry(task.id);
        return ok(null);
      });
      app.post(`${prefix}/clear_done`, async (request) => {
        await manager().clear(DONE_STATES, scope(request));
        return ok(null);
      });
      app.post(`${prefix}/clear_succeeded`, async (request) => {
        await manager().clear([TaskState.Succeeded], scope(request));
        return ok(null);
      });
    }
    for (const kind of KINDS_WITHOUT_TASKS) registerEmptyTaskKind(app, ctx, `${base}/${kind}`);
  }
}

/** Task kinds of AList/OpenList this host never runs (no move tasks, offline downloads or archives): always empty. */
const KINDS_WITHOUT_TASKS = ['move', 'offline_download', 'offline_download_transfer', 'decompress', 'decompress_upload'];

function registerEmptyTaskKind(app: FastifyInstance, ctx: HostContext, prefix: string): void {
  for (const list of ['undone', 'done']) {
    app.get(`${prefix}/${list}`, async (request) => {
      ctx.access.admin(request);
      return ok([]);
    });
  }
  for (const action of ['info', 'cancel', 'delete', 'retry']) {
    app.post(`${prefix}/${action}`, async (request) => {
      ctx.access.admin(request);
      tid(request);
      throw new ApiError(404, 'task not found');
    });
  }
  for (const action of ['retry_failed', 'clear_done', 'clear_succeeded']) {
    app.post(`${prefix}/${action}`, async (request) => {
      ctx.access.admin(request);
      return ok(null);
    });
  }
}
