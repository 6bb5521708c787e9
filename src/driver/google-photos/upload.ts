import type { Readable } from 'node:stream';
import axios, { isAxiosError, type AxiosResponse } from 'axios';
import { DriverError } from '../../types/errors.js';
import type { TokenManager } from './auth.js';
import { isTransientFailure, translateGoogleError, type GoogleFailure } from './errors.js';
import { retryAfterMs, type ResolvedRetryOptions } from './http.js';

/** What one resumable upload sends: the size must be known (X-Goog-Upload-Raw-Size). */
export interface UploadSource {
  name: string;
  mimeType: string;
  size: number;
  stream: Readable;
}

export interface UploadProgress {
  signal?: AbortSignal;
  onProgress?: (sentBytes: number) => void;
}

export interface ResumableUploaderOptions {
  /** The Library API base ending in /v1. */
  libraryUrl: string;
  tokens: TokenManager;
  retry: ResolvedRetryOptions;
  now: () => number;
  /** Bytes sent per request, rounded down to the granularity Google announces; default 8 MiB. Two chunk buffers are held per upload: one is sent while the next is read. */
  chunkBytes?: number;
  /** Per request; default 300000 (a chunk on a slow line takes a while). */
  timeoutMs?: number;
}

interface Session { url: string; granularity: number }

const DEFAULT_CHUNK_BYTES = 8 * 1024 * 1024;
const DEFAULT_GRANULARITY = 262_144;

function header(response: AxiosResponse, name: string): string | undefined {
  const value: unknown = response.headers[name];
  return typeof value === 'string' ? value : undefined;
}

function bodyOf(text: unknown): unknown {
  if (typeof text !== 'string') return text;
  try { return JSON.parse(text) as unknown; } catch { return text; }
}

/** The upload URL names its session (a capability to write to it): errors show the URL without it. */
function withoutQuery(url: string): string {
  return url.split('?')[0]!;
}

/**
 * Reads a stream of `size` bytes into caller-given buffers, one chunk at a time, so that the next chunk can fill
 * while the previous one is sent. Fails when the stream does not hold exactly `size` bytes.
 */
class ChunkReader {
  private readonly pieces: AsyncIterator<Buffer | string>;
  private leftover: Buffer = Buffer.alloc(0);
  private read = 0;
  private copied = 0;

  constructor(stream: Readable, private readonly size: number, private readonly name: string) {
    this.pieces = (stream as AsyncIterable<Buffer | string>)[Symbol.asyncIterator]();
  }

  /** Fills `buffer` (the last chunk only partly); resolves with the filled part. */
  async fill(buffer: Buffer): Promise<Buffer> {
    let held = 0;
    while (held < buffer.length && this.copied < this.size) {
      if (this.leftover.length === 0) {
        const next = await this.pieces.next();
        if (next.done) throw sizeMismatch(this.name, this.size, String(this.read));
        this.leftover = Buffer.isBuffer(next.value) ? next.value : Buffer.from(next.value);
        this.read += this.leftover.length;
        if (this.read > this.size) throw sizeMismatch(this.name, this.size, `more than ${this.size}`);
      }
      const take = this.leftover.copy(buffer, held, 0, Math.min(this.leftover.length, buffer.length - held));
      held += take;
      this.copied += take;
      this.leftover = this.leftover.subarray(take);
    }
    // Before the last chunk goes (and finalizes the upload), the stream must end here: not one byte more.
    if (this.copied === this.size) {
      const after = await this.pieces.next();
      if (!after.done) throw sizeMismatch(this.name, this.size, `more than ${this.size}`);
    }
    return buffer.subarray(0, held);
  }

  /** Stops reading (the upload failed): the stream is destroyed. */
  close(): void {
    void this.pieces.return?.().catch(() => undefined);
  }
}

function sizeMismatch(name: string, size: number, got: string): DriverError {
  return new DriverError('INVALID_ARGUMENT', `"${name}" was announced as ${size} bytes but its stream held ${got}; nothing was stored.`, {
    hint: 'Upload the file again; if it keeps failing, the client sends a wrong size.',
  });
}

