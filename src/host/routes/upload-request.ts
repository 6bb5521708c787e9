import type { IncomingMessage } from 'node:http';
import { Transform, type Readable } from 'node:stream';
import busboy from 'busboy';
import type { FastifyRequest } from 'fastify';
import mime from 'mime-types';
import { normalizePath } from '../fs/paths.js';
import { ApiError } from './api-error.js';

/** What the upload headers say (AList's: File-Path, As-Task, Overwrite, Last-Modified, Content-Type). */
export interface UploadHeaders {
  filePath: string;
  name: string;
  asTask: boolean;
  overwrite: boolean;
  modified?: Date;
}

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** `toFullPath` turns the path as the client sent it into the full path (the user's base path joined). */
export function uploadHeaders(request: FastifyRequest, toFullPath: (path: string) => string): UploadHeaders {
  const raw = header(request, 'file-path');
  if (raw === undefined || raw === '') throw new ApiError(400, 'The File-Path header is missing: send the URL-encoded path of the new file', { errorCode: 'BAD_PATH' });
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    throw new ApiError(400, 'The File-Path header is not valid percent-encoding', { errorCode: 'BAD_PATH' });
  }
  if (normalizePath(decoded.startsWith('/') ? decoded : `/${decoded}`) === '/') throw new ApiError(400, 'File-Path must name a file, not "/"', { errorCode: 'BAD_PATH' });
  const filePath = toFullPath(decoded);
  const millis = Number(header(request, 'last-modified'));
  return {
    filePath,
    name: filePath.slice(filePath.lastIndexOf('/') + 1),
    asTask: header(request, 'as-task') === 'true',
    overwrite: header(request, 'overwrite') !== 'false',
    ...(Number.isSafeInteger(millis) && millis > 0 ? { modified: new Date(millis) } : {}),
  };
}

/** The type to hand the storage: the client's, unless it only said "some bytes"; then the name's. */
export function uploadMimeType(sent: string | undefined, name: string): string | undefined {
  const type = sent?.split(';')[0]?.trim().toLowerCase();
  if (type && type !== 'application/octet-stream' && !type.startsWith('multipart/')) return type;
  return mime.lookup(name) || type || undefined;
}

export function tooLarge(size: number | undefined, limit: number): ApiError {
  return new ApiError(413, `The file${size === undefined ? '' : ` (${size} bytes)`} is larger than this server accepts (${limit} bytes)`, {
    errorCode: 'TOO_LARGE', hint: 'Upload a smaller file, or raise the server\'s upload limit.',
  });
}

/** Content-Length, required (AList parses it too) and within the limit. */
export function declaredLength(request: FastifyRequest, limit: number): number {
  const raw = header(request, 'content-length');
  const size = Number(raw);
  if (raw === undefined || raw === '' || !Number.isSafeInteger(size) || size < 0) {
    throw new ApiError(400, 'The Content-Length header is missing or not a number: send the file with its length', { errorCode: 'BAD_LENGTH' });
  }
  if (size > limit) throw tooLarge(size, limit);
  return size;
}

export function shortBody(received: number, declared: number): ApiError {
  return new ApiError(400, `The upload ended after ${received} of the ${declared} bytes its Content-Length announced; nothing was stored`, {
    errorCode: 'INCOMPLETE_BODY', hint: 'Send the file again.',
  });
}

/**
 * The request body as a stream that fails, instead of ending, when fewer bytes than `declared` arrive (a lying
 * Content-Length or a client that went away): a storage never commits a short file. No byte is buffered beyond
 * the stream's own high-water mark.
 */
export function checkedBody(raw: IncomingMessage, declared: number): Readable {
  let received = 0;
  const checked = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      received += chunk.length;
      if (received > declared) return callback(shortBody(received, declared));
      callback(null, chunk);
    },
    flush(callback) {
      callback(received === declared ? null : shortBody(received, declared));
    },
  });
  // Whoever reads the stream sees its error; until a reader attaches, an error must not crash the process.
  checked.on('error', () => undefined);
  const cut = () => {
    if (!raw.complete) checked.destroy(shortBody(received, declared));
  };
  raw.once('aborted', cut);
  raw.once('close', cut);
  raw.once('error', () => cut());
  raw.pipe(checked);
  // The connection may have gone while the route was still looking up the target.
  if (raw.destroyed) process.nextTick(cut);
  return checked;
}

/** An AbortSignal that fires when the client goes away before its upload was read to the end. */
export function disconnectSignal(raw: IncomingMessage): AbortSignal {
  const controller = new AbortController();
  const gone = () => {
    if (!raw.complete) controller.abort(new ApiError(400, 'The client disconnected during the upload; nothing was stored', { errorCode: 'INCOMPLETE_BODY' }));
  };
  if (raw.destroyed) gone();
  else raw.once('close', gone);
  return controller.signal;
}

export interface FormFile {
  stream: Readable;
  mimeType?: string;
}

/**
 * The multipart field `file`, streamed as it arrives (AList's /api/fs/form); other fields are skipped. A body cut
 * short or over `limit` bytes fails the stream.
 */
export function formFile(raw: IncomingMessage, limit: number): Promise<FormFile> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: raw.headers, limits: { files: 1, fileSize: limit } });
    } catch {
      reject(new ApiError(400, 'The request is not multipart/form-data', { errorCode: 'BAD_FORM' }));
      return;
    }
    let file: Readable | undefined;
    parser.on('file', (field, stream, info) => {
      if (field !== 'file' || file) {
        stream.resume();
        return;
      }
      file = stream;
      stream.on('error', () => undefined); // the reader sees it; none may be attached yet
      stream.once('limit', () => stream.destroy(tooLarge(undefined, limit)));
      resolve({ stream, mimeType: info.mimeType });
    });
    parser.on('error', (err) => {
      const failure = new ApiError(400, `The form upload is incomplete or malformed (${(err as Error).message}); nothing was stored`, { errorCode: 'INCOMPLETE_BODY' });
      file?.destroy(failure);
      reject(failure);
    });
    parser.on('close', () => reject(new ApiError(400, 'The form has no "file" field', { errorCode: 'BAD_FORM' })));
    const gone = () => {
      if (!raw.complete) parser.destroy(new Error('the client disconnected'));
    };
    raw.once('close', gone);
    raw.pipe(parser);
    if (raw.destroyed) process.nextTick(gone);
  });
}
