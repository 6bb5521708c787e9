import { Role } from '../auth/user-model.js';
import { DavError } from './dav-errors.js';
import { headerValue, type Dav, type DavCall } from './dav-context.js';
import { lockTimeout, type DavLock } from './dav-locks.js';
import { hrefOf, parentOf } from './dav-paths.js';
import { activeLock } from './dav-properties.js';
import { sendXml } from './dav-multistatus.js';
import { DAV_NS, dav, davChild, elementsOf, parseXml } from './dav-xml.js';

function lockAnswer(server: Dav, call: DavCall, code: number, lock: DavLock): unknown {
  return sendXml(call.reply.header('lock-token', `<${lock.token}>`), code, dav('prop', [dav('lockdiscovery', [activeLock(lock, server.locks.secondsLeft(lock), call.user.base_path)])]));
}

/**
 * LOCK: a new exclusive or shared write lock (Depth 0 or infinity, Timeout capped at a day), 201 when it reserves an
 * unmapped name; or, with no body, a refresh of the lock whose token the If header submits.
 */
export async function lock(server: Dav, call: DavCall): Promise<unknown> {
  const { request, user, path } = call;
  const timeoutSec = lockTimeout(headerValue(request, 'timeout'));
  const body = parseXml(request.body as Buffer | undefined);
  if (!body) {
    const tokens = await server.guard.submitted(request, user, path);
    const held = server.locks.covering(path).find((candidate) => tokens.has(candidate.token) && candidate.userId === user.id);
    if (!held) throw new DavError(412, 'A lock refresh must submit the token of a lock on this resource in the If header', 'lock-token-matches-request-uri');
    return lockAnswer(server, call, 200, server.locks.refresh(held, timeoutSec));
  }
  if (body.ns !== DAV_NS || body.local !== 'lockinfo') throw new DavError(400, 'A LOCK body must be a DAV: lockinfo element');
  const scopeElement = elementsOf(davChild(body, 'lockscope') ?? dav('lockscope'))[0];
  const scope = scopeElement?.ns === DAV_NS && (scopeElement.local === 'exclusive' || scopeElement.local === 'shared') ? scopeElement.local : undefined;
  if (!scope) throw new DavError(400, 'lockscope must be exclusive or shared');
  if (!davChild(davChild(body, 'locktype') ?? dav('locktype'), 'write')) throw new DavError(400, 'Only write locks exist');
  const depthHeader = headerValue(request, 'depth')?.trim().toLowerCase() ?? 'infinity';
  if (depthHeader !== '0' && depthHeader !== 'infinity') throw new DavError(400, 'A LOCK\'s Depth must be 0 or infinity');
  const depth = depthHeader === '0' ? 0 : 'infinity';

  await server.guard.submitted(request, user, path); // an If header, if sent, must hold
  const conflicts = server.locks.conflicts(path, depth, scope);
  if (conflicts.length > 0) throw new DavError(423, 'The resource is locked by another lock', 'no-conflicting-lock', conflicts.map((other) => hrefOf(other.root, false, user.base_path)));
  const resource = await server.tree.find(path);
  if (!resource) {
    const parent = await server.tree.find(parentOf(path));
    if (!parent?.isDir) throw new DavError(409, `The folder ${parentOf(path)} does not exist`);
  }
  const owner = davChild(body, 'owner');
  const made = server.locks.create({ root: path, depth, scope, userId: user.id, timeoutSec, ...(owner ? { owner } : {}) });
  return lockAnswer(server, call, resource ? 200 : 201, made);
}

/** UNLOCK: the Lock-Token's lock, when it applies to this URL; its owner (or an admin) may remove it. */
export async function unlock(server: Dav, { request, reply, user, path }: DavCall): Promise<unknown> {
  const token = /^\s*<?([^<>\s]+)>?\s*$/.exec(headerValue(request, 'lock-token') ?? '')?.[1];
  if (!token) throw new DavError(400, 'The Lock-Token header is missing or malformed: send <token>'); // some clients leave out the brackets
  const held = server.locks.get(token);
  if (!held || !server.locks.covering(path).includes(held)) throw new DavError(409, 'No such lock on this resource', 'lock-token-matches-request-uri');
  if (held.userId !== user.id && user.role !== Role.ADMIN) throw new DavError(403, 'The lock belongs to another user');
  server.locks.remove(token);
  return reply.code(204).send();
}
