// `node dist/cli.js serve` (the built CLI, as users run it) in a child process for a benchmark, on a given data
// folder and any free port, without the demo storage. REDIS_URL and DATABASE_URL come from `env`; the rest of
// the environment is the benchmark's (so a DATABASE_URL set for the run reaches every process).
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const START_TIMEOUT_MS = 120_000;

/** Resolves with {child, url, stop()} once the server prints that it serves; rejects when it exits first. */
export function startServeProcess(dataDir, adminPassword, env = {}) {
  const child = spawn(process.execPath, [CLI, 'serve', '--data', dataDir, '--port', '0', '--no-demo'], {
    cwd: ROOT, env: { ...process.env, ...env, ADMIN_PASSWORD: adminPassword, NODE_OPTIONS: '' }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => { child.kill(); reject(new Error(`the server did not start: ${output}`)); }, START_TIMEOUT_MS);
    const take = (chunk) => {
      output += chunk;
      const url = /Serving on (http:\/\/\S+)/.exec(output)?.[1];
      if (url) {
        clearTimeout(timer);
        resolve({ child, url, stop });
      }
    };
    child.stdout.on('data', take);
    child.stderr.on('data', (chunk) => { output += chunk; });
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`the server exited (${code}) before serving: ${output}`)); });
  });
}
