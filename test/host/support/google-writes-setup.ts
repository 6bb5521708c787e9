/** The real host with a GooglePhoto storage on the emulator at /photos and Local storages at /local and /kept. */
import { expect } from '@jest/globals';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import jpeg from 'jpeg-js';
import { startHostWithEmulator, type HostSetup } from './host-setup.js';
import { setGuestAccess } from './guest-user.js';

export const ALL = 'All media';
export const UPLOADS = 'POST /photoslibrary/v1/uploads';

export interface TaskInfo { id: string; name: string; state: number; status: string; progress: number; total_bytes: number; error: string }

export interface GoogleWritesSetup extends HostSetup {
  localRoot: string;
  keptRoot: string;
}

export async function startGoogleWrites(): Promise<GoogleWritesSetup> {
  const setup = await startHostWithEmulator({ items: 4, albums: 1, pickableOnlyItems: 2 });
  const id = await setup.addGooglePhotos('/photos');
  expect((await setup.settled(id)).status).toBe('work');
  const localRoot = path.join(setup.dataDir, 'local');
  const keptRoot = path.join(setup.dataDir, 'kept');
  for (const [mount, root] of [['/local', localRoot], ['/kept', keptRoot]] as const) {
    mkdirSync(root, { recursive: true });
    const created = await setup.client.post('/api/admin/storage/create', { mount_path: mount, driver: 'Local', addition: JSON.stringify({ root_folder_path: root }) });
    expect(created.code).toBe(200);
  }
  return { ...setup, localRoot, keptRoot };
}

/** A small JPEG; `shade` makes its bytes differ from another's. */
export function jpegBytes(shade: number, width = 40, height = 30): Buffer {
  return Buffer.from(jpeg.encode({ width, height, data: Buffer.alloc(width * height * 4, shade) }, 90).data);
}

export async function waitForTask(setup: HostSetup, kind: 'upload' | 'copy', id: string): Promise<TaskInfo> {
  for (let i = 0; i < 800; i++) {
    const answer = await setup.client.post<TaskInfo>(`/api/task/${kind}/info?tid=${encodeURIComponent(id)}`);
    if (answer.code === 200 && [2, 4, 7].includes(answer.data.state)) return answer.data;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`task ${id} did not finish`);
}

export function pathUrl(...segments: string[]): string {
  return segments.map(encodeURIComponent).join('/');
}

/** The bytes the host serves through /p/ (proxied). */
export async function proxiedBytes(setup: HostSetup, ...segments: string[]): Promise<Buffer> {
  const answer = await fetch(`${setup.host.url}/p/${pathUrl(...segments)}`, { headers: { authorization: setup.client.token } });
  expect(answer.status).toBe(200);
  return Buffer.from(await answer.arrayBuffer());
}

/** The bytes behind /d/ (a redirect to the storage's link, followed). */
export async function redirectedBytes(setup: HostSetup, ...segments: string[]): Promise<Buffer> {
  const redirect = await setup.client.request(`/d/${pathUrl(...segments)}`);
  expect(redirect.response.status).toBe(302);
  const answer = await fetch(redirect.response.headers.get('location')!);
  expect(answer.status).toBe(200);
  return Buffer.from(await answer.arrayBuffer());
}

export function albumOf(setup: HostSetup, title: string) {
  const album = setup.emulator.snapshot().albums.find((candidate) => candidate.title === title);
  if (!album) throw new Error(`no album ${title} at the emulator`);
  return album;
}

export function itemsNamed(setup: HostSetup, filename: string) {
  return setup.emulator.snapshot().mediaItems.filter((item) => item.filename === filename);
}

/** Runs `work` with guest access switched on, and switches it off again however `work` ends. */
export async function withGuestAccess(setup: HostSetup, work: () => Promise<void>): Promise<void> {
  await setGuestAccess(setup.client, true);
  try {
    await work();
  } finally {
    await setGuestAccess(setup.client, false);
  }
}
