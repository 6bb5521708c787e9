export const DRIVER_ERROR_CODES = [
  'INVALID_CONFIG',
  'INSUFFICIENT_SCOPES',
  'API_DISABLED',
  'INVALID_GRANT',
  'INVALID_CLIENT',
  'UNAUTHENTICATED',
  'PERMISSION_DENIED',
  'QUOTA_EXCEEDED',
  'NOT_FOUND',
  'INVALID_ARGUMENT',
  'BAD_RESPONSE',
  'UPSTREAM_UNAVAILABLE',
  'UNSUPPORTED',
  'PICKER_NOT_READY',
  'PICKER_SESSION_EXPIRED',
  'NO_PHOTOS_ACCOUNT',
] as const;

export type DriverErrorCode = (typeof DRIVER_ERROR_CODES)[number];

export interface DriverErrorOptions {
  /** What the user should do, on its own. */
  hint?: string;
  /** HTTP status of the upstream answer, when there was one. */
  status?: number;
  /** The original failure. Must not carry secrets (no request config, no tokens). */
  cause?: unknown;
}

/**
 * A failure with a stable `code`. The message keeps the upstream's own words and adds what to do;
 * `hint` holds the fix alone. Serialises without its cause.
 */
export class DriverError extends Error {
  readonly code: DriverErrorCode;
  readonly hint?: string;
  readonly status?: number;

  constructor(code: DriverErrorCode, message: string, options: DriverErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'DriverError';
    this.code = code;
    if (options.hint !== undefined) this.hint = options.hint;
    if (options.status !== undefined) this.status = options.status;
  }

  toJSON(): { name: string; code: DriverErrorCode; message: string; hint?: string; status?: number } {
    return { name: this.name, code: this.code, message: this.message, hint: this.hint, status: this.status };
  }
}

export function isDriverError(value: unknown, code?: DriverErrorCode): value is DriverError {
  return value instanceof DriverError && (code === undefined || value.code === code);
}
