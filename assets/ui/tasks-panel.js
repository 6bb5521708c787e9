/** The Tasks dialog: uploads and copies the server runs in the background, with progress, cancel, retry and clear. */
import { h, replaceChildren } from './dom.js';
import { formatDate, formatSize } from './format.js';
import { errorNotice } from './notices.js';
import { TASK_TYPES, canCancel, canRetry, cancelTask, clearDoneTasks, listTasks, retryTask, stateLabel } from './task-api.js';

const POLL_MS = 1000;

function delay(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function taskRow(type, task, act) {
  const progress = Math.min(100, Math.max(0, Number(task.progress) || 0));
  const state = Number(task.state);
  const button = (label, testId, run) =>
    h('button', { type: 'button', class: 'button button-small', 'data-testid': testId, 'aria-label': `${label} ${task.name}`, onclick: () => act(() => run(type, task.id)) }, label);
  const when = task.end_time || task.start_time;
  return h('li', { class: 'task-row', 'data-testid': 'task-row', dataset: { type, state: String(state), id: String(task.id) } },
    h('div', { class: 'task-head' },
      h('span', { class: 'task-name' }, String(task.name ?? '')),
      h('span', { class: 'task-state', 'data-testid': 'task-state' }, stateLabel(state)),
      h('span', { class: 'actions' },
        canCancel(state) ? button('Cancel', 'task-cancel', cancelTask) : null,
        canRetry(state) ? button('Retry', 'task-retry', retryTask) : null)),
    h('progress', { max: '100', value: String(progress), 'aria-label': `Progress of ${task.name}` }),
    h('p', { class: 'task-details' },
      [task.status, Number(task.total_bytes) > 0 ? formatSize(Number(task.total_bytes)) : '', when ? formatDate(when) : '']
        .filter(Boolean).join(' · ')),
    task.error ? h('p', { class: 'error-message', 'data-testid': 'task-error' }, String(task.error)) : null);
}

async function loadSections(act) {
  const sections = await Promise.all(TASK_TYPES.map(async ({ type, title }) => {
    const [undone, done] = await Promise.all([listTasks(type, 'undone'), listTasks(type, 'done')]);
    const tasks = [...undone, ...done];
    const clear = done.length
      ? h('button', { type: 'button', class: 'button button-small', 'data-testid': 'tasks-clear-done', onclick: () => act(() => clearDoneTasks(type)) }, 'Clear done')
      : null;
    return h('section', { class: 'task-section', 'data-testid': `tasks-${type}`, 'aria-label': title },
      h('div', { class: 'task-section-head' }, h('h3', {}, title), clear),
      tasks.length
        ? h('ul', { class: 'task-list' }, tasks.map((task) => taskRow(type, task, act)))
        : h('p', { class: 'help' }, 'None.'));
  }));
  return sections;
}

/** The selector of the focused button in `content`, to focus its successor after the lists are drawn again. */
function focusedButton(content) {
  const active = document.activeElement;
  if (!(active instanceof HTMLButtonElement) || !content.contains(active)) return null;
  const section = active.closest('section')?.dataset.testid;
  const row = active.closest('[data-testid="task-row"]')?.dataset.id;
  return `[data-testid="${section}"] ${row ? `[data-id="${CSS.escape(row)}"] ` : ''}[data-testid="${active.dataset.testid}"]`;
}

/** Opens the Tasks dialog; it follows the tasks every second until closed. */
export function openTasksDialog() {
  const content = h('div', { class: 'tasks-content', 'aria-live': 'polite' }, h('p', { class: 'status-line' }, 'Loading…'));
  const problem = h('div', {});
  const close = h('button', { type: 'button', class: 'button', 'data-testid': 'tasks-close' }, 'Close');
  const dialog = h('dialog', { class: 'dialog dialog-wide', 'aria-labelledby': 'tasks-title', 'data-testid': 'tasks-dialog' },
    h('div', { class: 'dialog-form' },
      h('div', { class: 'page-head' }, h('h2', { id: 'tasks-title' }, 'Tasks'), close),
      problem, content));
  let refreshNow = () => {};

  /** Runs a cancel, retry or clear, then shows the lists again at once. */
  async function act(run) {
    try {
      await run();
      replaceChildren(problem);
    } catch (error) {
      replaceChildren(problem, errorNotice(error, { testId: 'tasks-error' }));
    }
    refreshNow();
  }

  async function follow() {
    while (dialog.open) {
      try {
        const sections = await loadSections(act);
        if (!dialog.open) return;
        const focused = focusedButton(content);
        replaceChildren(content, sections);
        if (focused) (content.querySelector(focused) ?? close).focus();
        content.dataset.loaded = 'true';
      } catch (error) {
        if (!dialog.open) return;
        replaceChildren(content, errorNotice(error, { testId: 'tasks-error' }));
      }
      await new Promise((resolve) => {
        refreshNow = resolve;
        delay(POLL_MS).then(resolve);
      });
    }
  }

  close.addEventListener('click', () => dialog.close());
  dialog.addEventListener('close', () => {
    refreshNow();
    dialog.remove();
  });
  document.body.append(dialog);
  dialog.showModal();
  close.focus();
  follow();
}
