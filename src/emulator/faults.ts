import { ApiError, statusError } from './errors.js';

export interface FaultSettings {
  latencyMs?: number; jitterMs?: number; failRate?: number; failCodes?: number[]; resetRate?: number; retryAfterSec?: number;
  /** Drop the connection of the next resumable-upload chunk(s) after this many bytes of the chunk arrived. */
  uploadDropAfterBytes?: number;
  /** How many chunks to drop that way (default 1); each drop uses one up. */
  uploadDrops?: number;
}

export type FaultDecision = { kind: 'none' } | { kind: 'reset' } | { kind: 'fail'; error: ApiError };

const INJECTED_MESSAGES: Record<number, string> = {
  429: "Quota exceeded for quota metric 'Requests' and limit 'Requests per minute per user'.",
  500: 'Internal error encountered.',
  502: 'The service is currently unavailable.',
  503: 'The service is currently unavailable.',
  504: 'The request timed out. Please try again.',
};

/** Latency, injected failures and connection resets for API routes (token, library, picker). */
export class FaultInjector {
  private settings: Required<Omit<FaultSettings, 'retryAfterSec' | 'uploadDropAfterBytes' | 'uploadDrops'>>
    & { retryAfterSec?: number; uploadDropAfterBytes?: number; uploadDrops?: number } = {
    latencyMs: 0, jitterMs: 0, failRate: 0, failCodes: [503], resetRate: 0,
  };

  constructor(initial: FaultSettings = {}, private readonly random: () => number = Math.random) {
    this.set(initial);
  }

  /** Only the given fields change; validates them so a bad control request cannot break the server. */
  set(faults: FaultSettings): void {
    const next = { ...this.settings };
    const rate = (v: unknown, name: string): number => {
      if (typeof v !== 'number' || !(v >= 0 && v <= 1)) throw new RangeError(`${name} must be a number from 0 to 1`);
      return v;
    };
    const ms = (v: unknown, name: string): number => {
      if (typeof v !== 'number' || !(v >= 0 && v <= 600_000)) throw new RangeError(`${name} must be a number of milliseconds from 0 to 600000`);
      return v;
    };
    if (faults.latencyMs !== undefined) next.latencyMs = ms(faults.latencyMs, 'latencyMs');
    if (faults.jitterMs !== undefined) next.jitterMs = ms(faults.jitterMs, 'jitterMs');
    if (faults.failRate !== undefined) next.failRate = rate(faults.failRate, 'failRate');
    if (faults.resetRate !== undefined) next.resetRate = rate(faults.resetRate, 'resetRate');
    if (faults.failCodes !== undefined) {
      const codes = faults.failCodes;
      if (!Array.isArray(codes) || codes.length === 0 || !codes.every((c) => Number.isInteger(c) && c >= 400 && c <= 599)) {
        throw new RangeError('failCodes must be a non-empty list of HTTP status codes from 400 to 599');
      }
      next.failCodes = [...codes];
    }
    if (faults.retryAfterSec !== undefined) {
      const v = faults.retryAfterSec;
      if (typeof v !== 'number' || !(v >= 0 && v <= 86_400)) throw new RangeError('retryAfterSec must be a number of seconds from 0 to 86400');
      next.retryAfterSec = v;
    }
    if (faults.uploadDropAfterBytes !== undefined) {
      const v = faults.uploadDropAfterBytes;
      if (!Number.isInteger(v) || v < 0) throw new RangeError('uploadDropAfterBytes must be a whole number of bytes, 0 or more');
      next.uploadDropAfterBytes = v;
      next.uploadDrops = faults.uploadDrops ?? 1;
    }
    if (faults.uploadDrops !== undefined && (!Number.isInteger(faults.uploadDrops) || faults.uploadDrops < 0)) {
      throw new RangeError('uploadDrops must be a whole number, 0 or more');
    }
    if (faults.uploadDrops !== undefined) next.uploadDrops = faults.uploadDrops;
    this.settings = next;
  }

  /** For an upload chunk: after how many bytes to drop its connection, or undefined. */
  uploadDropAfter(): number | undefined {
    const { uploadDropAfterBytes, uploadDrops } = this.settings;
    return uploadDropAfterBytes === undefined || !uploadDrops ? undefined : uploadDropAfterBytes;
  }

  /** A chunk's connection was dropped on purpose: one drop fewer to come. */
  uploadDropped(): void {
    this.settings = { ...this.settings, uploadDrops: Math.max(0, (this.settings.uploadDrops ?? 0) - 1) };
  }

  current(): FaultSettings { return { ...this.settings, failCodes: [...this.settings.failCodes] }; }

  delayMs(): number {
    const { latencyMs, jitterMs } = this.settings;
    if (latencyMs === 0 && jitterMs === 0) return 0;
    return Math.max(0, latencyMs + (this.random() * 2 - 1) * jitterMs);
  }

  decide(): FaultDecision {
    const { resetRate, failRate, failCodes, retryAfterSec } = this.settings;
    if (resetRate > 0 && this.random() < resetRate) return { kind: 'reset' };
    if (failRate > 0 && this.random() < failRate) {
      const code = failCodes[Math.floor(this.random() * failCodes.length)]!;
      const base = statusError(code, INJECTED_MESSAGES[code]);
      const headers: Record<string, string> = {};
      if (retryAfterSec !== undefined && (code === 429 || code === 503)) headers['retry-after'] = String(Math.round(retryAfterSec));
      return { kind: 'fail', error: new ApiError(base.httpStatus, base.message, base.status, undefined, headers) };
    }
    return { kind: 'none' };
  }
}

/** Requests per endpoint, keyed "METHOD /route/{template}". */
export class RequestCounter {
  private counts = new Map<string, number>();
  add(key: string): void { this.counts.set(key, (this.counts.get(key) ?? 0) + 1); }
  snapshot(): Record<string, number> { return Object.fromEntries([...this.counts].sort(([a], [b]) => a.localeCompare(b))); }
  reset(): void { this.counts.clear(); }
}