/**
 * Google's resumable upload protocol: start (the size up front), chunks aligned to the granularity Google gives,
 * `query` after a failed chunk to learn what Google committed, then resend only the rest. Returns the upload token.
 */
export class ResumableUploader {
  private readonly chunkBytes: number;
  private readonly timeoutMs: number;

  constructor(private readonly options: ResumableUploaderOptions) {
    this.chunkBytes = options.chunkBytes ?? DEFAULT_CHUNK_BYTES;
    this.timeoutMs = options.timeoutMs ?? 300_000;
  }

  async upload(source: UploadSource, progress: UploadProgress = {}): Promise<string> {
    const session = await this.start(source, progress.signal);
    const chunkBytes = Math.max(session.granularity, Math.floor(this.chunkBytes / session.granularity) * session.granularity);
    let offset = 0;
    let token = '';
    // Two buffers take turns: one chunk is sent while the next is read, so the client and Google both keep moving.
    // Memory: at most two chunks per upload, allocated once.
    const reader = new ChunkReader(source.stream, source.size, source.name);
    const buffers = [Buffer.allocUnsafe(Math.min(chunkBytes, source.size))];
    if (source.size > chunkBytes) buffers.push(Buffer.allocUnsafe(chunkBytes));
    const fill = (index: number) => {
      const filling = reader.fill(buffers[index % buffers.length]!);
      filling.catch(() => undefined);   // awaited below; a failure while a chunk is in flight must not go unhandled
      return filling;
    };
    try {
      let next = source.size > 0 ? fill(0) : undefined;
      for (let index = 0; next; index++) {
        const chunk = await next;
        const last = offset + chunk.length === source.size;
        next = last ? undefined : fill(index + 1);
        token = await this.sendChunk(session, chunk, offset, last, progress);
        offset += chunk.length;
        progress.onProgress?.(offset);
      }
    } catch (error) {
      reader.close();
      // Aborted, the source failed, or Google gave up: end the session at Google rather than leave it open.
      void this.post(session.url, Buffer.alloc(0), { 'X-Goog-Upload-Command': 'cancel' }).catch(() => undefined);
      throw error;
    }
    if (token.trim() === '') {
      throw new DriverError('BAD_RESPONSE', `Google Photos finished the upload of "${source.name}" without an upload token.`, {
        hint: 'Retry the upload; check api_base_url if it keeps happening.',
      });
    }
    return token.trim();
  }

  private async start(source: UploadSource, signal?: AbortSignal): Promise<Session> {
    const url = `${this.options.libraryUrl}/uploads`;
    let rejected: string | undefined;
    const response = await this.withRetries('uploads (start)', url, signal, async () => {
      const accessToken = rejected ? await this.options.tokens.renewAfterRejection(rejected) : await this.options.tokens.accessToken();
      const answer = await this.post(url, Buffer.alloc(0), {
        Authorization: `Bearer ${accessToken}`,
        'X-Goog-Upload-Protocol': 'resumable',
        'X-Goog-Upload-Command': 'start',
        'X-Goog-Upload-Raw-Size': String(source.size),
        'X-Goog-Upload-Content-Type': source.mimeType,
        'X-Goog-Upload-File-Name': encodeURIComponent(source.name),
      }, signal);
      // One refresh and one retry after a 401, as for every other call.
      if (answer.status === 401 && !rejected) {
        rejected = accessToken;
        return 'again';
      }
      return answer;
    });
    if (!response) throw new DriverError('BAD_RESPONSE', 'Google Photos did not answer the start of an upload.', { hint: 'Retry the upload.' });
    const sessionUrl = header(response, 'x-goog-upload-url');
    if (!sessionUrl) {
      throw new DriverError('BAD_RESPONSE', 'Google Photos started an upload without an X-Goog-Upload-URL.', { hint: 'Retry; check api_base_url if it keeps happening.' });
    }
    const granularity = Number(header(response, 'x-goog-upload-chunk-granularity') ?? DEFAULT_GRANULARITY);
    return { url: sessionUrl, granularity: Number.isSafeInteger(granularity) && granularity > 0 ? granularity : DEFAULT_GRANULARITY };
  }

