import { Readable, Transform } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { openExactFile } from '../driver/local/exact-open.js';
import { DriverError, isDriverError, type DriverErrorCode } from '../types/errors.js';
import type { Link } from '../types/obj.js';

export interface LinkStreamOptions {
  signal?: AbortSignal;
  /** Fail when the server sends nothing (headers or body bytes) for this long. */
  idleTimeoutMs: number;
  /** Called with the length of every chunk as it is read. */
  onBytes?: (bytes: number) => void;
}

/**
 * Open the bytes behind a Link as a Node stream, never buffering the whole file: `file:` URLs are read from
 * disk, `http(s):` URLs fetched with the link's headers. Only a 200 answer is accepted; a body cut short of its
 * Content-Length fails the stream. Failures are DriverErrors, except an abort through `signal`, which rejects
 * with the signal's reason. Error messages never carry the URL or the headers (they may hold tokens).
 */
export async function openLinkStream(link: Link, options: LinkStreamOptions): Promise<Readable> {
  const url = new URL(link.url);
  if (url.protocol === 'file:') return openFile(url, options);
  if (url.protocol === 'http:' || url.protocol === 'https:') return fetchBody(url, link, options);
  throw new DriverError('UNSUPPORTED', `Cannot fetch a ${url.protocol} link`);
}

async function openFile(url: URL, options: LinkStreamOptions): Promise<Readable> {
  options.signal?.throwIfAborted();
  let handle;
  try {
    // The very file the driver checked, not whatever a symlink swapped in since (see openExactFile).
    ({ handle } = await openExactFile(fileURLToPath(url)));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new DriverError(code === 'ENOENT' ? 'NOT_FOUND' : 'UPSTREAM_UNAVAILABLE', `Cannot read the source file (${code})`, { cause: err });
  }
  const stream = handle.createReadStream({ signal: options.signal });
  if (!options.onBytes) return stream;
  const meter = countingStream(options.onBytes);
  stream.on('error', (err) => meter.destroy(err));
  meter.on('close', () => stream.destroy());
  return stream.pipe(meter);
}

async function fetchBody(url: URL, link: Link, options: LinkStreamOptions): Promise<Readable> {
  const { signal, idleTimeoutMs } = options;
  signal?.throwIfAborted();
  const controller = new AbortController();
  const idle = new DriverError('UPSTREAM_UNAVAILABLE', `The source sent nothing for ${idleTimeoutMs} ms`, {
    hint: 'Run the copy again later; what was copied is kept.',
  });
  let timer: NodeJS.Timeout | undefined;
  const restartTimer = () => {
    clearTimeout(timer);
    timer = setTimeout(() => controller.abort(idle), idleTimeoutMs);
  };
  const abortFromCaller = () => controller.abort(signal?.reason);
  signal?.addEventListener('abort', abortFromCaller, { once: true });
  const release = () => {
    clearTimeout(timer);
    signal?.removeEventListener('abort', abortFromCaller);
  };
  restartTimer();

  let response: Response;
  try {
    response = await fetch(url, {
      headers: { 'accept-encoding': 'identity', ...link.header },
      signal: controller.signal,
      redirect: 'follow',
    });
  } catch (err) {
    release();
    throw translateTransferError(err, signal);
  }
  if (response.status !== 200 || !response.body) {
    release();
    await response.body?.cancel().catch(() => undefined);
    throw new DriverError(codeForStatus(response.status), `The source answered HTTP ${response.status} ${response.statusText}`.trim(), {
      status: response.status,
    });
  }

  const declared = response.headers.get('content-encoding') ? undefined : Number(response.headers.get('content-length') ?? NaN);
  let received = 0;
  const meter = countingStream(
    (bytes) => {
      restartTimer();
      received += bytes;
      options.onBytes?.(bytes);
    },
    () => {
      if (declared === undefined || !Number.isFinite(declared) || received === declared) return undefined;
      return new DriverError('UPSTREAM_UNAVAILABLE', `The source sent ${received} of ${declared} bytes`);
    },
  );
  const body = Readable.fromWeb(response.body as import('node:stream/web').ReadableStream<Uint8Array>);
  body.on('error', (err) => meter.destroy(translateTransferError(err, signal) as Error));
  meter.on('close', () => {
    release();
    body.destroy();
  });
  return body.pipe(meter);
}

/** Passes bytes through, reporting each chunk; `atEnd` may fail the stream when the body was incomplete. */
function countingStream(onChunk: (bytes: number) => void, atEnd?: () => Error | undefined): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      onChunk(chunk.length);
      callback(null, chunk);
    },
    flush(callback) {
      callback(atEnd?.());
    },
  });
}

function translateTransferError(err: unknown, signal: AbortSignal | undefined): unknown {
  if (signal?.aborted) return signal.reason;
  if (isDriverError(err)) return err;
  const cause = (err as { cause?: unknown }).cause;
  if (isDriverError(cause)) return cause;
  const detail = cause instanceof Error ? cause.message : err instanceof Error ? err.message : String(err);
  return new DriverError('UPSTREAM_UNAVAILABLE', `The transfer from the source failed: ${detail}`, {
    hint: 'Run the copy again; what was copied is kept.',
    cause: err,
  });
}

function codeForStatus(status: number): DriverErrorCode {
  if (status === 401) return 'UNAUTHENTICATED';
  if (status === 403) return 'PERMISSION_DENIED';
  if (status === 404 || status === 410) return 'NOT_FOUND';
  if (status === 429) return 'QUOTA_EXCEEDED';
  return status >= 500 ? 'UPSTREAM_UNAVAILABLE' : 'BAD_RESPONSE';
}
