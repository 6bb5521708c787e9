import { copyOrMoveEntry } from '../tasks/copy-start.js';
import { DONE_STATES, TaskState, type TaskInfo } from '../tasks/task-state.js';
import { DavError } from './dav-errors.js';
import { headerValue, type Dav, type DavCall } from './dav-context.js';
import { removeResource } from './dav-collections.js';
import { isWithin, nameOf, parentOf, urlTreePath } from './dav-paths.js';
import type { Touched } from './dav-lock-guard.js';

/**
 * How long a COPY or MOVE that streams bytes (across storages, or where the storage cannot copy itself) waits for
 * its copy task before answering. Past it the answer is 202 Accepted and the task goes on (see /api/task/copy).
 */
export const COPY_WAIT_MS = 120_000;
const POLL_MS = 100;

async function settledTask(server: Dav, task: TaskInfo): Promise<TaskInfo | undefined> {
  const until = Date.now() + COPY_WAIT_MS;
  for (;;) {
    const info = await server.ctx.tasks.copy.info(task.id);
    if (!info || DONE_STATES.includes(info.state)) return info;
    if (Date.now() >= until) return undefined;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/**
 * COPY and MOVE to the Destination header's path, within a storage or across storages. Overwrite: F refuses an
 * existing destination (412); T (the default) deletes it first and answers 204, else 201. A folder's COPY with
 * Depth 0 makes an empty folder. Dead properties follow; locks stay behind (RFC 4918 7.7).
 */
export async function copyOrMove(server: Dav, { request, reply, user, path }: DavCall): Promise<unknown> {
  const move = request.method === 'MOVE';
  const header = headerValue(request, 'destination');
  if (!header) throw new DavError(400, 'The Destination header is missing');
  const destination = urlTreePath(header, user.base_path);
  const depth = headerValue(request, 'depth')?.trim().toLowerCase() ?? 'infinity';
  if (depth !== 'infinity' && (move || depth !== '0')) throw new DavError(400, `Depth ${depth} is not allowed for ${request.method}`);
  const overwrite = (headerValue(request, 'overwrite') ?? 'T').trim().toUpperCase() !== 'F';

  const source = await server.tree.find(path);
  if (!source) throw new DavError(404, `Nothing at ${path}`);
  if (!source.obj) throw new DavError(403, `${path} is a storage's mount point (or leads to one); it cannot be copied or moved`);
  if (isWithin(destination, path) || (move && isWithin(path, destination))) {
    throw new DavError(403, `${request.method} of ${path} to ${destination}: source and destination overlap`);
  }
  const parent = await server.tree.find(parentOf(destination));
  if (!parent?.isDir) throw new DavError(409, `The folder ${parentOf(destination)} does not exist`);
  const existing = await server.tree.find(destination);
  if (existing && !overwrite) throw new DavError(412, `${destination} exists and Overwrite is F`);

  const touched: Touched[] = [{ path: destination, depth: 'infinity' }, { path: parent.path, depth: 0 }];
  if (move) touched.push({ path, depth: 'infinity' }, { path: parentOf(path), depth: 0 });
  await server.guard.check(request, user, path, touched);
  if (existing) await removeResource(server, destination);

  const newName = nameOf(destination) === source.name ? undefined : nameOf(destination);
  if (!move && source.isDir && depth === '0') {
    await server.ctx.writes.mkdir(destination);
  } else if (move && parent.path === parentOf(path)) {
    await server.ctx.writes.rename(path, nameOf(destination));
  } else {
    const entry = await server.ctx.writes.entry(path);
    const target = await server.ctx.writes.folder(parent.path);
    const task = await copyOrMoveEntry(server.ctx.writes, server.ctx.tasks, move, entry, target, user.id, newName);
    if (task) {
      const settled = await settledTask(server, task);
      if (!settled) return reply.code(202).type('text/plain; charset=utf-8').send(`Still copying as task ${task.id}; see /api/task/copy/undone\n`);
      if (settled.state !== TaskState.Succeeded) throw new DavError(502, settled.error || `The copy ended as ${settled.status}`);
    }
  }
  await server.props.carry(path, destination, move);
  if (move) server.locks.removeWithin(path);
  return reply.code(existing ? 204 : 201).send();
}
