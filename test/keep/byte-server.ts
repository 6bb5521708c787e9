import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ByteServerOptions {
  files: Record<string, Buffer>;
  /** Requests without this header (name lower-case) and value get 401. */
  requiredHeader?: { name: string; value: string };
}

/**
 * A real HTTP server on 127.0.0.1 that serves `GET /files/<name>` with a Content-Length, and can misbehave
 * per file: answer 500, cut the body midway once, or send half the body and then hold the connection.
 */
export class ByteServer {
  url = '';
  readonly requests = new Map<string, number>();
  readonly failing = new Set<string>();
  readonly cutOnce = new Set<string>();
  readonly hold = new Set<string>();
  private readonly heldWaiters = new Map<string, () => void>();
  private readonly server: http.Server;

  constructor(private readonly options: ByteServerOptions) {
    this.server = http.createServer((req, res) => this.handle(req, res));
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  urlOf(name: string): string {
    return `${this.url}/files/${encodeURIComponent(name)}`;
  }

  count(name: string): number {
    return this.requests.get(name) ?? 0;
  }

  totalRequests(): number {
    return [...this.requests.values()].reduce((a, b) => a + b, 0);
  }

  resetCounts(): void {
    this.requests.clear();
  }

  /** Resolves once half of `name`'s body has been sent to a client and the server holds the rest. */
  held(name: string): Promise<void> {
    return new Promise((resolve) => this.heldWaiters.set(name, resolve));
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const match = /^\/files\/(.+)$/.exec(req.url ?? '');
    const name = match ? decodeURIComponent(match[1]!) : '';
    this.requests.set(name, this.count(name) + 1);
    const body = this.options.files[name];
    const required = this.options.requiredHeader;
    if (required && req.headers[required.name] !== required.value) {
      res.writeHead(401, { 'content-type': 'text/plain' }).end('missing credentials');
      return;
    }
    if (!body) {
      res.writeHead(404).end('no such file');
      return;
    }
    if (this.failing.has(name)) {
      res.writeHead(500, { 'content-type': 'text/plain' }).end('backend error');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': body.length });
    const half = body.subarray(0, Math.floor(body.length / 2));
    if (this.cutOnce.has(name)) {
      this.cutOnce.delete(name);
      res.write(half, () => res.destroy());
      return;
    }
    if (this.hold.has(name)) {
      res.write(half, () => {
        this.heldWaiters.get(name)?.();
        this.heldWaiters.delete(name);
      });
      return;
    }
    res.end(body);
  }
}

/** Deterministic bytes that differ per file, so a mix-up shows. */
export function bytesFor(seed: number, length: number): Buffer {
  const buffer = Buffer.alloc(length);
  let x = seed * 2654435761 + 1;
  for (let i = 0; i < length; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    buffer[i] = x >>> 24;
  }
  return buffer;
}
