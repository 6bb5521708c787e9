/** Paths as the API and download routes take them: "/a/b", decoded, with no "." or ".." segment. */

export const MAX_PATH_LENGTH = 4096;
const MAX_SEGMENT_LENGTH = 1024;

export class BadPathError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BadPathError';
  }
}

/**
 * Split an already-decoded path into its segments. Empty segments (double or trailing slashes) are dropped;
 * ".", "..", NUL, backslash and over-long input are refused, never resolved.
 */
export function pathSegments(input: unknown): string[] {
  if (typeof input !== 'string') throw new BadPathError('The path must be a string');
  if (input.length > MAX_PATH_LENGTH) throw new BadPathError('The path is too long');
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(input)) throw new BadPathError('The path contains control characters');
  const segments = input.split('/').filter((segment) => segment !== '');
  for (const segment of segments) {
    if (segment === '.' || segment === '..') throw new BadPathError('The path may not contain "." or ".." segments');
    if (segment.includes('\\')) throw new BadPathError('The path may not contain a backslash');
    if (segment.length > MAX_SEGMENT_LENGTH) throw new BadPathError('A path segment is too long');
  }
  return segments;
}

export function joinSegments(segments: readonly string[]): string {
  return '/' + segments.join('/');
}

export function normalizePath(input: unknown): string {
  return joinSegments(pathSegments(input));
}

/** A storage's mount path: like any path, and never the root itself. */
export function normalizeMountPath(input: unknown): string {
  const segments = pathSegments(input);
  if (segments.length === 0) throw new BadPathError('The mount path may not be "/"');
  return joinSegments(segments);
}

/** Decode the path part of a request URL (e.g. after "/d"), once. Percent-encoded traversal is caught after decoding. */
export function decodeUrlPath(raw: string): string {
  const withoutQuery = raw.split('?')[0] ?? '';
  let decoded: string;
  try {
    decoded = decodeURIComponent(withoutQuery);
  } catch {
    throw new BadPathError('The path is not valid percent-encoding');
  }
  return normalizePath(decoded);
}

export function encodeUrlPath(path: string): string {
  return pathSegments(path).map(encodeURIComponent).join('/').replace(/^/, '/');
}
