import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiError, ok } from './api-error.js';
import type { HostContext } from '../host-context.js';
import { normalizeMountPath } from '../fs/paths.js';
import { bodyObject, idParam, optionalBoolean, optionalInteger, optionalString, requiredString } from './request-fields.js';
import { keepStoredSecrets, secretBindingFields, secretFields, secretsKeptAcrossUpstreamChange } from '../storages/secrets.js';
import { parseAddition, type NewStorage } from '../storages/storage-store.js';
import { storageView } from '../storages/storage-view.js';
import { storageOptionsFromBody } from './storage-option-fields.js';
import { getDriverFactory } from '../../types/registry.js';

const DEFAULT_CACHE_MINUTES = 30;

function additionOf(body: Record<string, unknown>): Record<string, unknown> {
  const raw = body.addition ?? '{}';
  if (typeof raw === 'object' && raw !== null && !Array.isArray(raw)) return raw as Record<string, unknown>;
  if (typeof raw !== 'string') throw new ApiError(400, '"addition" must be a JSON object encoded as a string');
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw || '{}');
  } catch {
    throw new ApiError(400, '"addition" is not valid JSON');
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new ApiError(400, '"addition" must be a JSON object');
  return parsed as Record<string, unknown>;
}

function driverName(body: Record<string, unknown>): string {
  const name = requiredString(body, 'driver');
  if (!getDriverFactory(name)) throw new ApiError(400, `Unknown driver "${name}"`);
  return name;
}

function cacheMinutes(body: Record<string, unknown>): number | undefined {
  const minutes = optionalInteger(body, 'cache_expiration');
  if (minutes !== undefined && minutes < 0) throw new ApiError(400, '"cache_expiration" may not be negative');
  return minutes;
}

const quoted = (names: string[]) => names.map((name) => `"${name}"`).join(', ');

/** Stored secrets never follow a changed upstream or client: the update must carry them again. */
function refuseSecretsForNewUpstream(incoming: Record<string, unknown>, stored: Record<string, unknown>, driver: string): void {
  const { changed, secrets } = secretsKeptAcrossUpstreamChange(incoming, stored, secretFields(driver), secretBindingFields(driver));
  if (secrets.length === 0) return;
  throw new ApiError(
    400,
    `${quoted(changed)} changed, so the stored ${quoted(secrets)} cannot be kept: enter ${secrets.length > 1 ? 'them' : 'it'} again (a stored secret is only ever sent where it was first given)`,
    { errorCode: 'SECRETS_REQUIRED', hint: `Enter ${quoted(secrets)} again, or send null to clear ${secrets.length > 1 ? 'them' : 'it'}.` },
  );
}

export function registerAdminStorageRoutes(app: FastifyInstance, ctx: HostContext): void {
  const admin = (request: FastifyRequest) => ctx.access.admin(request);
  const liveOr404 = (id: number) => {
    const live = ctx.storages.get(id);
    if (!live) throw new ApiError(404, `No storage with id ${id}`);
    return live;
  };

  app.get('/api/admin/storage/list', async (request) => {
    await admin(request);
    const content = ctx.storages.all().map(storageView);
    return ok({ content, total: content.length });
  });

  app.get('/api/admin/storage/get', async (request) => {
    await admin(request);
    return ok(storageView(liveOr404(idParam(request))));
  });

  app.post('/api/admin/storage/create', async (request) => {
    await admin(request);
    const body = bodyObject(request);
    const storage: NewStorage = {
      mount_path: normalizeMountPath(requiredString(body, 'mount_path')),
      driver: driverName(body),
      order: optionalInteger(body, 'order') ?? 0,
      addition: JSON.stringify(additionOf(body)),
      disabled: optionalBoolean(body, 'disabled') ?? false,
      cache_expiration: cacheMinutes(body) ?? DEFAULT_CACHE_MINUTES,
      remark: optionalString(body, 'remark') ?? '',
      demo: false,
      ...storageOptionsFromBody(body),
    };
    const live = await ctx.storages.create(storage);
    return ok({ id: live.row.id });
  });

  app.post('/api/admin/storage/update', async (request) => {
    await admin(request);
    const body = bodyObject(request);
    const id = idParam(request);
    liveOr404(id);
    const current = (await ctx.storages.storedRow(id))!;
    const driver = body.driver === undefined ? current.driver : driverName(body);
    const patch: Partial<NewStorage> = { driver, ...storageOptionsFromBody(body) };
    if (body.mount_path !== undefined) patch.mount_path = normalizeMountPath(requiredString(body, 'mount_path'));
    if (body.addition !== undefined) {
      const stored = driver === current.driver ? parseAddition(current.addition) : {};
      const incoming = additionOf(body);
      refuseSecretsForNewUpstream(incoming, stored, driver);
      patch.addition = JSON.stringify(keepStoredSecrets(incoming, stored, secretFields(driver)));
    }
    const order = optionalInteger(body, 'order');
    if (order !== undefined) patch.order = order;
    const cache = cacheMinutes(body);
    if (cache !== undefined) patch.cache_expiration = cache;
    const remark = optionalString(body, 'remark');
    if (remark !== undefined) patch.remark = remark;
    const disabled = optionalBoolean(body, 'disabled');
    if (disabled !== undefined) patch.disabled = disabled;
    await ctx.storages.update(current.id, patch);
    return ok();
  });

  app.post('/api/admin/storage/delete', async (request) => {
    await admin(request);
    const id = idParam(request);
    liveOr404(id);
    await ctx.storages.delete(id);
    return ok();
  });

  app.post('/api/admin/storage/load_all', async (request) => {
    await admin(request);
    await ctx.storages.reloadAll();
    return ok();
  });

  for (const action of ['enable', 'disable'] as const) {
    app.post(`/api/admin/storage/${action}`, async (request) => {
      await admin(request);
      const id = idParam(request);
      liveOr404(id);
      await ctx.storages.update(id, { disabled: action === 'disable' });
      return ok();
    });
  }
}
