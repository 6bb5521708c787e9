import axios, { isAxiosError, type AxiosInstance, type AxiosResponse } from 'axios';
import pRetry, { AbortError } from 'p-retry';
import type { z } from 'zod';
import type { DriverError } from '../../types/errors.js';
import { isTransientFailure, malformedResponse, translateGoogleError, type GoogleFailure } from './errors.js';

export interface RetryOptions {
  retries?: number;
  minTimeout?: number;
  maxTimeout?: number;
  /** Give up retrying after this long (ms) since the first attempt. */
  maxRetryTime?: number;
  randomize?: boolean;
  factor?: number;
  /** The longest Retry-After (ms) honoured; longer values are cut to this. */
  retryAfterCapMs?: number;
  /** How to wait for a Retry-After delay; tests inject a recorder instead of waiting. */
  sleep?: (ms: number) => Promise<void>;
}

export interface GoogleHttpOptions {
  timeoutMs?: number;
  retry?: RetryOptions;
  now?: () => number;
}

export interface GoogleRequest {
  /** Names the call in errors, e.g. "mediaItems.list". */
  endpoint: string;
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  url: string;
  query?: Record<string, string | number | string[] | undefined>;
  json?: unknown;
  /** Sent form-encoded (the token endpoint). */
  form?: Record<string, string>;
  accessToken?: string;
  /** The album or media item id this call is about. */
  subjectId?: string;
  /** Values of the request that must never reach an error (client secret, tokens, codes). */
  secrets?: string[];
  /** false: one attempt only (e.g. exchanging a single-use authorization code). */
  retry?: boolean;
}

const SECRET_QUERY_PARAMS = /^(access_token|refresh_token|client_secret|code|code_verifier|key)$/i;
const REDACTED = '[redacted]';

const DEFAULT_RETRY = {
  retries: 5,
  minTimeout: 500,
  maxTimeout: 10_000,
  maxRetryTime: 60_000,
  randomize: true,
  factor: 2,
  retryAfterCapMs: 60_000,
};

function realSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export type ResolvedRetryOptions = Required<Omit<RetryOptions, 'sleep'>> & { sleep: (ms: number) => Promise<void> };

/** The retry settings in force: the given ones over the defaults (for callers that run their own retry loop). */
export function resolveRetryOptions(retry: RetryOptions = {}): ResolvedRetryOptions {
  const defined = Object.fromEntries(Object.entries(retry).filter(([, value]) => value !== undefined));
  return { ...DEFAULT_RETRY, sleep: realSleep, ...defined };
}

