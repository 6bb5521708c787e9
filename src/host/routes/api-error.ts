import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { isDriverError, type DriverErrorCode } from '../../types/errors.js';
import { BadPathError } from '../fs/paths.js';
import { DuplicateMetaPathError } from '../fs/meta-store.js';
import { DuplicateMountPathError } from '../storages/storage-store.js';

/** A failure the API answers with its own code (AList's envelope codes: 400, 401, 403, 404, 429, 500). */
export class ApiError extends Error {
  constructor(readonly code: number, message: string, readonly details: { errorCode?: string; hint?: string } = {}) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface Envelope {
  code: number;
  message: string;
  data: unknown;
  error?: { code: string; message: string; hint?: string };
}

export function ok(data: unknown = null): Envelope {
  return { code: 200, message: 'success', data };
}

const DRIVER_CODE_TO_API: Partial<Record<DriverErrorCode, number>> = {
  NOT_FOUND: 404,
  INVALID_ARGUMENT: 400,
  PERMISSION_DENIED: 403,
};

function fromUnknown(err: unknown): { code: number; message: string; errorCode?: string; hint?: string } {
  if (err instanceof ApiError) return { code: err.code, message: err.message, ...err.details };
  if (isDriverError(err)) {
    return { code: DRIVER_CODE_TO_API[err.code] ?? 500, message: err.message, errorCode: err.code, ...(err.hint ? { hint: err.hint } : {}) };
  }
  if (err instanceof BadPathError) return { code: 400, message: err.message, errorCode: 'BAD_PATH' };
  if (err instanceof DuplicateMountPathError) return { code: 400, message: err.message, errorCode: 'DUPLICATE_MOUNT_PATH' };
  if (err instanceof DuplicateMetaPathError) return { code: 400, message: err.message, errorCode: 'DUPLICATE_META_PATH' };
  const status = (err as FastifyError).statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return { code: status, message: (err as Error).message, errorCode: (err as FastifyError).code };
  }
  return { code: 500, message: 'Internal server error' };
}

/** The envelope for any failure; never carries a stack or a cause. */
export function errorEnvelope(err: unknown): Envelope {
  const { code, message, errorCode, hint } = fromUnknown(err);
  const envelope: Envelope = { code, message, data: null };
  if (errorCode) envelope.error = { code: errorCode, message, ...(hint ? { hint } : {}) };
  return envelope;
}

export function isApiRequest(request: FastifyRequest): boolean {
  return request.url.startsWith('/api/') && !request.url.startsWith('/api/google/callback');
}

/** API routes answer HTTP 200 with the code in the envelope (as AList does); other routes use the HTTP status. */
export function sendError(request: FastifyRequest, reply: FastifyReply, err: unknown): FastifyReply {
  const envelope = errorEnvelope(err);
  if (envelope.code === 500) request.log.error({ err }, 'request failed');
  if (reply.sent || reply.raw.headersSent) {
    reply.raw.destroy();
    return reply;
  }
  return reply.code(isApiRequest(request) ? 200 : envelope.code).type('application/json; charset=utf-8').send(envelope);
}
