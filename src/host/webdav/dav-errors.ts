import type { FastifyError } from 'fastify';
import { isDriverError, type DriverErrorCode } from '../../types/errors.js';
import { BadPathError } from '../fs/paths.js';
import { ApiError } from '../routes/api-error.js';

/**
 * A WebDAV failure: an HTTP status, a message for people, and optionally the RFC 4918 precondition element the
 * answer's `<D:error>` names (e.g. `lock-token-submitted`, with the hrefs of the locks in the way).
 */
export class DavError extends Error {
  constructor(
    readonly status: number, message: string, readonly condition?: string, readonly hrefs: string[] = [],
    /** Headers the answer carries (e.g. Retry-After). */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'DavError';
  }
}

const DRIVER_STATUS: Partial<Record<DriverErrorCode, number>> = {
  NOT_FOUND: 404,
  INVALID_ARGUMENT: 409,
  PERMISSION_DENIED: 403,
  UNSUPPORTED: 403,
  QUOTA_EXCEEDED: 503,
  UPSTREAM_UNAVAILABLE: 502,
  BAD_RESPONSE: 502,
};

/** Any failure as a DavError: the host's API errors, the drivers', bad paths and fastify's own keep their meaning. */
export function asDavError(err: unknown): DavError {
  if (err instanceof DavError) return err;
  if (err instanceof ApiError) return new DavError(err.code, err.details.hint ? `${err.message} ${err.details.hint}` : err.message);
  if (isDriverError(err)) return new DavError(DRIVER_STATUS[err.code] ?? 502, err.hint && !err.message.includes(err.hint) ? `${err.message} ${err.hint}` : err.message);
  if (err instanceof BadPathError) return new DavError(400, err.message);
  const status = (err as FastifyError | undefined)?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) return new DavError(status, (err as Error).message);
  return new DavError(500, 'Internal server error');
}
