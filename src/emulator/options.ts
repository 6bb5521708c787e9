export interface EmulatorOptions {
  host?: string;
  port?: number;
  items?: number;
  albums?: number;
  seed?: number;
  pickableOnlyItems?: number;
  largeFileBytes?: number;
  latencyMs?: number; jitterMs?: number; failRate?: number; failCodes?: number[]; resetRate?: number; retryAfterSec?: number;
  /** Listings repeat an id across pages (see FaultSettings). */
  repeatIds?: boolean;
  /** Listings end with a stray nextPageToken and an empty page (see FaultSettings). */
  strayPageToken?: boolean;
  /** How many seeded videos of the default client are still PROCESSING (no baseUrl until set READY). */
  processingVideos?: number;
  accessTokenLifetimeSec?: number;
  now?: () => number;
}

export interface ResolvedOptions extends Required<Omit<EmulatorOptions, 'largeFileBytes' | 'retryAfterSec' | 'failCodes'>> {
  largeFileBytes?: number; retryAfterSec?: number; failCodes: number[];
}

function integer(name: string, value: number | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < min || value > max) throw new RangeError(`${name} must be an integer from ${min} to ${max}`);
  return value;
}

function number(name: string, value: number | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !(value >= min && value <= max)) throw new RangeError(`${name} must be a number from ${min} to ${max}`);
  return value;
}

function flag(name: string, value: boolean | undefined): boolean {
  if (value === undefined) return false;
  if (typeof value !== 'boolean') throw new RangeError(`${name} must be true or false`);
  return value;
}

/** Defaults and bounds for EmulatorOptions; a bad value throws a RangeError that names the option. */
export function validateOptions(options: EmulatorOptions): ResolvedOptions {
  const failCodes = options.failCodes ?? [503];
  if (!Array.isArray(failCodes) || failCodes.length === 0 || !failCodes.every((c) => Number.isInteger(c) && c >= 400 && c <= 599)) {
    throw new RangeError('failCodes must be a non-empty list of HTTP status codes from 400 to 599');
  }
  if (options.now !== undefined && typeof options.now !== 'function') throw new RangeError('now must be a function returning milliseconds');
  return {
    host: options.host ?? '127.0.0.1',
    port: integer('port', options.port, 0, 0, 65535),
    items: integer('items', options.items, 60, 0, 2_000_000),
    albums: integer('albums', options.albums, 6, 0, 10_000),
    seed: integer('seed', options.seed, 1, 0, 2 ** 32 - 1),
    pickableOnlyItems: integer('pickableOnlyItems', options.pickableOnlyItems, 24, 0, 1_000_000),
    largeFileBytes: options.largeFileBytes === undefined ? undefined
      : integer('largeFileBytes', options.largeFileBytes, 0, 1, Number.MAX_SAFE_INTEGER),
    latencyMs: number('latencyMs', options.latencyMs, 0, 0, 600_000),
    jitterMs: number('jitterMs', options.jitterMs, 0, 0, 600_000),
    failRate: number('failRate', options.failRate, 0, 0, 1),
    failCodes,
    resetRate: number('resetRate', options.resetRate, 0, 0, 1),
    retryAfterSec: options.retryAfterSec === undefined ? undefined : number('retryAfterSec', options.retryAfterSec, 0, 0, 86_400),
    repeatIds: flag('repeatIds', options.repeatIds),
    strayPageToken: flag('strayPageToken', options.strayPageToken),
    processingVideos: integer('processingVideos', options.processingVideos, 0, 0, 2_000_000),
    accessTokenLifetimeSec: integer('accessTokenLifetimeSec', options.accessTokenLifetimeSec, 3599, 1, 86_400 * 365),
    now: options.now ?? Date.now,
  };
}
