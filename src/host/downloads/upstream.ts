import http, { type IncomingMessage, type RequestOptions } from 'node:http';
import https from 'node:https';
import type { Link } from '../../types/obj.js';
import { readFileLink } from './file-link.js';
import { watchIdle } from './idle-watch.js';
import type { UpstreamAnswer, UpstreamRequest } from './upstream-answer.js';

const PASSED_BACK = ['content-type', 'content-length', 'content-range', 'accept-ranges', 'last-modified', 'etag', 'retry-after'];

export class UpstreamTimeoutError extends Error {
  constructor() {
    super('The storage did not answer in time');
    this.name = 'UpstreamTimeoutError';
  }
}

/** Fetch a link's bytes (http(s) with the link's headers, or a file: URL a local driver made). */
export function fetchLink(link: Link, request: UpstreamRequest): Promise<UpstreamAnswer> {
  const url = new URL(link.url);
  if (url.protocol === 'file:') return readFileLink(url, link, request);
  if (url.protocol === 'http:' || url.protocol === 'https:') return fetchHttpLink(url, link, request);
  return Promise.reject(new Error(`Cannot fetch a ${url.protocol} link`));
}

const MAX_REDIRECTS = 5;
/** Bigger socket reads than the 16 KB default: fewer, larger chunks to copy through the proxy. */
const SOCKET_BUFFER_BYTES = 256 * 1024;

/** Where a redirect leads, or why it is not followed (too many, not http(s), unreadable). */
function redirectTarget(location: string, from: URL, redirects: number): URL | Error {
  if (redirects >= MAX_REDIRECTS) return new Error(`The storage redirected more than ${MAX_REDIRECTS} times`);
  let next: URL;
  try {
    next = new URL(location, from);
  } catch {
    return new Error('The storage redirected to an unreadable address');
  }
  if (next.protocol !== 'http:' && next.protocol !== 'https:') return new Error(`The storage redirected to a ${next.protocol} address`);
  return next;
}

/**
 * Node's http client rather than fetch: its IncomingMessage is a plain Node stream, so pipeline() applies
 * backpressure end to end without a web-stream adapter in between (measurably faster, and less memory).
 */
function fetchHttpLink(url: URL, link: Link, request: UpstreamRequest, redirects = 0): Promise<UpstreamAnswer> {
  const headers: Record<string, string> = { ...link.header, 'accept-encoding': 'identity' };
  if (request.range) headers.range = request.range;
  return new Promise((resolve, reject) => {
    if (request.signal.aborted) return reject(request.signal.reason);
    // Looked up at each call (not bound at import), as HTTP clients do, so an interceptor installed later applies.
    const send = url.protocol === 'https:' ? https.request : http.request;
    // highWaterMark is a Node 20 request option that @types/node 20 does not declare yet.
    const options: RequestOptions = { method: request.method, headers, signal: request.signal, ...{ highWaterMark: SOCKET_BUFFER_BYTES } };
    const outgoing = send(url, options);
    const timer = setTimeout(() => outgoing.destroy(new UpstreamTimeoutError()), request.timeoutMs);
    outgoing.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    outgoing.once('response', (response) => {
      clearTimeout(timer);
      const status = response.statusCode ?? 502;
      const location = response.headers.location;
      if (status >= 300 && status < 400 && location) {
        response.resume();
        const next = redirectTarget(location, url, redirects);
        if (next instanceof Error) return reject(next);
        // The link's headers (its bearer token) go to its own origin only: not another host or port, nor plain http.
        const nextLink = next.origin === url.origin ? link : { ...link, header: undefined };
        resolve(fetchHttpLink(next, nextLink, request, redirects + 1));
        return;
      }
      const passed: Record<string, string> = {};
      for (const name of PASSED_BACK) {
        const value = response.headers[name];
        if (typeof value === 'string') passed[name] = value;
      }
      if (request.method === 'HEAD') {
        response.resume();
        resolve({ status, headers: passed, body: null });
        return;
      }
      if (request.idleTimeoutMs !== undefined) watchBody(response, request.idleTimeoutMs);
      resolve({ status, headers: passed, body: response });
    });
    outgoing.end();
  });
}

/**
 * A storage that stops sending mid-body is cut off (a body our own reader holds back is not its stall). The
 * socket's own timeout (the agent's 5 s for idle keep-alive sockets) is off meanwhile: it would be re-armed on
 * every read; the agent sets it again when the socket goes back to its pool.
 */
function watchBody(response: IncomingMessage, idleTimeoutMs: number): void {
  const { socket } = response;
  socket.setTimeout(0);
  const stop = watchIdle(idleTimeoutMs, () => socket.bytesRead, () => response.readableFlowing !== false && response.readableLength === 0,
    () => response.destroy(new UpstreamTimeoutError()));
  response.once('close', stop);
}
