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

export function optionalInteger(body: Record<string, unknown>, name: string): number | undefined {
  const value = body[name];
  if (value === undefined || value === null || value === '') return undefined;
  const number = typeof value === 'string' ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isSafeInteger(number)) throw new ApiError(400, `"${name}" must be an integer`);
  return number;
}

export function optionalBoolean(body: Record<string, unknown>, name: string): boolean | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw new ApiError(400, `"${name}" must be true or false`);
  return value;
}

/** The `id` query parameter (or body field) as a positive integer. */
export function idParam(request: FastifyRequest, name = 'id'): number {
  const fromQuery = (request.query as Record<string, unknown> | undefined)?.[name];
  const fromBody = request.body && typeof request.body === 'object' ? (request.body as Record<string, unknown>)[name] : undefined;
  const value = Number(fromQuery ?? fromBody);
  if (!Number.isSafeInteger(value) || value <= 0) throw new ApiError(400, `"${name}" must be a storage id`);
  return value;
}

/** This server's origin as the client reached it. */
export function requestOrigin(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}`;
}
