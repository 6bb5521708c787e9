/** The storages file survives a SIGKILL in the middle of writes: integrity_check ok, every committed row there. */
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const here = path.dirname(fileURLToPath(import.meta.url));
const projectRoot = path.resolve(here, '../..');
let base: string;
let hostDir: string;

const STORE_FILES = [
  'host/state/database.ts', 'host/state/data-folder.ts', 'host/state/sql-database.ts', 'host/state/sqlite-database.ts',
  'host/state/postgres-database.ts', 'host/state/migrations.ts', 'host/state/sqlite-schema.ts', 'host/state/postgres-schema.ts',
  'types/errors.ts', 'host/shown-url.ts', 'host/storages/storage-store.ts', 'host/storages/storage-options.ts',
];

/** The child runs JavaScript: transpile the storage store and what it imports (types stripped) into `base`. */
async function transpileStore(): Promise<string> {
  const out = path.join(base, 'build');
  await mkdir(out, { recursive: true });
  for (const name of STORE_FILES) {
    const source = await readFile(path.join(projectRoot, 'src', name), 'utf8');
    await mkdir(path.dirname(path.join(out, name)), { recursive: true });
    const { outputText } = ts.transpileModule(source, {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true, esModuleInterop: true },
      fileName: name,
    });
    await writeFile(path.join(out, name.replace(/\.ts$/, '.js')), outputText);
  }
  await writeFile(path.join(base, 'build', 'package.json'), JSON.stringify({ type: 'module' }));
  await symlink(path.join(projectRoot, 'node_modules'), path.join(base, 'build', 'node_modules'), 'dir');
  return path.join(out, 'host');
}

beforeAll(async () => {
  base = await mkdtemp(path.join(os.tmpdir(), 'host-sqlite-kill-'));
  hostDir = await transpileStore();
});

afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

it('keeps a consistent file with every committed storage after SIGKILL', async () => {
  const dataDir = path.join(base, 'data');
  const child = spawn(process.execPath, [path.join(here, 'support/sqlite-writer.mjs'), hostDir, dataDir], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));

  let lastCommitted = 0;
  await new Promise<void>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      lastCommitted = Number(line);
      if (lastCommitted === 300) {
        child.kill('SIGKILL');
        resolve();
      }
    });
    child.once('exit', () => (lastCommitted < 300 ? reject(new Error(`writer exited early: ${stderr}`)) : resolve()));
  });
  expect(await exited).toBe('SIGKILL');

  expect(await readdir(dataDir)).toContain('data.db');
  const db = new Database(path.join(dataDir, 'data.db'));
  try {
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    const rows = db.prepare('SELECT mount_path, addition FROM storages').all() as Array<{ mount_path: string; addition: string }>;
    const byMount = new Map(rows.map((row) => [row.mount_path, JSON.parse(row.addition) as { n: number; refresh_token?: string }]));
    expect(rows.length).toBeGreaterThanOrEqual(lastCommitted);
    for (let n = 1; n <= lastCommitted; n++) {
      expect(byMount.get(`/s/${n}`)).toMatchObject({ n, refresh_token: `token-${n}` });
    }
  } finally {
    db.close();
  }
});
