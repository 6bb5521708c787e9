/**
 * A file's whole size as an HTTP answer tells it: Content-Length of a full 200, the total of Content-Range
 * in a 206 ("bytes 0-99/5000") or a 416 ("bytes *\/5000"); undefined when it does not say.
 */
export function sizeFromAnswer(status: number, headers: Record<string, string | undefined>): number | undefined {
  if (status === 200) return byteCount(headers['content-length']);
  if (status === 206 || status === 416) {
    const total = /\/\s*(\d+)\s*$/.exec(headers['content-range'] ?? '')?.[1];
    return byteCount(total);
  }
  return undefined;
}

function byteCount(text: string | undefined): number | undefined {
  if (text === undefined || !/^\s*\d+\s*$/.test(text)) return undefined;
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : undefined;
}

/** How long a Retry-After header asks to wait (seconds or an HTTP date), in ms; undefined when absent or unreadable. */
export function retryAfterMs(value: string | undefined, now: number): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
