import { pipeline } from 'node:stream/promises';
import type { FastifyReply, FastifyRequest } from 'fastify';
import mime from 'mime-types';
import { ApiError } from '../routes/api-error.js';
import { contentDisposition } from './content-disposition.js';
import type { FileTarget, FsService } from '../fs/fs-service.js';
import { watchIdle } from './idle-watch.js';
import type { UpstreamAnswer } from './upstream-answer.js';
import { fetchLink, UpstreamTimeoutError } from './upstream.js';
import { sizeFromAnswer } from '../sizes/answer-size.js';

const UPSTREAM_TIMEOUT_MS = 30_000;
const DEFAULT_IDLE_TIMEOUT_MS = 60_000;

/** How long a proxied download may stall on either side before it is cut off. */
export interface DownloadIdleTimeouts {
  /** The client reads nothing of what we have to send. */
  client?: number;
  /** The storage sends nothing mid-body while we wait for it. */
  upstream?: number;
}

/** Answers that mean the link went stale: worth one fresh link before giving up. */
const STALE_LINK = new Set([401, 403, 404, 410]);

async function openUpstream(fs: FsService, target: FileTarget, request: FastifyRequest, signal: AbortSignal, idleTimeoutMs: number): Promise<UpstreamAnswer> {
  const method = request.method === 'HEAD' ? 'HEAD' : 'GET';
  const range = typeof request.headers.range === 'string' ? request.headers.range : undefined;
  const options = { method, range, signal, timeoutMs: UPSTREAM_TIMEOUT_MS, idleTimeoutMs } as const;
  let { link } = await fs.link(target, false, signal);
  for (let attempt = 0; ; attempt++) {
    let answer: UpstreamAnswer;
    try {
      answer = await fetchLink(link, options);
    } catch (err) {
      if (err instanceof UpstreamTimeoutError) throw new ApiError(504, err.message);
      if (signal.aborted) throw err;
      throw new ApiError(502, 'The storage could not be reached for this file');
    }
    if (!STALE_LINK.has(answer.status)) return answer;
    answer.body?.destroy();
    if (attempt > 0) throw new ApiError(502, `The storage refused the file's link (HTTP ${answer.status})`);
    ({ link } = await fs.link(target, true, signal)); // fresh: drops the cached link and asks the driver again
  }
}

function clientStatus(upstream: number): number | undefined {
  if (upstream === 200 || upstream === 206 || upstream === 416) return upstream;
  if (upstream === 429) return 503;
  return undefined;
}

/**
 * Stream a file through this server: the client's Range goes upstream, the answer's status and byte headers
 * come back, bytes flow with backpressure and never gather in memory; a client that goes away stops the
 * upstream transfer, and so does a client that stops reading, or a storage that stops sending, for longer than `idle`.
 */
export async function proxyFile(
  fs: FsService, target: FileTarget, request: FastifyRequest, reply: FastifyReply, disposition: 'inline' | 'attachment', idle: DownloadIdleTimeouts = {},
  /** Headers of the caller's own (e.g. WebDAV's ETag). */
  extraHeaders: Record<string, string> = {},
): Promise<void> {
  const controller = new AbortController();
  const abort = () => {
    if (!reply.raw.writableFinished) controller.abort(new Error('client went away'));
  };
  reply.raw.once('close', abort);
  const answer = await openUpstream(fs, target, request, controller.signal, idle.upstream ?? DEFAULT_IDLE_TIMEOUT_MS);
  const status = clientStatus(answer.status);
  if (status === undefined) {
    answer.body?.destroy();
    throw new ApiError(502, `The storage answered HTTP ${answer.status} for this file`);
  }
  const headers: Record<string, string> = {
    ...answer.headers,
    'content-type': answer.headers['content-type'] || target.obj.mimeType || mime.lookup(target.obj.name) || 'application/octet-stream',
    'content-disposition': contentDisposition(disposition, target.obj.name),
    'x-content-type-options': 'nosniff',
    'content-security-policy': 'sandbox',
    'cache-control': 'private, max-age=0',
    ...extraHeaders,
  };
  if (!headers['accept-ranges'] && status !== 416) headers['accept-ranges'] = 'bytes';
  if (!headers['last-modified'] && !Number.isNaN(target.obj.modified.getTime())) headers['last-modified'] = target.obj.modified.toUTCString();
  const size = sizeFromAnswer(answer.status, answer.headers);
  if (size !== undefined && !target.variant) fs.rememberSize(target, size);

  reply.hijack();
  reply.raw.writeHead(status, headers);
  if (!answer.body || request.method === 'HEAD') {
    answer.body?.destroy();
    reply.raw.end();
    return;
  }
  // A client that reads nothing of what waits for it is cut off; a stall of the storage's is the upstream's to judge.
  const { socket } = reply.raw;
  const stopWatching = watchIdle(idle.client ?? DEFAULT_IDLE_TIMEOUT_MS, () => socket?.bytesWritten ?? 0, () => reply.raw.writableNeedDrain, () => reply.raw.destroy());
  try {
    await pipeline(answer.body, reply.raw);
  } catch {
    // The client went away or the storage broke off: both ends are closed by pipeline; nothing left to answer.
  } finally {
    stopWatching();
  }
}
