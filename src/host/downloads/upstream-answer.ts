import type { Readable } from 'node:stream';

/** What a link's server answered: status, the headers a client may see, and the body as a Node stream. */
export interface UpstreamAnswer {
  status: number;
  headers: Record<string, string>;
  body: Readable | null;
}

export interface UpstreamRequest {
  method: 'GET' | 'HEAD';
  range?: string;
  signal: AbortSignal;
  /** Time to wait for the answer's headers. */
  timeoutMs: number;
  /** Time the body may stall mid-transfer while it is being read; then it ends with an UpstreamTimeoutError. */
  idleTimeoutMs?: number;
}
