import { fileURLToPath } from 'node:url';
import { openExactFile, type ExactFile } from '../../driver/local/exact-open.js';
import type { Link } from '../../types/obj.js';
import type { UpstreamAnswer, UpstreamRequest } from './upstream-answer.js';

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

/**
 * Answer a `file:` link (made by a driver of this server, e.g. Local: never a URL a client sent) from disk, as an
 * HTTP server would: 200 or 206 with Content-Range for one byte range, 416 when it cannot be satisfied, HEAD
 * without a body, Content-Type from the link, Last-Modified from the file. The file is streamed, never read whole.
 * The file is opened once and checked to be exactly the file of the link's path (no symlink swapped in since the
 * driver checked that path, see openExactFile); size, times and bytes all come from that one descriptor.
 */
export async function readFileLink(url: URL, link: Link, request: UpstreamRequest): Promise<UpstreamAnswer> {
  let file: ExactFile;
  try {
    file = await openExactFile(fileURLToPath(url));
  } catch {
    return { status: 404, headers: {}, body: null };
  }
  const { handle, info } = file;
  const base: Record<string, string> = { 'accept-ranges': 'bytes', 'last-modified': info.mtime.toUTCString() };
  if (link.mimeType) base['content-type'] = link.mimeType;
  const range = parseRange(request.range, info.size);
  if (range === 'unsatisfiable') {
    await handle.close();
    return { status: 416, headers: { ...base, 'content-range': `bytes */${info.size}` }, body: null };
  }
  const start = range?.start ?? 0;
  const end = range?.end ?? info.size - 1;
  const headers: Record<string, string> = { ...base, 'content-length': String(Math.max(0, end - start + 1)) };
  if (range) headers['content-range'] = `bytes ${start}-${end}/${info.size}`;
  const sendsBody = request.method !== 'HEAD' && info.size > 0;
  if (!sendsBody) await handle.close();
  const body = sendsBody ? handle.createReadStream({ start, end, signal: request.signal }) : null;
  return { status: range ? 206 : 200, headers, body };
}
