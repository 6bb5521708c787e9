import { createHash } from 'node:crypto';
import { invalidArgument } from './errors.js';

/**
 * Reads pageSize as Google does: default when absent or 0, INVALID_ARGUMENT when malformed or negative. Too large is
 * INVALID_ARGUMENT for the Library API; the Picker API coerces it to the maximum instead (`coerceAbove`).
 */
export function readPageSize(value: unknown, defaultSize: number, maxSize: number, coerceAbove = false): number {
  if (value === undefined || value === null || value === '') return defaultSize;
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : NaN;
  if (!Number.isInteger(n)) throw invalidArgument(`Invalid value at 'page_size' (TYPE_INT32), ${JSON.stringify(value)}`);
  if (n > maxSize && coerceAbove) return maxSize;
  if (n < 0 || n > maxSize) throw invalidArgument(`The page size must be between 0 and ${maxSize}; got ${n}.`);
  return n === 0 ? defaultSize : n;
}

export const PAGE_TOKEN_PARAMETERS_CHANGED = 'When using a page token, you must use the same parameters as the previous request.';

/** A listing name that binds a page token to the request's parameters (except pageSize and pageToken). */
export function listingOf(kind: string, parameters: unknown): string {
  return `${kind}:${createHash('sha256').update(JSON.stringify(parameters ?? null)).digest('base64url').slice(0, 22)}`;
}

/** Opaque page tokens bound to one listing: "<listing>:<position>" in base64url. */
export function makePageToken(listing: string, position: number): string {
  return Buffer.from(`v1|${listing}|${position}`).toString('base64url');
}

/** The position a page token points at; 400 when it is garbage, or was made for a request with other parameters. */
export function readPageToken(value: unknown, listing: string): number {
  if (value === undefined || value === null || value === '') return 0;
  const text = typeof value === 'string' ? Buffer.from(value, 'base64url').toString() : '';
  const match = /^v1\|(.*)\|(\d+)$/.exec(text);
  if (!match) throw invalidArgument('Invalid page token.');
  if (match[1] !== listing) throw invalidArgument(PAGE_TOKEN_PARAMETERS_CHANGED);
  return Number(match[2]);
}

export function firstQueryValue(value: unknown): unknown {
  return Array.isArray(value) ? value[0] : value;
}

/** Google's listing quirks, switched on through the faults control. */
export interface PagingQuirks {
  /** Each page after the first starts with the previous page's last item again (the same id twice). */
  repeatIds?: boolean;
  /** The last page carries a nextPageToken anyway; it leads to an empty `{}` page. */
  strayPageToken?: boolean;
}

/** A page of `source` from `offset`; nextPageToken only when more remain (or a stray one, with the quirk on). */
export function pageOf<T>(source: readonly T[], offset: number, size: number, listing: string, quirks: PagingQuirks = {}):
  { items: T[]; nextPageToken?: string } {
  const repeat = quirks.repeatIds === true && size > 1 && offset > 0 && offset < source.length;
  const fresh = source.slice(offset, offset + size - (repeat ? 1 : 0));
  const items = repeat ? [source[offset - 1]!, ...fresh] : fresh;
  const next = offset + fresh.length;
  if (next < source.length) return { items, nextPageToken: makePageToken(listing, next) };
  if (quirks.strayPageToken === true && fresh.length > 0) return { items, nextPageToken: makePageToken(listing, source.length) };
  return { items };
}
