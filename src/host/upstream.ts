import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { Link } from '../types/obj.js';

/** What a link's server answered: status, the headers a client may see, and the body as a Node stream. */
export interface UpstreamAnswer {
  status: number;
  headers: Record<string, string>;
  body: Readable | null;
}

export interface UpstreamRequest {
  method: 'GET' | 'HEAD';
  range?: string;
  signal: AbortSignal;
  /** Time to wait for the answer's headers. */
  timeoutMs: number;
}

const PASSED_BACK = ['content-type', 'content-length', 'content-range', 'accept-ranges', 'last-modified', 'etag'];

export class UpstreamTimeoutError extends Error {
  constructor() {
    super('The storage did not answer in time');
    this.name = 'UpstreamTimeoutError';
  }
}

/** Fetch a link's bytes (http(s) with the link's headers, or a file: URL a local driver made). */
export function fetchLink(link: Link, request: UpstreamRequest): Promise<UpstreamAnswer> {
  const url = new URL(link.url);
  if (url.protocol === 'file:') return readFileLink(url, request);
  if (url.protocol === 'http:' || url.protocol === 'https:') return fetchHttpLink(url, link, request);
  return Promise.reject(new Error(`Cannot fetch a ${url.protocol} link`));
}

async function fetchHttpLink(url: URL, link: Link, request: UpstreamRequest): Promise<UpstreamAnswer> {
  const controller = new AbortController();
  const onAbort = () => controller.abort(request.signal.reason);
  if (request.signal.aborted) onAbort();
  request.signal.addEventListener('abort', onAbort, { once: true });
  const timer = setTimeout(() => controller.abort(new UpstreamTimeoutError()), request.timeoutMs);
  const headers: Record<string, string> = { ...link.header, 'accept-encoding': 'identity' };
  if (request.range) headers.range = request.range;
  let response: Response;
  try {
    response = await fetch(url, { method: request.method, headers, redirect: 'follow', signal: controller.signal });
  } catch (err) {
    request.signal.removeEventListener('abort', onAbort);
    throw controller.signal.reason instanceof UpstreamTimeoutError ? controller.signal.reason : err;
  } finally {
    clearTimeout(timer);
  }
  const passed: Record<string, string> = {};
  for (const name of PASSED_BACK) {
    const value = response.headers.get(name);
    if (value !== null) passed[name] = value;
  }
  if (!response.body || request.method === 'HEAD') {
    request.signal.removeEventListener('abort', onAbort);
    await response.body?.cancel().catch(() => undefined);
    return { status: response.status, headers: passed, body: null };
  }
  const body = Readable.fromWeb(response.body as import('node:stream/web').ReadableStream<Uint8Array>);
  body.once('close', () => request.signal.removeEventListener('abort', onAbort));
  return { status: response.status, headers: passed, body };
}

/** A single "bytes=" range against a known size: the inclusive span, 'unsatisfiable', or undefined to send it all. */
export function parseRange(header: string | undefined, size: number): { start: number; end: number } | 'unsatisfiable' | undefined {
  if (!header) return undefined;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match) return undefined;
  const [, from, to] = match;
  if (from === '' && to === '') return undefined;
  let start: number;
  let end: number;
  if (from === '') {
    const suffix = Number(to);
    if (suffix === 0) return 'unsatisfiable';
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(from);
    end = to === '' ? size - 1 : Math.min(Number(to), size - 1);
  }
  if (start >= size || start > end) return 'unsatisfiable';
  return { start, end };
}

async function readFileLink(url: URL, request: UpstreamRequest): Promise<UpstreamAnswer> {
  const file = fileURLToPath(url);
  let info;
  try {
    info = await stat(file);
  } catch {
    return { status: 404, headers: {}, body: null };
  }
  if (!info.isFile()) return { status: 404, headers: {}, body: null };
  const base = { 'accept-ranges': 'bytes', 'last-modified': info.mtime.toUTCString() };
  const range = parseRange(request.range, info.size);
  if (range === 'unsatisfiable') return { status: 416, headers: { ...base, 'content-range': `bytes */${info.size}` }, body: null };
  const start = range?.start ?? 0;
  const end = range?.end ?? info.size - 1;
  const headers: Record<string, string> = { ...base, 'content-length': String(Math.max(0, end - start + 1)) };
  if (range) headers['content-range'] = `bytes ${start}-${end}/${info.size}`;
  const body = request.method === 'HEAD' || info.size === 0 ? null : createReadStream(file, { start, end, signal: request.signal });
  return { status: range ? 206 : 200, headers, body };
}
