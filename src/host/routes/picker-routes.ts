import type { FastifyInstance, FastifyRequest } from 'fastify';
import { DriverError } from '../../types/errors.js';
import { ApiError, ok } from './api-error.js';
import type { HostContext } from '../host-context.js';
import { resolveKeepTarget } from '../picker/keep-target.js';
import { DatabasePickerSessionStore } from '../picker/database-picker-sessions.js';
import { forgetPickedListings, pickerStorage, sessionFolder, type PickerDriver } from '../picker/picked-folders.js';
import { bodyObject, optionalString, requiredString, storageId } from './request-fields.js';
import type { LiveStorage } from '../storages/storage-manager.js';

const NOT_READY_HINT = 'Finish picking in the Google Photos tab and press Done, then try again.';

function queryObject(request: FastifyRequest): Record<string, unknown> {
  return (request.query as Record<string, unknown> | undefined) ?? {};
}

const UNKNOWN_SESSION_HINT = 'Create a new picking session; the ids of existing ones are in the picked folder and in the create answer.';

/** 404 for an id the storage never created (or that was deleted), rather than whatever Google answers for it. */
async function requireKnownSession(ctx: HostContext, live: LiveStorage, sessionId: string): Promise<void> {
  if (await DatabasePickerSessionStore.has(ctx.db, live.row.id, sessionId)) return;
  throw new ApiError(404, `No picking session "${sessionId}" on the storage at ${live.row.mount_path}`, {
    errorCode: 'NOT_FOUND',
    hint: UNKNOWN_SESSION_HINT,
  });
}

/** Picking sessions of GooglePhoto storages (create, poll, delete), and keeping a copy of what was picked. */
export function registerPickerRoutes(app: FastifyInstance, ctx: HostContext): void {
  const folderPath = async (live: LiveStorage, driver: PickerDriver, sessionId: string) =>
    (await sessionFolder(ctx.fs, live, driver, sessionId))?.path ?? '';

  app.post('/api/admin/google/picker/create', async (request) => {
    await ctx.access.admin(request);
    const body = bodyObject(request);
    const label = optionalString(body, 'label');
    const { live, driver } = await pickerStorage(ctx.storages, ctx.fs, storageId(body.storage_id, 'storage_id', 'body'));
    const session = await driver.createPickerSession(label ? { label } : {});
    forgetPickedListings(ctx.fs, live.row.id, session.id);
    return ok({
      session_id: session.id,
      picker_uri: session.pickerUri,
      poll_interval_ms: session.pollIntervalMs,
      timeout_ms: session.timeoutMs,
      expire_time: session.expireTime,
      folder_path: await folderPath(live, driver, session.id),
    });
  });

  app.get('/api/admin/google/picker/get', async (request) => {
    await ctx.access.admin(request);
    const query = queryObject(request);
    const sessionId = requiredString(query, 'session_id');
    const { live, driver } = await pickerStorage(ctx.storages, ctx.fs, storageId(query.storage_id, 'storage_id', 'query'));
    await requireKnownSession(ctx, live, sessionId);
    const session = await driver.getPickerSession(sessionId);
    // The store tells the listing cache about any change; the session's own listing may have been an error before.
    forgetPickedListings(ctx.fs, live.row.id, sessionId);
    return ok({
      session_id: session.id,
      media_items_set: session.mediaItemsSet,
      item_count: session.itemCount ?? 0,
      expire_time: session.expireTime,
      folder_path: await folderPath(live, driver, session.id),
    });
  });

  app.post('/api/admin/google/picker/delete', async (request) => {
    await ctx.access.admin(request);
    const body = bodyObject(request);
    const sessionId = requiredString(body, 'session_id');
    const { live, driver } = await pickerStorage(ctx.storages, ctx.fs, storageId(body.storage_id, 'storage_id', 'body'));
    await requireKnownSession(ctx, live, sessionId);
    await driver.deletePickerSession(sessionId);
    forgetPickedListings(ctx.fs, live.row.id, sessionId);
    return ok(null);
  });

  app.post('/api/admin/google/picker/keep', async (request) => {
    await ctx.access.admin(request);
    const body = bodyObject(request);
    const sessionId = requiredString(body, 'session_id');
    const targetPath = optionalString(body, 'target_path');
    const { live, driver } = await pickerStorage(ctx.storages, ctx.fs, storageId(body.storage_id, 'storage_id', 'body'));
    await requireKnownSession(ctx, live, sessionId);
    const running = await ctx.keepJobs.runningFor(live.row.id, sessionId);
    if (running) return ok({ job_id: running });
    // Fails at once, with the driver's code and hint, when the session expired; learns the item count.
    const session = await driver.getPickerSession(sessionId);
    if (!session.mediaItemsSet) {
      throw new DriverError('PICKER_NOT_READY', `Nothing was picked in this session yet. ${NOT_READY_HINT}`, { hint: NOT_READY_HINT });
    }
    forgetPickedListings(ctx.fs, live.row.id, sessionId);
    const folder = await sessionFolder(ctx.fs, live, driver, sessionId);
    const sessionFolderName = folder?.name ?? sessionId;
    // Checked now, so that a bad target is answered at once; the job resolves it again each time it runs.
    const resolved = await resolveKeepTarget(ctx, live, sessionFolderName, targetPath);
    const jobId = await ctx.keepJobs.start({
      storage_id: live.row.id,
      session_id: sessionId,
      session_folder_name: sessionFolderName,
      target: resolved.display,
      ...(targetPath ? { target_path: targetPath } : {}),
    });
    return ok({ job_id: jobId });
  });

  app.get('/api/admin/keep/jobs', async (request) => {
    await ctx.access.admin(request);
    return ok(await ctx.keepJobs.list());
  });
}
