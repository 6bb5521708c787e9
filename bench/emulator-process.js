// Starts the emulator in a child process (`node dist/cli.js emulator ...`), so a benchmark's measured process
// holds only its client, and talks to the emulator's HTTP test controls.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const START_TIMEOUT_MS = 120_000;

/** Resolves once the emulator printed its URL and client: {child, url, clientId, clientSecret, stop()}. */
export function startEmulatorProcess(emulatorArgs) {
  const child = spawn(process.execPath, [CLI, 'emulator', '--port', '0', ...emulatorArgs], {
    cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'],
  });
  const stop = () => {
    child.removeAllListeners('exit');
    child.kill('SIGTERM');
  };
  return new Promise((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => { child.kill(); reject(new Error(`emulator did not start: ${text}`)); }, START_TIMEOUT_MS);
    child.on('exit', (code) => reject(new Error(`emulator exited with ${code}: ${text}`)));
    child.stdout.on('data', (chunk) => {
      text += chunk;
      const url = /listening on (http:\/\/\S+)/.exec(text)?.[1];
      const clientId = /client id:\s+(\S+)/.exec(text)?.[1];
      const clientSecret = /client secret:\s+(\S+)/.exec(text)?.[1];
      if (url && clientId && clientSecret) {
        clearTimeout(timer);
        resolve({ child, url, clientId, clientSecret, stop });
      }
    });
  });
}

/** Calls one of the emulator's test controls (`/emulator/<path>`) and returns its JSON answer. */
export async function emulatorControl(emulator, method, path, body) {
  const response = await fetch(`${emulator.url}/emulator/${path}`, {
    method: method.toUpperCase(),
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  });
  if (!response.ok) throw new Error(`emulator control ${path}: HTTP ${response.status}`);
  return response.json();
}
