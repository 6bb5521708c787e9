/**
 * A Local storage serves only files inside its folder, even while someone with write access to that folder swaps
 * symlinks to a file outside it during downloads: the check and the read must be the same opened file.
 * A child process swaps (a fixed number of times) a folder and a file between the real ones and symlinks to
 * outside; meanwhile a fixed number of downloads run. No download may return the outside bytes.
 */
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { link, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createHost, type Host } from '../../src/host/index.js';
import { HostClient } from './support/host-client.js';

const PASSWORD = 'symlink-race-password-9';
const INSIDE = 'INSIDE-'.repeat(2000);
const SECRET = 'SECRET-'.repeat(2000);
const DOWNLOADS = 600;
const PARALLEL = 6;

/** Swaps `root/album` (a folder) and `root/direct.jpg` (a file) with symlinks to outside, `rounds` times. */
const SWAPPER = `
const fs = require('node:fs');
const path = require('node:path');
const [root, outside, rounds] = [process.argv[1], process.argv[2], Number(process.argv[3])];
const p = (name) => path.join(root, name);
for (let i = 0; i < rounds; i++) {
  try {
    fs.renameSync(p('album'), p('.album-real'));
    fs.symlinkSync(path.join(outside, 'album'), p('album'));
    fs.symlinkSync(path.join(outside, 'album', 'pic.jpg'), p('.direct-link'));
    fs.renameSync(p('.direct-link'), p('direct.jpg'));
    fs.unlinkSync(p('album'));
    fs.renameSync(p('.album-real'), p('album'));
    fs.linkSync(p('.direct-hold'), p('.direct-file'));
    fs.renameSync(p('.direct-file'), p('direct.jpg'));
  } catch (err) {
    process.stderr.write(String(err) + '\\n');
    process.exit(1);
  }
}
`;

let base: string;
let root: string;
let host: Host;
let client: HostClient;

beforeAll(async () => {
  base = await mkdtemp(path.join(os.tmpdir(), 'symlink-race-'));
  root = path.join(base, 'root');
  const outside = path.join(base, 'outside');
  await mkdir(path.join(root, 'album'), { recursive: true });
  await mkdir(path.join(outside, 'album'), { recursive: true });
  await writeFile(path.join(root, 'album', 'pic.jpg'), INSIDE);
  await writeFile(path.join(root, '.direct-hold'), INSIDE);
  await link(path.join(root, '.direct-hold'), path.join(root, 'direct.jpg'));
  await writeFile(path.join(outside, 'album', 'pic.jpg'), SECRET);
  host = await createHost({ dataDir: path.join(base, 'data'), port: 0, adminPassword: PASSWORD, demo: false });
  client = new HostClient(host.url);
  await client.login('admin', PASSWORD);
  const created = await client.post('/api/admin/storage/create', {
    mount_path: '/local', driver: 'Local', addition: JSON.stringify({ root_folder_path: root }), cache_expiration: 0,
  });
  expect(created.code).toBe(200);
});

afterAll(async () => {
  await host?.close();
  await rm(base, { recursive: true, force: true });
});

function startSwapper(rounds: number): { child: ChildProcess; done: Promise<number | null> } {
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  const child = spawn(process.execPath, ['-e', SWAPPER, root, path.join(base, 'outside'), String(rounds)], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  const done = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, done };
}

it('never serves the bytes of a file outside the root while symlinks are swapped during downloads', async () => {
  const swapper = startSwapper(1_000_000);
  const seen = { inside: 0, secret: 0, other: 0 };
  let next = 0;
  const worker = async () => {
    while (next < DOWNLOADS) {
      const n = next++;
      const file = n % 2 === 0 ? '/p/local/album/pic.jpg' : '/p/local/direct.jpg';
      const response = await fetch(`${host.url}${file}`, { headers: { authorization: client.token } });
      const body = await response.text();
      if (body === SECRET) seen.secret++;
      else if (response.status === 200 && body === INSIDE) seen.inside++;
      else seen.other++;
    }
  };
  try {
    await Promise.all(Array.from({ length: PARALLEL }, worker));
  } finally {
    swapper.child.kill('SIGKILL');
    await swapper.done;
  }
  expect(seen.secret).toBe(0);
  expect(seen.inside).toBeGreaterThan(0);
  expect(seen.inside + seen.other).toBe(DOWNLOADS);
}, 120_000);