  /** Sends one chunk; after a failure asks Google how much arrived and sends only the rest. Returns the answer body. */
  private async sendChunk(session: Session, chunk: Buffer, chunkStart: number, last: boolean, progress: UploadProgress): Promise<string> {
    const chunkEnd = chunkStart + chunk.length;
    let from = chunkStart;
    let failedBefore = false;
    const response = await this.withRetries('uploads (chunk)', session.url, progress.signal, async () => {
      if (failedBefore) {
        from = await this.committedOffset(session, chunkStart, chunkEnd, progress.signal);
        progress.onProgress?.(from);
        if (from === chunkEnd && !last) return undefined;   // the whole chunk had arrived
      }
      failedBefore = true;
      return this.post(session.url, chunk.subarray(from - chunkStart), {
        'X-Goog-Upload-Command': last ? 'upload, finalize' : 'upload',
        'X-Goog-Upload-Offset': String(from),
      }, progress.signal);
    });
    return typeof response?.data === 'string' ? response.data : '';
  }

  private async committedOffset(session: Session, chunkStart: number, chunkEnd: number, signal?: AbortSignal): Promise<number> {
    const answer = await this.post(session.url, Buffer.alloc(0), { 'X-Goog-Upload-Command': 'query' }, signal);
    if (answer.status < 200 || answer.status >= 300) throw answer;
    const received = Number(header(answer, 'x-goog-upload-size-received'));
    if (!Number.isSafeInteger(received) || received < chunkStart || received > chunkEnd) {
      throw new DriverError('BAD_RESPONSE', `Google Photos reports ${header(answer, 'x-goog-upload-size-received') ?? 'no'} bytes received; `
        + `the upload had sent up to byte ${chunkEnd} and Google had confirmed ${chunkStart}.`, { hint: 'Upload the file again.' });
    }
    return received;
  }

  private post(url: string, body: Buffer, headers: Record<string, string>, signal?: AbortSignal): Promise<AxiosResponse> {
    return axios.request({
      method: 'POST', url, data: body, signal, timeout: this.timeoutMs, maxRedirects: 0,
      headers: { 'Content-Type': 'application/octet-stream', ...headers },
      maxBodyLength: Infinity, maxContentLength: Infinity,
      responseType: 'text', transformResponse: (data: unknown) => data, validateStatus: () => true,
    });
  }

  /**
   * Runs `attempt` until it answers 2xx: server errors, dropped connections and 429s are retried (Retry-After honoured),
   * at most `retries` times in a row; anything else fails at once, translated. `attempt` may ask to run again at once.
   */
  private async withRetries(endpoint: string, url: string, signal: AbortSignal | undefined,
    attempt: () => Promise<AxiosResponse | 'again' | undefined>): Promise<AxiosResponse | undefined> {
    const { retries, minTimeout, maxTimeout, factor, retryAfterCapMs, sleep } = this.options.retry;
    const record: GoogleFailure = { endpoint, method: 'POST', url: withoutQuery(url) };
    for (let failures = 0; ; ) {
      signal?.throwIfAborted();
      let failure: GoogleFailure;
      try {
        const answer = await attempt();
        if (answer === 'again') continue;
        if (answer === undefined || (answer.status >= 200 && answer.status < 300)) return answer;
        failure = { ...record, status: answer.status, body: bodyOf(answer.data) };
        const retryAfter = header(answer, 'retry-after');
        if (retryAfter !== undefined) failure.retryAfter = retryAfter;
      } catch (error) {
        if (error instanceof DriverError) throw error;
        signal?.throwIfAborted();
        if (isAxiosResponse(error)) failure = { ...record, status: error.status, body: bodyOf(error.data) };
        else failure = { ...record, networkCode: isAxiosError(error) ? error.code : undefined, networkMessage: error instanceof Error ? error.message : String(error) };
      }
      if (!isTransientFailure(failure) || failures >= retries) throw translateGoogleError(failure);
      const wait = retryAfterMs(failure.retryAfter, this.options.now(), retryAfterCapMs) ?? Math.min(maxTimeout, minTimeout * factor ** failures);
      failures++;
      await sleep(wait);
    }
  }
}

function isAxiosResponse(value: unknown): value is AxiosResponse {
  return typeof value === 'object' && value !== null && 'status' in value && 'headers' in value && 'data' in value;
}
