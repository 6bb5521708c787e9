import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { HostContext } from '../host-context.js';
import { DONE_STATES, TaskState } from '../tasks/task-state.js';
import { ApiError, ok } from './api-error.js';

function tid(request: FastifyRequest): string {
  const value = (request.query as Record<string, unknown> | undefined)?.tid;
  if (typeof value !== 'string' || value === '' || value.length > 64) throw new ApiError(400, '"tid" must be a task id');
  return value;
}

/**
 * AList's task routes, per kind: /api/task/<kind>/{undone,done,info,cancel,delete,retry,clear_done,clear_succeeded,
 * retry_failed}, with the task id in the `tid` query parameter. Also under /api/admin/task/ (older AList). Admin only.
 */
export function registerTaskRoutes(app: FastifyInstance, ctx: HostContext): void {
  for (const base of ['/api/task', '/api/admin/task']) {
    for (const kind of ['upload', 'copy'] as const) {
      const manager = () => ctx.tasks.byKind(kind)!;
      const prefix = `${base}/${kind}`;
      app.get(`${prefix}/undone`, async (request) => {
        ctx.access.admin(request);
        return ok(manager().undone());
      });
      app.get(`${prefix}/done`, async (request) => {
        ctx.access.admin(request);
        return ok(manager().done());
      });
      app.post(`${prefix}/info`, async (request) => {
        ctx.access.admin(request);
        const info = manager().info(tid(request));
        if (!info) throw new ApiError(404, 'task not found');
        return ok(info);
      });
      app.post(`${prefix}/cancel`, async (request) => {
        ctx.access.admin(request);
        manager().cancel(tid(request));
        return ok(null);
      });
      app.post(`${prefix}/delete`, async (request) => {
        ctx.access.admin(request);
        await manager().remove(tid(request));
        return ok(null);
      });
      app.post(`${prefix}/retry`, async (request) => {
        ctx.access.admin(request);
        manager().retry(tid(request));
        return ok(null);
      });
      app.post(`${prefix}/retry_failed`, async (request) => {
        ctx.access.admin(request);
        for (const task of manager().list([TaskState.Failed])) manager().retry(task.id);
        return ok(null);
      });
      app.post(`${prefix}/clear_done`, async (request) => {
        ctx.access.admin(request);
        await manager().clear(DONE_STATES);
        return ok(null);
      });
      app.post(`${prefix}/clear_succeeded`, async (request) => {
        ctx.access.admin(request);
        await manager().clear([TaskState.Succeeded]);
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
