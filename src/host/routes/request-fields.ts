import type { FastifyRequest } from 'fastify';
import { ApiError } from './api-error.js';

/** The JSON body as an object (400 for anything else). */
export function bodyObject(request: FastifyRequest): Record<string, unknown> {
  const body = request.body ?? {};
  if (typeof body !== 'object' || Array.isArray(body)) throw new ApiError(400, 'The request body must be a JSON object');
  return body as Record<string, unknown>;
}

export function optionalString(body: Record<string, unknown>, name: string): string | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new ApiError(400, `"${name}" must be a string`);
  return value;
}

export function requiredString(body: Record<string, unknown>, name: string): string {
  const value = optionalString(body, name);
  if (value === undefined || value === '') throw new ApiError(400, `"${name}" is required`);
  return value;
}

const DECIMAL_INTEGER = /^-?\d+$/;

/** An integer field: a JSON number, or a plain decimal string (as forms send); no hex, exponents or spaces. */
export function optionalInteger(body: Record<string, unknown>, name: string): number | undefined {
  const value = body[name];
  if (value === undefined || value === null || value === '') return undefined;
  const number = typeof value === 'string' && DECIMAL_INTEGER.test(value) ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isSafeInteger(number)) throw new ApiError(400, `"${name}" must be an integer`);
  return number;
}

export function optionalBoolean(body: Record<string, unknown>, name: string): boolean | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw new ApiError(400, `"${name}" must be true or false`);
  return value;
}

const POSITIVE_DECIMAL = /^[1-9]\d*$/;

/**
 * A storage id: a positive integer given as a JSON number (in a body) or as a decimal string (in a query,
 * where everything is text). `true`, `[1]`, `" 0x2 "` or objects are a 400, never another storage.
 */
export function storageId(value: unknown, name: string, from: 'query' | 'body', kind = 'storage'): number {
  const number = from === 'query' && typeof value === 'string' && POSITIVE_DECIMAL.test(value) ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isSafeInteger(number) || number <= 0) {
    throw new ApiError(400, `"${name}" must be a ${kind} id (a positive integer)`);
  }
  return number;
}

/** The `id` query parameter (or, without one, the body field) as the id of a storage (or of another `kind` of record). */
export function idParam(request: FastifyRequest, name = 'id', kind = 'storage'): number {
  const query = (request.query as Record<string, unknown> | undefined) ?? {};
  if (query[name] !== undefined) return storageId(query[name], name, 'query', kind);
  const body = request.body && typeof request.body === 'object' ? (request.body as Record<string, unknown>) : {};
  return storageId(body[name], name, 'body', kind);
}
