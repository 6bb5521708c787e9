import { z } from 'zod';

/** An absolute http: or https: URL (what `api_base_url` may be). */
export function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

const LOOPBACK_HOSTS = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;

/**
 * Whether a URL an upstream handed out may be used (fetched, or shown to a browser as a link): https, or plain
 * http to `httpOrigin` (the configured emulator's own origin) or to a loopback address. Never javascript:,
 * data:, file: or a relative address, which a browser would resolve against (and run in) this server's origin.
 */
export function isAcceptedUpstreamUrl(value: string, httpOrigin?: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (url.protocol === 'https:') return true;
  return url.protocol === 'http:' && (url.origin === httpOrigin || LOOPBACK_HOSTS.test(url.hostname));
}

/** The schema of a URL field in the answers of the API at `apiBaseUrl` (its origin is trusted over plain http). */
export function upstreamUrlSchema(apiBaseUrl?: string) {
  const base = apiBaseUrl ? new URL(apiBaseUrl) : undefined;
  const httpOrigin = base?.protocol === 'http:' ? base.origin : undefined;
  return z.string().min(1).refine((value) => isAcceptedUpstreamUrl(value, httpOrigin), {
    message: httpOrigin ? `must be an https URL, or http on ${httpOrigin}` : 'must be an https URL',
  });
}

export type UpstreamUrlSchema = ReturnType<typeof upstreamUrlSchema>;
