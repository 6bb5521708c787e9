/**
 * Only http(s) addresses become links, media sources or a tab's location. A javascript: (or data:, vbscript:)
 * URL from an upstream or a storage's settings would otherwise run in this page's origin, next to the admin token.
 */
export function isWebUrl(value) {
  try {
    const url = new URL(String(value), location.href);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}
