/** The "Pick from Google Photos" control and its waiting state ("Waiting for you to pick… Cancel"). */
import { h, replaceChildren } from './dom.js';
import { formatDate } from './format.js';
import { errorNotice } from './notices.js';
import { PickCancelled, pickFromGooglePhotos } from './pick-flow.js';

/**
 * Runs one pick for `storageId`, showing its state in `box`. Must be called from a click handler (it opens
 * the picker tab). `onPicked(session)` gets the finished session; `onSettled()` runs whatever the outcome.
 */
export async function runPick(box, { storageId, label, onPicked, onSettled }) {
  const controller = new AbortController();
  replaceChildren(box, h('div', { class: 'notice pick-waiting', 'data-testid': 'pick-starting', role: 'status' }, h('p', {}, 'Starting a picking session…')));
  try {
    const session = await pickFromGooglePhotos(storageId, {
      label,
      signal: controller.signal,
      onWaiting: ({ url, opened, expireTime }) => replaceChildren(box, waitingNotice({ url, opened, expireTime, onCancel: () => controller.abort() })),
    });
    replaceChildren(box);
    await onPicked?.(session);
  } catch (error) {
    replaceChildren(box, error instanceof PickCancelled && error.reason === 'cancelled'
      ? h('div', { class: 'notice', role: 'status', 'data-testid': 'pick-cancelled' }, h('p', {}, 'Picking was cancelled; the session was deleted.'))
      : errorNotice(error, { testId: 'pick-error' }));
  } finally {
    onSettled?.();
  }
}

function waitingNotice({ url, opened, expireTime, onCancel }) {
  const cancel = h('button', { type: 'button', class: 'button', 'data-testid': 'pick-cancel' }, 'Cancel');
  cancel.addEventListener('click', () => {
    cancel.disabled = true;
    cancel.textContent = 'Cancelling…';
    onCancel();
  });
  const link = h('a', { href: url, target: '_blank', rel: 'noopener noreferrer', 'data-testid': 'pick-link' }, opened ? 'Open it again' : 'Open Google Photos to pick');
  return h(
    'div',
    { class: 'notice pick-waiting', role: 'status', 'data-testid': 'pick-waiting' },
    h('span', { class: 'spinner', 'aria-hidden': 'true' }),
    h('div', { class: 'pick-waiting-text' },
      h('p', { class: 'pick-waiting-title' }, 'Waiting for you to pick in Google Photos… ',
        h('span', { class: 'pick-expires' }, '(expires ', h('time', { datetime: expireTime }, formatDate(expireTime)), ')')),
      h('p', {}, opened
        ? 'Google Photos opened in a new tab: choose photos there and press Done. This page updates by itself. '
        : 'Your browser blocked the new tab. ', link)),
    cancel,
  );
}

/**
 * The button with an optional label field, for the file browser. `onPicked(session)` shows the new folder.
 */
export function pickControls({ storageId, onPicked }) {
  const status = h('div', { class: 'pick-status', 'aria-live': 'polite' });
  const labelInput = h('input', {
    type: 'text', class: 'pick-label', id: 'pick-label', 'data-testid': 'pick-label', maxlength: 100,
    placeholder: 'Folder name (optional)', 'aria-label': 'Name for the picked folder (optional)', spellcheck: 'false',
  });
  const button = h('button', { type: 'button', class: 'button button-primary', id: 'pick-button', 'data-testid': 'pick-button' }, 'Pick from Google Photos');
  button.addEventListener('click', () => {
    button.disabled = true;
    runPick(status, {
      storageId,
      label: labelInput.value.trim(),
      onPicked: (session) => {
        labelInput.value = '';
        return onPicked(session);
      },
      onSettled: () => {
        button.disabled = false;
      },
    });
  });
  return h('div', { class: 'pick-controls', 'data-testid': 'pick-controls' }, h('div', { class: 'pick-form' }, labelInput, button), status);
}