/** Retry-After as milliseconds to wait: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(header: string | undefined, now: number, capMs = DEFAULT_RETRY.retryAfterCapMs): number | undefined {
  if (header === undefined || header.trim() === '') return undefined;
  const value = header.trim();
  const ms = /^\d+(\.\d+)?$/.test(value) ? Number(value) * 1000 : Date.parse(value) - now;
  if (Number.isNaN(ms)) return undefined;
  return Math.min(Math.max(ms, 0), capMs);
}

function withQuery(url: string, query: GoogleRequest['query']): URL {
  const target = new URL(url);
  for (const [name, value] of Object.entries(query ?? {})) {
    if (value === undefined) continue;
    for (const one of Array.isArray(value) ? value : [value]) target.searchParams.append(name, String(one));
  }
  return target;
}

function sanitizedUrl(url: URL): string {
  const copy = new URL(url);
  copy.username = '';
  copy.password = '';
  for (const name of [...copy.searchParams.keys()]) {
    if (SECRET_QUERY_PARAMS.test(name)) copy.searchParams.set(name, REDACTED);
  }
  return copy.toString();
}

function redact(value: unknown, secrets: string[]): unknown {
  const present = secrets.filter((secret) => secret.length >= 4);
  if (present.length === 0 || value === undefined) return value;
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  if (!present.some((secret) => text.includes(secret))) return value;
  const cleaned = present.reduce((out, secret) => out.split(secret).join(REDACTED), text);
  return typeof value === 'string' ? cleaned : (JSON.parse(cleaned) as unknown);
}

/** One failed attempt, kept for p-retry; carries only the sanitized record. */
class AttemptFailed extends Error {
  constructor(readonly failure: GoogleFailure) {
    super(`${failure.endpoint} attempt failed`);
  }
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`)
    .join('; ');
}

/** Sends requests to Google with a timeout, bounded retries and translated errors. */
export class GoogleHttp {
  private readonly axios: AxiosInstance;
  private readonly retry: ResolvedRetryOptions;
  private readonly now: () => number;

  constructor(options: GoogleHttpOptions = {}) {
    this.axios = axios.create({
      timeout: options.timeoutMs ?? 30_000,
      validateStatus: () => true,
      maxRedirects: 0,
      headers: { Accept: 'application/json' },
    });
    this.retry = resolveRetryOptions(options.retry);
    this.now = options.now ?? Date.now;
  }

  /** Send a request and validate its answer with `schema`. Failures are DriverErrors. */
  async send<S extends z.ZodType>(request: GoogleRequest, schema: S): Promise<z.output<S>> {
    const url = withQuery(request.url, request.query);
    const secrets = [...(request.secrets ?? []), ...(request.accessToken ? [request.accessToken] : [])];
    const record: GoogleFailure = { endpoint: request.endpoint, method: request.method, url: sanitizedUrl(url) };
    if (request.subjectId !== undefined) record.subjectId = request.subjectId;

    let response: AxiosResponse;
    try {
      response = await pRetry(() => this.attempt(request, url, record, secrets), {
        retries: request.retry === false ? 0 : this.retry.retries,
        minTimeout: this.retry.minTimeout,
        maxTimeout: this.retry.maxTimeout,
        maxRetryTime: this.retry.maxRetryTime,
        randomize: this.retry.randomize,
        factor: this.retry.factor,
        onFailedAttempt: async ({ error, retriesLeft }) => {
          const wait = error instanceof AttemptFailed ? retryAfterMs(error.failure.retryAfter, this.now(), this.retry.retryAfterCapMs) : undefined;
          if (wait !== undefined && wait > 0 && retriesLeft > 0) await this.retry.sleep(wait);
        },
      });
    } catch (error) {
      throw this.toDriverError(error, record);
    }

    const parsed = schema.safeParse(response.data);
    if (!parsed.success) {
      throw malformedResponse({ ...record, status: response.status }, describeIssues(parsed.error));
    }
    return parsed.data;
  }

  private async attempt(request: GoogleRequest, url: URL, record: GoogleFailure, secrets: string[]): Promise<AxiosResponse> {
    let response: AxiosResponse;
    try {
      response = await this.axios.request({
        method: request.method,
        url: url.toString(),
        headers: {
          ...(request.accessToken ? { Authorization: `Bearer ${request.accessToken}` } : {}),
          ...(request.form ? { 'Content-Type': 'application/x-www-form-urlencoded' } : {}),
        },
        data: request.form ? new URLSearchParams(request.form).toString() : request.json,
      });
    } catch (error) {
      // Keep the code and message only: the axios error's config holds the bearer token and the form body.
      const failure: GoogleFailure = {
        ...record,
        networkCode: isAxiosError(error) ? error.code : undefined,
        networkMessage: redact(error instanceof Error ? error.message : String(error), secrets) as string,
      };
      throw this.attemptFailure(failure);
    }
    if (response.status >= 200 && response.status < 300) return response;
    const retryAfter = response.headers['retry-after'];
    const failure: GoogleFailure = { ...record, status: response.status, body: redact(response.data, secrets) };
    if (typeof retryAfter === 'string') failure.retryAfter = retryAfter;
    throw this.attemptFailure(failure);
  }

  private attemptFailure(failure: GoogleFailure): Error {
    const failed = new AttemptFailed(failure);
    return isTransientFailure(failure) ? failed : new AbortError(failed);
  }

  private toDriverError(error: unknown, record: GoogleFailure): DriverError {
    if (error instanceof AttemptFailed) return translateGoogleError(error.failure);
    return translateGoogleError({ ...record, networkMessage: error instanceof Error ? error.name : 'unknown failure' });
  }
}
