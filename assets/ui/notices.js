/** Success and error boxes: the message, and the hint that says how to fix it. */
import { h } from './dom.js';

// What joins a driver's message to the hint it repeats at its end: "… failed: quota — <hint>", "… failed. <hint>".
const TRAILING_JOINER = /[\s\u2014\u2013:;,-]+$/;

/**
 * The message and the hint to show for an error. Drivers often repeat the hint inside the message (so logs
 * read well); shown as is, the fix would appear twice. The hint is then cut out of the message and shown
 * once, under it, as the fix.
 */
export function errorText(error) {
  const message = String(error?.message || 'Something went wrong.');
  const hint = String(error?.hint ?? '').trim();
  if (!hint) return { message, hint: '' };
  const at = message.lastIndexOf(hint);
  if (at < 0) return { message, hint };
  const rest = (message.slice(0, at).replace(TRAILING_JOINER, '') + message.slice(at + hint.length)).trim();
  return rest ? { message: rest, hint } : { message, hint: '' };
}

/** The message and hint as paragraphs, for any box that shows an error. */
export function errorParagraphs(error) {
  const { message, hint } = errorText(error);
  return [
    h('p', { class: 'error-message', 'data-testid': 'error-message' }, message),
    hint ? h('p', { class: 'error-hint', 'data-testid': 'error-hint' }, hint) : null,
  ];
}

export function errorNotice(error, { testId = 'error-notice' } = {}) {
  return h('div', { class: 'notice notice-error', role: 'alert', 'data-testid': testId }, errorParagraphs(error));
}

export function successNotice(message, { testId = 'success-notice' } = {}) {
  return h('div', { class: 'notice notice-ok', role: 'status', 'data-testid': testId }, h('p', {}, message));
}
