// The proxies the host is measured against, each in its own process in front of the same emulator: a bare
// node:http pipe (bare-pipe-proxy.js) and nginx (Debian's package at /usr/sbin/nginx, when installed).
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const BARE_PIPE = fileURLToPath(new URL('./bare-pipe-proxy.js', import.meta.url));
export const NGINX = '/usr/sbin/nginx';
const START_TIMEOUT_MS = 30_000;

function stopper(child) {
  return () => {
    child.removeAllListeners('exit');
    child.kill('SIGTERM');
  };
}

/** {url, pid, stop()} of a bare node:http pipe proxy to `upstreamUrl`, run with `nodeArgs` (e.g. --cpu-prof). */
export function startBarePipeProxy(upstreamUrl, nodeArgs = []) {
  const child = spawn(process.execPath, [...nodeArgs, BARE_PIPE, upstreamUrl], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => { child.kill(); reject(new Error(`bare pipe proxy did not start: ${text}`)); }, START_TIMEOUT_MS);
    child.on('exit', (code) => reject(new Error(`bare pipe proxy exited with ${code}: ${text}`)));
    child.stdout.on('data', (chunk) => {
      text += chunk;
      const url = /listening on (http:\/\/\S+)/.exec(text)?.[1];
      if (url) {
        clearTimeout(timer);
        resolve({ url, pid: child.pid, stop: stopper(child) });
      }
    });
  });
}

/** A 127.0.0.1 port nothing listens on right now. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer().once('error', reject).listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function waitForPort(port, child) {
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`nginx exited with ${child.exitCode}`);
    const open = await new Promise((resolve) => {
      const socket = net.connect(port, '127.0.0.1').once('connect', () => { socket.destroy(); resolve(true); }).once('error', () => resolve(false));
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error('nginx did not start');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * {url, pid, stop()} of nginx proxying to `upstreamUrl`, one worker, no access log, buffering in memory only
 * (never to temp files); undefined when nginx is not installed.
 */
export async function startNginx(upstreamUrl) {
  if (!existsSync(NGINX)) return undefined;
  const upstream = new URL(upstreamUrl).host;
  return startNginxSite((listen) => `
  server {
    listen ${listen};
    location / {
      proxy_pass http://${upstream};
      proxy_http_version 1.1;
      proxy_max_temp_file_size 0;
    }
  }`);
}

/**
 * {url, pid, stop()} of nginx running `site(listen)` (what goes in its http block; `listen` is the address to
 * listen on) with one worker, no access log and temp folders of its own.
 */
export async function startNginxSite(site) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-nginx-'));
  const port = await freePort();
  const temp = (name) => `${name}_temp_path ${path.join(dir, name)};`;
  writeFileSync(path.join(dir, 'nginx.conf'), `
worker_processes 1;
pid ${path.join(dir, 'nginx.pid')};
error_log ${path.join(dir, 'error.log')} warn;
events { worker_connections 64; }
http {
  access_log off;
  ${['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map(temp).join('\n  ')}
${site(`127.0.0.1:${port}`)}
}
`);
  const child = spawn(NGINX, ['-p', dir, '-c', path.join(dir, 'nginx.conf'), '-e', path.join(dir, 'error.log'), '-g', 'daemon off;'], { stdio: ['ignore', 'inherit', 'inherit'] });
  await waitForPort(port, child);
  const stop = stopper(child);
  return {
    url: `http://127.0.0.1:${port}`, pid: child.pid,
    stop() {
      stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
