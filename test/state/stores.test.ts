/** Every store of the host, the same tests on SQLite and on PostgreSQL. */
import { afterAll, describe, expect, it } from '@jest/globals';
import { rmSync } from 'node:fs';
import { SessionStore } from '../../src/host/auth/sessions.js';
import { DuplicateUsernameError, UserStore } from '../../src/host/auth/users.js';
import { Role } from '../../src/host/auth/user-model.js';
import { ensureBuiltinUsers } from '../../src/host/auth/builtin-users.js';
import { DuplicateMetaPathError, MetaStore } from '../../src/host/fs/meta-store.js';
import { DatabasePickerSessionStore } from '../../src/host/picker/database-picker-sessions.js';
import { DatabaseSizeStore } from '../../src/host/sizes/database-size-store.js';
import { openDatabase } from '../../src/host/state/database.js';
import { NewerSchemaError } from '../../src/host/state/migrations.js';
import { SettingsStore } from '../../src/host/state/settings-store.js';
import { DuplicateMountPathError, StorageStore, type NewStorage } from '../../src/host/storages/storage-store.js';
import { TaskStore, type TaskRow } from '../../src/host/tasks/task-store.js';
import { TaskState } from '../../src/host/tasks/task-state.js';
import { backends, closeTestPostgres, type TestDatabase } from '../support/test-databases.js';

afterAll(closeTestPostgres);

const storage = (mountPath: string): NewStorage => ({
  mount_path: mountPath, driver: 'Local', order: 0, addition: '{"root_folder_path":"/srv"}', disabled: false, cache_expiration: 30, remark: '', demo: false,
});

function task(id: string, state: number): TaskRow {
  return {
    id, kind: 'copy', name: `copy ${id}`, state: state as TaskRow['state'], status: '', payload: '{"a":1}', done_bytes: 0, total_bytes: 5_000_000_000,
    error: '', attempts: 0, creator_id: 1, detail: '{}', created_at: '2026-11-30T00:00:00.000Z', start_time: null, end_time: null,
  };
}

