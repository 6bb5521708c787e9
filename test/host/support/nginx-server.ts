/** A private nginx (Debian's /usr/sbin/nginx) on a free 127.0.0.1 port, running the configuration docs/deploy.md shows. */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { nginxConfig, type NginxConfigOptions } from '../../../src/host/downloads/nginx-config.js';
import { freePort } from '../../support/free-port.js';

export const NGINX = '/usr/sbin/nginx';
const CA_BUNDLE = '/etc/ssl/certs/ca-certificates.crt';
const START_LIMIT_MS = 15_000;

export interface NginxServer {
  url: string;
  /** What nginx wrote to stderr (its error log). */
  log(): string;
  close(): Promise<void>;
}


async function waitForPort(port: number, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + START_LIMIT_MS;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`nginx exited with ${child.exitCode}: ${log()}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1').once('connect', () => { socket.destroy(); resolve(true); }).once('error', () => resolve(false));
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error(`nginx did not listen within ${START_LIMIT_MS} ms: ${log()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Starts nginx as the current user in front of `hostUrl` (or several, balanced), with docs/deploy.md's configuration
 * for `accel` (or the plain proxy).
 */
export async function startNginx(hostUrl: string | string[], accel?: NginxConfigOptions['accel']): Promise<NginxServer> {
  if (!existsSync(NGINX)) {
    throw new Error(`nginx is not installed at ${NGINX}: install Debian's package (apt-get install -y nginx; .ci/run does it) to run these tests`);
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'gphotos-alist-nginx-'));
  const port = await freePort();
  const site = nginxConfig({
    listen: `127.0.0.1:${port}`, serverName: 'localhost', hosts: [hostUrl].flat().map((url) => new URL(url).host), accel,
    trustedCertificates: existsSync(CA_BUNDLE) ? CA_BUNDLE : undefined,
  });
  writeFileSync(path.join(dir, 'site.conf'), site);
  const temp = (name: string) => `    ${name}_temp_path ${path.join(dir, name)};`;
  writeFileSync(path.join(dir, 'nginx.conf'), `worker_processes 1;
events { worker_connections 64; }
http {
    access_log off;
${['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map(temp).join('\n')}
    include ${path.join(dir, 'site.conf')};
}
`);
  const child = spawn(NGINX, ['-p', dir, '-c', path.join(dir, 'nginx.conf'), '-e', 'stderr', '-g', `daemon off; pid ${path.join(dir, 'nginx.pid')}; error_log stderr;`], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk) => { stderr += chunk; });
  const log = () => stderr;
  try {
    await waitForPort(port, child, log);
  } catch (err) {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  return {
    url: `http://127.0.0.1:${port}`, log,
    async close() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGQUIT');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
