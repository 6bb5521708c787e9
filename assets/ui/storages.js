/** The storages page: every mounted storage, its status, and what can be done with it. */
import { deleteStorage, listStorages, setStorageEnabled } from './admin-api.js';
import { h, replaceChildren } from './dom.js';
import { authorizeWithGoogle } from './google-auth.js';
import { errorNotice, errorParagraphs, successNotice } from './notices.js';
import { browserUrl } from './paths.js';
import { runPick } from './pick-panel.js';

const GOOGLE_DRIVER = 'GooglePhoto';
const INITIALIZING = 'initializing';
const INIT_POLL_MS = 1500;

function statusCell(storage, pending) {
  if (storage.disabled) {
    return h('span', { class: 'status status-off', 'data-testid': 'storage-status', dataset: { status: 'disabled' } }, 'disabled');
  }
  if (storage.status === 'work') {
    return h('span', { class: 'status status-ok', 'data-testid': 'storage-status', dataset: { status: 'work' } }, 'work');
  }
  if (storage.status === INITIALIZING) {
    return h('span', { class: 'status status-off', 'data-testid': 'storage-status', dataset: { status: 'init' } }, 'initializing…');
  }
  const message = storage.error?.message || storage.status || 'not initialized';
  return h(
    'div',
    { class: 'status status-error', 'data-testid': 'storage-status', dataset: { status: 'error' } },
    errorParagraphs({ message, hint: storage.error?.hint }),
    pending ? h('p', { class: 'pending', 'data-testid': 'authorize-pending' }, 'Waiting for Google authorization…') : null,
  );
}

function actionButton(label, testId, onclick, extra = {}) {
  return h('button', { type: 'button', class: 'button button-small', 'data-testid': testId, onclick, ...extra }, label);
}

