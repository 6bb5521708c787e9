import type { FastifyRequest } from 'fastify';
import { ApiError } from './api-error.js';
import { BadPathError, normalizePath } from '../fs/paths.js';
import { MAX_USERNAME_LENGTH, passwordProblem } from '../auth/users.js';
import { optionalBoolean, optionalInteger, optionalString, requiredString } from './request-fields.js';

/** AList's `permission` is an int32 of bits. */
const MAX_PERMISSION = 2 ** 31 - 1;

export function usernameField(body: Record<string, unknown>): string {
  const username = requiredString(body, 'username');
  if (username.length > MAX_USERNAME_LENGTH || /[\u0000-\u001f\u007f]/.test(username)) {
    throw new ApiError(400, `"username" must be at most ${MAX_USERNAME_LENGTH} characters, without control characters`);
  }
  return username;
}

/** A new password, or undefined for "keep the current one" (AList's empty password). */
export function passwordField(body: Record<string, unknown>): string | undefined {
  const password = optionalString(body, 'password') || undefined;
  const problem = password === undefined ? undefined : passwordProblem(password);
  if (problem) throw new ApiError(400, problem);
  return password;
}

/** AList cleans the base path (FixAndCleanPath); here ".." and other bad paths are refused instead. */
export function basePathField(body: Record<string, unknown>): string | undefined {
  const raw = optionalString(body, 'base_path');
  if (raw === undefined || raw.trim() === '') return raw === undefined ? undefined : '/';
  try {
    return normalizePath(raw.startsWith('/') ? raw : `/${raw}`);
  } catch (err) {
    if (err instanceof BadPathError) throw new ApiError(400, `"base_path": ${err.message}`, { errorCode: 'BAD_PATH' });
    throw err;
  }
}

export function permissionField(body: Record<string, unknown>): number | undefined {
  const permission = optionalInteger(body, 'permission');
  if (permission !== undefined && (permission < 0 || permission > MAX_PERMISSION)) throw new ApiError(400, '"permission" must be a number of permission bits');
  return permission;
}

export function disabledField(body: Record<string, unknown>): boolean | undefined {
  return optionalBoolean(body, 'disabled');
}

export function roleField(body: Record<string, unknown>): number | undefined {
  return optionalInteger(body, 'role');
}

/** A user id from the query (`?id=`, as AList's routes take it) or, for update, the body. */
export function userIdOf(value: unknown): number {
  const number = typeof value === 'string' && /^[1-9]\d*$/.test(value) ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isSafeInteger(number) || number <= 0) throw new ApiError(400, '"id" must be a user id (a positive integer)');
  return number;
}

export function queryOf(request: FastifyRequest): Record<string, unknown> {
  return (request.query as Record<string, unknown> | undefined) ?? {};
}
