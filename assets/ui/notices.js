/** Success and error boxes: the message, and the hint that says how to fix it. */
import { h } from './dom.js';

export function errorNotice(error, { testId = 'error-notice' } = {}) {
  return h(
    'div',
    { class: 'notice notice-error', role: 'alert', 'data-testid': testId },
    h('p', { class: 'error-message' }, error?.message || 'Something went wrong.'),
    error?.hint ? h('p', { class: 'error-hint' }, error.hint) : null,
  );
}

export function successNotice(message, { testId = 'success-notice' } = {}) {
  return h('div', { class: 'notice notice-ok', role: 'status', 'data-testid': testId }, h('p', {}, message));
}
