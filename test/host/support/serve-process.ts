import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

export interface ServeProcess {
  child: ChildProcess;
  /** The server's URL, once it prints that it listens; rejects when it exits first. */
  url: Promise<string>;
}

export interface ServeOptions {
  /** Added to the environment (e.g. DATABASE_URL). */
  env?: Record<string, string>;
  /** Leave out --no-demo: the server decides whether to mount the demo. */
  demoByDefault?: boolean;
}

/**
 * Runs `node dist/cli.js serve` (the built package) on `dataDir`, on any free port, without the demo storage;
 * `extraArgs` are added to the command line, `extraEnv` to its environment.
 */
export function spawnServe(root: string, dataDir: string, adminPassword: string, extraArgs: string[] = [], options: ServeOptions = {}): ServeProcess {
  const demo = options.demoByDefault ? [] : ['--no-demo'];
  const child = spawn(process.execPath, [path.join(root, 'dist/cli.js'), 'serve', '--data', dataDir, '--port', '0', ...demo, ...extraArgs], {
    cwd: root, env: { ...process.env, ADMIN_PASSWORD: adminPassword, NODE_OPTIONS: '', ...options.env }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  const url = new Promise<string>((resolve, reject) => {
    let output = '';
    let listening = false;
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Serving on (http:\/\/\S+)/.exec(output);
      if (match) {
        listening = true;
        resolve(match[1]!);
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once('exit', (code, signal) => {
      reject(new Error(`the server exited (${code}) before listening: ${output}`));
      // A server that ends by itself (a crash), not stopped by a test's SIGTERM or SIGKILL: its last words, for the log.
      if (listening && code !== 0 && signal !== 'SIGTERM' && signal !== 'SIGKILL') {
        process.stderr.write(`\nThe server on ${dataDir} exited by itself (code ${code}, signal ${signal}); its last output:\n${output.slice(-4000)}\n`);
      }
    });
  });
  return { child, url };
}

/** Builds dist/ (`npm run build`) for tests that run the CLI as a child; fails with the build's output when `expected` is missing after it. */
export async function buildDist(root: string, expected: string): Promise<void> {
  const build = await promisify(execFile)('npm', ['run', 'build', '--silent'], { cwd: root, timeout: 180_000 }).catch((err: { stdout?: string }) => err);
  if (!existsSync(path.join(root, expected))) throw new Error(`npm run build made no ${expected}: ${build.stdout ?? ''}`);
}

/** Stops every child still running (SIGTERM) and waits until each has exited. */
export async function stopProcesses(children: readonly ChildProcess[]): Promise<void> {
  await Promise.all(children.map((child) => new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  })));
}
