import { invalidArgument } from './errors.js';

/** Reads pageSize as Google does: default when absent or 0, INVALID_ARGUMENT when malformed, negative or too large. */
export function readPageSize(value: unknown, defaultSize: number, maxSize: number): number {
  if (value === undefined || value === null || value === '') return defaultSize;
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : NaN;
  if (!Number.isInteger(n)) throw invalidArgument(`Invalid value at 'page_size' (TYPE_INT32), ${JSON.stringify(value)}`);
  if (n < 0 || n > maxSize) throw invalidArgument(`The page size must be between 0 and ${maxSize}; got ${n}.`);
  return n === 0 ? defaultSize : n;
}

/** Opaque page tokens bound to one listing: "<listing>:<position>" in base64url. */
export function makePageToken(listing: string, position: number): string {
  return Buffer.from(`v1|${listing}|${position}`).toString('base64url');
}

export function readPageToken(value: unknown, listing: string): number {
  if (value === undefined || value === null || value === '') return 0;
  const text = typeof value === 'string' ? Buffer.from(value, 'base64url').toString() : '';
  const match = /^v1\|(.*)\|(\d+)$/.exec(text);
  if (!match || match[1] !== listing) throw invalidArgument('Invalid page token.');
  return Number(match[2]);
}

export function firstQueryValue(value: unknown): unknown {
  return Array.isArray(value) ? value[0] : value;
}

/** A page of `source` from `offset`; nextPageToken only when more remain. */
export function pageOf<T>(source: readonly T[], offset: number, size: number, listing: string):
  { items: T[]; nextPageToken?: string } {
  const items = source.slice(offset, offset + size);
  const next = offset + size;
  return next < source.length ? { items, nextPageToken: makePageToken(listing, next) } : { items };
}
