/**
 * An upload task whose spooled body is gone (removed from the data folder while the server was down) fails with a
 * clear error in the task list instead of bringing the server down.
 */
import { afterAll, expect, it } from '@jest/globals';
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { createHost, type Host } from '../../src/host/index.js';
import { openDatabase } from '../../src/host/state/database.js';
import { TaskState } from '../../src/host/tasks/task-state.js';
import { TaskStore } from '../../src/host/tasks/task-store.js';
import { spoolFolder, type UploadPayload } from '../../src/host/tasks/upload-task.js';
import { HostClient } from './support/host-client.js';
import { ADMIN_PASSWORD, makeDataDir } from './support/host-setup.js';

interface TaskInfo { id: string; state: number; error: string }

const dataDir = makeDataDir();
let host: Host | undefined;

afterAll(async () => {
  await host?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function start(): Promise<HostClient> {
  host = await createHost({ dataDir, port: 0, adminPassword: ADMIN_PASSWORD, demo: false });
  const client = new HostClient(host.url);
  await client.login('admin', ADMIN_PASSWORD);
  return client;
}

it('fails the upload task with a clear error when its spooled body is missing, and keeps serving', async () => {
  const localRoot = path.join(dataDir, 'local');
  mkdirSync(localRoot);
  const first = await start();
  const created = await first.post('/api/admin/storage/create', { mount_path: '/local', driver: 'Local', addition: JSON.stringify({ root_folder_path: localRoot }) });
  expect(created.code).toBe(200);
  await host!.close();
  host = undefined;

  // An upload the server accepted before it stopped, whose spool file was then removed.
  const db = await openDatabase({ dataDir });
  const payload: UploadPayload = { dir_path: '/local', name: 'gone.txt', spool: path.join(spoolFolder(dataDir), 'removed.upload'), size: 10, overwrite: false };
  await new TaskStore(db).insert({
    id: 'spool-gone', kind: 'upload', name: 'upload gone.txt to [/local](/)', state: TaskState.Running, status: 'uploading',
    payload: JSON.stringify(payload), done_bytes: 0, total_bytes: 10, error: '', attempts: 1, creator_id: 0, detail: '{}',
    created_at: new Date().toISOString(), start_time: new Date().toISOString(), end_time: null,
  });
  await db.close();

  const client = await start();
  let task: TaskInfo | undefined;
  for (let i = 0; i < 200 && task?.state !== TaskState.Failed; i++) {
    task = (await client.post<TaskInfo>('/api/task/upload/info?tid=spool-gone')).data;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  expect(task).toMatchObject({ state: TaskState.Failed });
  expect(task!.error).toMatch(/spooled copy of the upload is gone.*upload the file again/i);
  expect(await client.names('/local')).toEqual([]);
});
