/**
 * Modal dialogs that run their action themselves: the dialog stays open while the server works, and when it
 * refuses, its message and hint show inside the dialog (the user may change the input and try again).
 */
import { h, replaceChildren } from './dom.js';
import { errorNotice } from './notices.js';

let dialogCount = 0;

/**
 * Opens a dialog with `body` (nodes) and Submit / Cancel buttons. `onSubmit()` runs on submit; its result
 * closes the dialog and resolves the promise; a throw shows the error and keeps it open. Cancel or Escape
 * resolves null. `initialFocus` is the element focused first (default: the submit button).
 */
export function runDialog({ title, body, submitLabel, danger = false, testId = 'dialog', onSubmit, initialFocus }) {
  const titleId = `dialog-title-${++dialogCount}`;
  const errorBox = h('div', { class: 'dialog-error', 'data-testid': 'dialog-error' });
  const submit = h('button', { type: 'submit', class: `button ${danger ? 'button-danger-solid' : 'button-primary'}`, 'data-testid': 'dialog-submit' }, submitLabel);
  const cancel = h('button', { type: 'button', class: 'button', 'data-testid': 'dialog-cancel' }, 'Cancel');
  const form = h('form', { class: 'dialog-form', novalidate: true },
    h('h2', { id: titleId }, title),
    h('div', { class: 'dialog-body' }, body),
    errorBox,
    h('div', { class: 'form-actions dialog-actions' }, submit, cancel));
  const dialog = h('dialog', { class: 'dialog', 'aria-labelledby': titleId, 'data-testid': testId }, form);

  return new Promise((resolve) => {
    let result = null;
    let busy = false;
    const finish = () => {
      if (dialog.open) dialog.close();
    };
    dialog.addEventListener('close', () => {
      dialog.remove();
      resolve(result);
    });
    // Escape while the server works would hide an action that still runs: wait for its answer.
    dialog.addEventListener('cancel', (event) => {
      if (busy) event.preventDefault();
    });
    cancel.addEventListener('click', () => {
      if (!busy) finish();
    });
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      if (busy) return;
      busy = true;
      submit.disabled = true;
      cancel.disabled = true;
      form.setAttribute('aria-busy', 'true');
      replaceChildren(errorBox);
      try {
        result = (await onSubmit()) ?? true;
        busy = false;
        finish();
      } catch (error) {
        busy = false;
        replaceChildren(errorBox, errorNotice(error, { testId: 'dialog-error-notice' }));
        submit.disabled = false;
        cancel.disabled = false;
        form.removeAttribute('aria-busy');
        (initialFocus ?? submit).focus();
      }
    });
    document.body.append(dialog);
    dialog.showModal();
    (initialFocus ?? submit).focus();
  });
}

/** A dialog asking for one name (new folder, rename); `onSubmit(name)` does the work. */
export function nameDialog({ title, label, value = '', submitLabel, testId, onSubmit }) {
  const inputId = `dialog-name-${dialogCount + 1}`;
  const input = h('input', { id: inputId, type: 'text', value, required: true, spellcheck: 'false', autocomplete: 'off', 'data-testid': 'dialog-name' });
  const body = h('div', { class: 'field' }, h('label', { for: inputId }, label), input);
  const pending = runDialog({
    title,
    body,
    submitLabel,
    testId,
    initialFocus: input,
    onSubmit: () => {
      const name = input.value.trim();
      if (!name) throw new Error('Type a name.');
      if (name.includes('/')) throw new Error('A name cannot contain “/”.');
      return onSubmit(name);
    },
  });
  // Select the name without its extension, as file managers do when renaming.
  const dot = value.lastIndexOf('.');
  input.setSelectionRange(0, dot > 0 ? dot : value.length);
  return pending;
}
