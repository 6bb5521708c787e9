import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { closeServer, listenLoopback } from './loopback-server.js';

/**
 * A small HTTP file store for the TestFiles driver: `GET /index.json` lists the files, `GET /generation` the current URL generation, `GET|HEAD /files/<name>?v=<n>`
 * serves their bytes with Range. Every request needs `Authorization: Bearer <token>`; file URLs are valid only for
 * the current generation (bump it to make handed-out links go stale, as expiring signed URLs do).
 */
export class ByteStoreServer {
  readonly counts = { index: 0, files: 0, staleFiles: 0, abortedFiles: 0 };
  private abortWaiters: Array<() => void> = [];

  /** Resolves when a file answer is cut off before its last byte (the client, or a proxy, went away). */
  nextAbort(): Promise<void> {
    return new Promise((resolve) => this.abortWaiters.push(resolve));
  }
  generation = 1;
  private server?: Server;
  url = '';

  /**
   * `generated` files are made on demand (byte i = i % 251), streamed with backpressure, never held in memory;
   * a generated file named in `stallAfter` sends only that many bytes, then nothing, keeping its connection open.
   */
  constructor(
    readonly files: Record<string, Buffer>,
    readonly tokens: Set<string>,
    readonly generated: Record<string, number> = {},
    readonly stallAfter: Record<string, number> = {},
  ) {}

  async start(): Promise<this> {
    this.server = createServer((request, response) => this.handle(request, response));
    this.url = await listenLoopback(this.server);
    return this;
  }

  async close(): Promise<void> {
    await closeServer(this.server);
  }

  private handle(request: IncomingMessage, response: ServerResponse): void {
    const url = new URL(request.url ?? '/', this.url);
    if (!this.tokens.has((request.headers.authorization ?? '').replace(/^Bearer /, ''))) {
      response.writeHead(401).end('missing or wrong token');
      return;
    }
    if (url.pathname === '/index.json') {
      this.counts.index++;
      const list = [
        ...Object.entries(this.files).map(([name, bytes]) => ({ name, size: bytes.length })),
        ...Object.entries(this.generated).map(([name, size]) => ({ name, size })),
      ];
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(list));
      return;
    }
    if (url.pathname === '/generation') {
      response.writeHead(200, { 'content-type': 'text/plain' }).end(String(this.generation));
      return;
    }
    const name = url.pathname.startsWith('/files/') ? decodeURIComponent(url.pathname.slice('/files/'.length)) : '';
    const bytes = this.files[name];
    const generatedSize = this.generated[name];
    if (!bytes && generatedSize === undefined) {
      response.writeHead(404).end('no such file');
      return;
    }
    if (url.searchParams.get('v') !== String(this.generation)) {
      this.counts.staleFiles++;
      response.writeHead(403).end('link expired');
      return;
    }
    this.counts.files++;
    response.once('close', () => {
      if (response.writableFinished) return;
      this.counts.abortedFiles++;
      for (const resolve of this.abortWaiters.splice(0)) resolve();
    });
    if (bytes) this.sendBytes(request, response, bytes);
    else this.sendGenerated(response, generatedSize!, this.stallAfter[name]);
  }

  private sendGenerated(response: ServerResponse, size: number, stallAfter?: number): void {
    response.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': size });
    const chunk = Buffer.from(Array.from({ length: 64 * 1024 }, (_, i) => i % 251));
    if (stallAfter !== undefined) {
      response.write(chunk.subarray(0, Math.min(stallAfter, size)));
      return;
    }
    let sent = 0;
    Readable.from((function* () {
      while (sent < size) {
        const part = chunk.subarray(0, Math.min(chunk.length, size - sent));
        sent += part.length;
        yield part;
      }
    })()).pipe(response);
  }

  private sendBytes(request: IncomingMessage, response: ServerResponse, bytes: Buffer): void {
    const headers = { 'content-type': 'application/octet-stream', 'accept-ranges': 'bytes', 'last-modified': new Date(Date.UTC(2024, 0, 2)).toUTCString() };
    const match = /^bytes=(\d+)-(\d*)$/.exec(request.headers.range ?? '');
    if (match) {
      const start = Number(match[1]);
      const end = match[2] ? Math.min(Number(match[2]), bytes.length - 1) : bytes.length - 1;
      if (start >= bytes.length || start > end) {
        response.writeHead(416, { ...headers, 'content-range': `bytes */${bytes.length}` }).end();
        return;
      }
      response.writeHead(206, { ...headers, 'content-range': `bytes ${start}-${end}/${bytes.length}`, 'content-length': end - start + 1 });
      response.end(request.method === 'HEAD' ? undefined : bytes.subarray(start, end + 1));
      return;
    }
    response.writeHead(200, { ...headers, 'content-length': bytes.length });
    response.end(request.method === 'HEAD' ? undefined : bytes);
  }
}
