/**
 * docs/deploy.md's load-balancer configuration (one upstream, a server line per process) on a real nginx (Debian's
 * package): requests reach every process, and while one is down nginx sends them to the others. The processes
 * here are two small HTTP servers that say which one answered; the hosts behind it are plain HTTP to nginx.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startNginx, type NginxServer } from './support/nginx-server.js';

const REQUESTS = 20;

interface Backend {
  url: string;
  close(): Promise<void>;
}

function startBackend(name: string): Promise<Backend> {
  const server = http.createServer((request, response) => {
    response.setHeader('content-type', 'text/plain');
    response.end(`${name} ${request.method} ${request.url}`);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => {
    const { port } = server.address() as AddressInfo;
    resolve({
      url: `http://127.0.0.1:${port}`,
      close: () => new Promise<void>((closed) => {
        server.close(() => closed());
        server.closeAllConnections();
      }),
    });
  }));
}

let backends: Backend[];
let nginx: NginxServer;

async function answersThroughNginx(count: number): Promise<string[]> {
  const answers = [];
  for (let i = 0; i < count; i++) {
    const response = await fetch(`${nginx.url}/api/fs/list?i=${i}`);
    answers.push(`${response.status} ${await response.text()}`);
  }
  return answers;
}

beforeAll(async () => {
  backends = [await startBackend('first'), await startBackend('second')];
  nginx = await startNginx(backends.map((backend) => backend.url));
});

afterAll(async () => {
  await nginx?.close();
  await Promise.all(backends?.map((backend) => backend.close()) ?? []);
});

describe('nginx in front of two processes (docs/deploy.md)', () => {
  it('sends requests to both, each answered whole', async () => {
    const answers = await answersThroughNginx(REQUESTS);
    expect(answers.every((answer) => /^200 (first|second) GET \/api\/fs\/list\?i=\d+$/.test(answer))).toBe(true);
    const first = answers.filter((answer) => answer.startsWith('200 first')).length;
    expect(first).toBeGreaterThan(0);
    expect(REQUESTS - first).toBeGreaterThan(0);
  });

  it('sends every request to the other process while one is down', async () => {
    await backends[1]!.close();
    const answers = await answersThroughNginx(REQUESTS);
    expect(answers.map((answer) => answer.split(' ').slice(0, 2).join(' '))).toEqual(answers.map(() => '200 first'));
  });
});