describe.each(backends())('on $name', (backend) => {
  const withDatabase = (run: (t: TestDatabase) => Promise<void>) => async () => {
    const t = await backend.open();
    try {
      await run(t);
    } finally {
      await t.close();
    }
  };

  it('users: created with a unique name, found, listed by pages, changed, deleted with their sessions', withDatabase(async ({ db }) => {
    const users = new UserStore(db);
    const sessions = new SessionStore(db, () => 1_000);
    const anna = await users.create({ username: 'anna', password: 'correct horse', role: Role.GENERAL, base_path: '/photos', permission: 3 });
    await users.create({ username: 'ben', password: 'battery staple', role: Role.ADMIN });
    await expect(users.create({ username: 'anna', password: 'another one', role: Role.GENERAL })).rejects.toBeInstanceOf(DuplicateUsernameError);
    expect(await users.authenticate('anna', 'correct horse')).toMatchObject({ id: anna.id, base_path: '/photos', permission: 3, disabled: false });
    expect(await users.authenticate('anna', 'wrong password')).toBeUndefined();
    expect((await users.byRole(Role.ADMIN))?.username).toBe('ben');
    expect(await users.list(2, 1)).toEqual({ content: [expect.objectContaining({ username: 'ben' })], total: 2 });
    await expect(users.update(anna.id, { username: 'ben' })).rejects.toBeInstanceOf(DuplicateUsernameError);
    await users.update(anna.id, { disabled: true, base_path: '/' });
    expect(await users.byId(anna.id)).toMatchObject({ disabled: true, base_path: '/' });
    const token = await sessions.issue(anna.id);
    expect(await sessions.userIdFor(token)).toBe(anna.id);
    await users.delete(anna.id);
    expect(await sessions.userIdFor(token)).toBeUndefined();
    expect(await users.count()).toBe(1);
  }));

  it('sessions: at most 100 per user, the newest; expired and revoked ones log nobody in', withDatabase(async ({ db }) => {
    const users = new UserStore(db);
    let now = 1_000_000;
    const sessions = new SessionStore(db, () => now, 60_000);
    const user = await users.create({ username: 'script', password: 'long enough', role: Role.GENERAL });
    const tokens: string[] = [];
    for (let i = 0; i < 105; i++) tokens.push(await sessions.issue(user.id));
    expect(await sessions.userIdFor(tokens[104]!)).toBe(user.id);
    expect(await sessions.userIdFor(tokens[5]!)).toBe(user.id);
    expect(await sessions.userIdFor(tokens[4]!)).toBeUndefined();
    expect(await sessions.revoke(tokens[104]!)).toBe(true);
    expect(await sessions.revoke(tokens[104]!)).toBe(false);
    await sessions.revokeOthers(user.id, tokens[103]!);
    expect(await sessions.userIdFor(tokens[102]!)).toBeUndefined();
    expect(await sessions.userIdFor(tokens[103]!)).toBe(user.id);
    now += 60_000;
    expect(await sessions.userIdFor(tokens[103]!)).toBeUndefined();
  }));

  it('settings: one token for every opening, values saved all or none, read again by reload', withDatabase(async ({ db }) => {
    const first = await SettingsStore.open(db);
    const second = await SettingsStore.open(db);
    expect(second.token()).toBe(first.token());
    expect(first.token()).toMatch(/^alist-/);
    await first.save([{ key: 'site_title', value: 'Family photos' }]);
    await expect(first.save([{ key: 'site_title', value: 'x' }, { key: 'no_such_key', value: 'y' }])).rejects.toThrow('unknown setting no_such_key');
    expect(first.value('site_title')).toBe('Family photos');
    expect(second.value('site_title')).not.toBe('Family photos');
    await second.reload();
    expect(second.value('site_title')).toBe('Family photos');
    const old = first.token();
    const fresh = await first.resetToken();
    expect(fresh).not.toBe(old);
    expect(first.isToken(fresh)).toBe(true);
    expect(first.isToken(old)).toBe(false);
  }));

  it('the built-in users: one admin and one guest, however many processes start at once', withDatabase(async ({ db }) => {
    const users = new UserStore(db);
    const settings = await SettingsStore.open(db);
    const created = await Promise.all([1, 2, 3].map(() => ensureBuiltinUsers(db, users, settings, () => 'first password')));
    expect(created.filter(Boolean)).toHaveLength(1);
    const all = (await users.list(1, 0)).content;
    expect(all.map((user) => user.role).sort()).toEqual([Role.GUEST, Role.ADMIN]);
  }));

  it('storages: unique mount paths, updates, merged settings, deletion taking learnt sizes along', withDatabase(async ({ db }) => {
    const store = new StorageStore(db, () => Date.parse('2026-11-30T10:00:00Z'));
    const sizes = new DatabaseSizeStore(db);
    const photos = await store.create(storage('/photos'));
    expect(photos).toMatchObject({ mount_path: '/photos', disabled: false, web_proxy: false, webdav_policy: '302_redirect', modified: '2026-11-30T10:00:00.000Z' });
    await expect(store.create(storage('/photos'))).rejects.toBeInstanceOf(DuplicateMountPathError);
    const other = await store.create({ ...storage('/other'), order: -1 });
    expect((await store.list()).map((row) => row.mount_path)).toEqual(['/other', '/photos']);
    await expect(store.update(other.id, { mount_path: '/photos' })).rejects.toBeInstanceOf(DuplicateMountPathError);
    expect(await store.update(other.id, { disabled: true, web_proxy: true })).toMatchObject({ disabled: true, web_proxy: true });
    await Promise.all(Array.from({ length: 10 }, (_, n) => store.mergeAddition(photos.id, { [`key${n}`]: n })));
    const merged = JSON.parse((await store.get(photos.id))!.addition) as Record<string, unknown>;
    expect(Object.keys(merged).sort()).toEqual(['key0', 'key1', 'key2', 'key3', 'key4', 'key5', 'key6', 'key7', 'key8', 'key9', 'root_folder_path']);
    await sizes.save([{ storageId: photos.id, itemId: 'big', size: 6_000_000_000, learntAt: 5 }, { storageId: 999, itemId: 'gone', size: 1, learntAt: 5 }]);
    expect(await sizes.many(photos.id, ['big', 'unknown'])).toEqual(new Map([['big', { size: 6_000_000_000, learntAt: 5 }]]));
    expect(await store.delete(photos.id)).toBe(true);
    expect(await store.delete(photos.id)).toBe(false);
    expect((await sizes.many(photos.id, ['big'])).size).toBe(0);
  }));

  it('learnt sizes: thousands saved and read back in one call each', withDatabase(async ({ db }) => {
    const store = new StorageStore(db, Date.now);
    const sizes = new DatabaseSizeStore(db);
    const { id } = await store.create(storage('/many'));
    const learnt = Array.from({ length: 2_345 }, (_, n) => ({ storageId: id, itemId: `item-${n}`, size: n * 1000, learntAt: n }));
    await sizes.save(learnt);
    await sizes.save([{ storageId: id, itemId: 'item-7', size: 42, learntAt: 9 }]);
    const found = await sizes.many(id, learnt.map((size) => size.itemId));
    expect(found.size).toBe(2_345);
    expect(found.get('item-2344')).toEqual({ size: 2_344_000, learntAt: 2344 });
    expect(found.get('item-7')).toEqual({ size: 42, learntAt: 9 });
  }));

  it('metas: unique paths, kept in memory, read again by another opening after reload', withDatabase(async ({ db }) => {
    const metas = await MetaStore.open(db);
    const fields = { path: '/private', password: 'secret', p_sub: true, write: false, w_sub: false, hide: '', h_sub: false, readme: '', r_sub: false, header: '', header_sub: false };
    const meta = await metas.create(fields);
    await expect(metas.create(fields)).rejects.toBeInstanceOf(DuplicateMetaPathError);
    expect(metas.byPath('/private')).toEqual(meta);
    const elsewhere = await MetaStore.open(db);
    expect(await metas.update({ ...meta, password: 'changed', write: true })).toBe(true);
    expect(elsewhere.byPath('/private')?.password).toBe('secret');
    await elsewhere.reload();
    expect(elsewhere.byPath('/private')).toMatchObject({ password: 'changed', write: true, p_sub: true });
    expect(await metas.remove(meta.id)).toBe(true);
    expect(metas.list(1, 0)).toEqual({ content: [], total: 0 });
  }));

  it('tasks: oldest first by state, newest first by kind, done files remembered, deleted with them', withDatabase(async ({ db }) => {
    const tasks = new TaskStore(db);
    for (const [id, state] of [['b', TaskState.Pending], ['a', TaskState.Running], ['c', TaskState.Succeeded]] as const) await tasks.insert(task(id, state));
    expect((await tasks.byStates('copy', [TaskState.Pending, TaskState.Running])).map((row) => row.id)).toEqual(['b', 'a']);
    expect((await tasks.newest('copy', 2)).map((row) => row.id)).toEqual(['c', 'a']);
    await tasks.update('a', { state: TaskState.Failed, error: 'no space', done_bytes: 4_500_000_000 });
    expect(await tasks.get('a')).toMatchObject({ state: TaskState.Failed, error: 'no space', done_bytes: 4_500_000_000, total_bytes: 5_000_000_000 });
    await tasks.markFileDone('a', 'x/1.jpg', 10);
    await tasks.markFileDone('a', 'x/1.jpg', 20);
    await tasks.markFileDone('a', 'x/2.jpg', 30);
    expect(await tasks.doneFiles('a')).toEqual(new Set(['x/1.jpg', 'x/2.jpg']));
    await tasks.delete('a');
    expect(await tasks.get('a')).toBeUndefined();
    expect((await tasks.doneFiles('a')).size).toBe(0);
  }));

  it('picker sessions: saved, replaced, listed newest first, removed', withDatabase(async ({ db }) => {
    const { id } = await new StorageStore(db, Date.now).create(storage('/google'));
    const sessions = new DatabasePickerSessionStore(db, id);
    const record = { id: 's1', createdAt: '2026-11-30T01:00:00.000Z', expireTime: '2026-12-01T00:00:00.000Z', pickerUri: 'https://picker/s1', mediaItemsSet: false };
    await sessions.save(record);
    await sessions.save({ ...record, mediaItemsSet: true, itemCount: 3, label: 'Trip' });
    await sessions.save({ ...record, id: 's2', createdAt: '2026-11-30T02:00:00.000Z' });
    expect((await sessions.list()).map((session) => session.id)).toEqual(['s2', 's1']);
    expect((await sessions.list())[1]).toEqual({ ...record, mediaItemsSet: true, itemCount: 3, label: 'Trip' });
    expect(await DatabasePickerSessionStore.has(db, id, 's1')).toBe(true);
    await sessions.remove('s1');
    expect(await DatabasePickerSessionStore.has(db, id, 's1')).toBe(false);
    await DatabasePickerSessionStore.removeAll(db, id);
    expect(await sessions.list()).toEqual([]);
  }));

  it('migrations: opening again changes nothing; a schema newer than this version is refused with a clear error', withDatabase(async (t) => {
    await new StorageStore(t.db, Date.now).create(storage('/kept'));
    const again = await openDatabase({ dataDir: t.dataDir, databaseUrl: t.databaseUrl });
    try {
      expect((await new StorageStore(again, Date.now).list()).map((row) => row.mount_path)).toEqual(['/kept']);
      expect(await again.all('SELECT version FROM schema_migrations')).toEqual([{ version: 1 }]);
      await again.run("INSERT INTO schema_migrations (version, description, applied_at) VALUES (99, 'from the future', '')");
    } finally {
      await again.close();
    }
    const refused = openDatabase({ dataDir: t.dataDir, databaseUrl: t.databaseUrl });
    await expect(refused).rejects.toBeInstanceOf(NewerSchemaError);
    await expect(refused).rejects.toThrow(/schema version 99, written by a newer gphotos-alist \(this one knows up to 1\)/);
  }));

  // PostgreSQL: four pools migrating at once. SQLite: one after the other, as one thread cannot hold two connections'
  // write locks (processes at once are the scale-out suite's: two CLI processes on one data folder).
  it('migrations: processes opening a new database at once all find it ready', async () => {
    const location = await backend.location();
    const opened = backend.name === 'postgres'
      ? await Promise.all([1, 2, 3, 4].map(() => openDatabase(location)))
      : [await openDatabase(location), await openDatabase(location), await openDatabase(location), await openDatabase(location)];
    try {
      await Promise.all(opened.map((db, n) => new StorageStore(db, Date.now).create(storage(`/from-${n}`))));
      expect(await opened[0]!.all('SELECT version FROM schema_migrations')).toEqual([{ version: 1 }]);
      expect((await new StorageStore(opened[3]!, Date.now).list())).toHaveLength(4);
    } finally {
      await Promise.all(opened.map((db) => db.close()));
      rmSync(location.dataDir, { recursive: true, force: true });
    }
  });
});