/** `flash`: a message to show on arrival (e.g. "Storage /x saved."). */
export async function renderStorages(main, { navigate, flash }) {
  const messages = h('div', { id: 'storages-messages', 'aria-live': 'polite' });
  const tbody = h('tbody', {});
  const pending = new Set();
  const pickBox = h('div', { class: 'pick-status', 'aria-live': 'polite' });
  let picking = false;
  let storages = [];

  function say(notice) {
    replaceChildren(messages, notice);
  }

  let initPoll = null;

  async function reload() {
    storages = await listStorages();
    render();
  }

  /** A storage that is still starting is looked at again shortly, while this page is shown. */
  function watchInitializing() {
    const starting = storages.some((storage) => !storage.disabled && storage.status === INITIALIZING);
    if (!starting || initPoll || !tbody.isConnected) return;
    initPoll = setTimeout(() => {
      initPoll = null;
      if (tbody.isConnected) reload().catch((error) => say(errorNotice(error)));
    }, INIT_POLL_MS);
  }

  async function run(action, success) {
    try {
      await action();
      if (success) say(successNotice(success));
    } catch (error) {
      say(errorNotice(error));
    }
    await reload().catch((error) => say(errorNotice(error)));
  }

  async function authorize(storage) {
    pending.add(storage.id);
    render();
    try {
      const done = await authorizeWithGoogle(storage.id, {
        onUrl: (url, opened) => {
          if (opened) say(successNotice('The Google consent page opened in a new tab. Allow access there; this page updates by itself.'));
          else say(h('div', { class: 'notice' }, h('p', {}, 'Your browser blocked the new tab. '), h('a', { href: url, target: '_blank', rel: 'noopener' }, 'Open the Google consent page')));
        },
        onStorages: (list) => {
          storages = list;
          render();
        },
      });
      say(successNotice(`Storage ${done.mount_path} is authorized and working.`, { testId: 'authorize-done' }));
    } catch (error) {
      say(errorNotice(error));
    } finally {
      pending.delete(storage.id);
      render();
    }
  }

  /** Picks into `storage`, showing the waiting state above the table; then opens the new folder. */
  function pick(storage) {
    picking = true;
    render();
    runPick(pickBox, {
      storageId: storage.id,
      onPicked: (session) => {
        if (session.folder_path) location.assign(browserUrl(session.folder_path));
        else say(successNotice(`Picked ${Number(session.item_count) || 0} items into ${storage.mount_path}.`, { testId: 'pick-done' }));
      },
      onSettled: () => {
        picking = false;
        render();
      },
    });
  }

  function row(storage) {
    const actions = [
      actionButton('Edit', 'storage-edit', () => navigate(`/@manage/storages/edit/${encodeURIComponent(storage.id)}`)),
      storage.disabled
        ? actionButton('Enable', 'storage-enable', () => run(() => setStorageEnabled(storage.id, true), `Storage ${storage.mount_path} enabled.`))
        : actionButton('Disable', 'storage-disable', () => run(() => setStorageEnabled(storage.id, false), `Storage ${storage.mount_path} disabled.`)),
      storage.driver === GOOGLE_DRIVER
        ? actionButton('Authorize with Google', 'storage-authorize', () => authorize(storage), {
            disabled: pending.has(storage.id),
            // The likely fix for a Google storage that does not work: make it the obvious button.
            class: storage.status === 'work' || storage.disabled ? 'button button-small' : 'button button-small button-primary',
          })
        : null,
      storage.driver === GOOGLE_DRIVER && !storage.disabled
        ? actionButton('Pick from Google Photos', 'storage-pick', () => pick(storage), { disabled: picking })
        : null,
      actionButton('Delete', 'storage-delete', () => {
        if (!window.confirm(`Delete the storage ${storage.mount_path}? Its files stay where they are.`)) return;
        run(() => deleteStorage(storage.id), `Storage ${storage.mount_path} deleted.`);
      }, { class: 'button button-small button-danger' }),
    ];
    return h(
      'tr',
      { 'data-testid': 'storage-row', dataset: { id: String(storage.id), mountPath: storage.mount_path ?? '' } },
      h('td', {}, h('span', { class: 'mount-path' }, storage.mount_path ?? ''),
        storage.demo ? h('span', { class: 'badge badge-demo', 'data-testid': 'demo-badge' }, 'Demo') : null),
      h('td', {}, storage.driver ?? ''),
      h('td', {}, statusCell(storage, pending.has(storage.id))),
      h('td', { class: 'remark' }, storage.remark ?? ''),
      h('td', {}, h('div', { class: 'actions' }, actions)),
    );
  }

  function render() {
    const sorted = [...storages].sort((a, b) => (a.order ?? 0) - (b.order ?? 0) || String(a.mount_path).localeCompare(String(b.mount_path)));
    replaceChildren(
      tbody,
      sorted.length
        ? sorted.map(row)
        : h('tr', {}, h('td', { colspan: 5, class: 'empty' }, 'No storage yet. Add one to start browsing.')),
    );
    watchInitializing();
  }

  replaceChildren(
    main,
    h('div', { class: 'page-head' },
      h('h1', {}, 'Storages'),
      h('div', { class: 'toolbar-actions' },
        h('button', { type: 'button', class: 'button', 'data-testid': 'storages-refresh', onclick: () => run(() => Promise.resolve()) }, 'Refresh'),
        h('button', { type: 'button', class: 'button button-primary', id: 'add-storage', 'data-testid': 'add-storage', onclick: () => navigate('/@manage/storages/add') }, 'Add storage'))),
    messages,
    pickBox,
    h('div', { class: 'table-wrap' },
      h('table', { id: 'storages-table', 'data-testid': 'storages-table', class: 'table' },
        h('thead', {}, h('tr', {}, ['Mount path', 'Driver', 'Status', 'Remark', 'Actions'].map((title) => h('th', { scope: 'col' }, title)))),
        tbody)),
  );
  if (flash) say(successNotice(flash));
  await reload();
}
