/**
 * The file browser's Google Photos actions (admins only): Pick from Google Photos at a GooglePhoto storage's
 * root and in its Picked folder; Keep a copy and Delete on each picked session folder and inside it.
 */
import { h, replaceChildren } from './dom.js';
import { formatDate } from './format.js';
import { googleContext } from './google-context.js';
import { latestKeepJob, runKeep, watchKeepJob } from './keep-panel.js';
import { errorNotice, successNotice } from './notices.js';
import { pickControls } from './pick-panel.js';
import { deletePickerSession } from './picker-api.js';
import { forgetSession, sessionAtPath } from './picker-memory.js';
import { parentPath } from './paths.js';
import { isExpired } from './listing.js';

const SESSION_PREFIX = 'picked:';

/**
 * The session id of the folder at `path`: the one this browser remembers from creating it, else an id the
 * listing gives (`session_id`, or the driver's `picked:<sessionId>` folder id).
 */
function sessionIdFor(path, item) {
  const remembered = sessionAtPath(path);
  if (remembered) return remembered.session_id;
  if (typeof item?.session_id === 'string' && item.session_id) return item.session_id;
  if (typeof item?.id === 'string' && item.id.startsWith(SESSION_PREFIX) && !item.id.slice(SESSION_PREFIX.length).includes(':')) {
    return item.id.slice(SESSION_PREFIX.length);
  }
  return undefined;
}

function button(label, testId, onclick, extra = {}) {
  return h('button', { type: 'button', class: 'button button-small', 'data-testid': testId, onclick, ...extra }, label);
}

/** `navigate(path)` opens a folder; `reload()` lists the current folder again (fresh). */
export function createPickerActions({ bar, isAdmin, navigate, reload }) {
  let context = null;
  const statusBox = h('div', { class: 'google-status', 'data-testid': 'google-status', 'aria-live': 'polite' });

  async function keep(sessionId, button) {
    if (button) button.disabled = true;
    try {
      await runKeep(statusBox, { storageId: context.storage.id, sessionId, openFolder: navigate });
    } finally {
      if (button) button.disabled = false;
    }
  }

  async function remove(sessionId, folderPath) {
    const name = folderPath.split('/').pop();
    if (!window.confirm(`Delete the picked folder “${name}”? Its picking session is deleted at Google too; copies you kept stay.`)) return;
    const storageId = context.storage.id;
    try {
      await deletePickerSession(storageId, sessionId);
    } catch (error) {
      replaceChildren(statusBox, errorNotice(error, { testId: 'session-delete-error' }));
      return;
    }
    forgetSession(sessionId);
    const insideDeleted = context.place === 'session' && context.sessionPath === folderPath;
    await (insideDeleted ? navigate(parentPath(folderPath)) : reload());
    replaceChildren(statusBox, successNotice(`The picked folder “${name}” was deleted.`, { testId: 'session-deleted' }));
  }

  function sessionButtons(sessionId, folderPath, item) {
    const expired = item ? isExpired(item) : false;
    const keepButton = button('Keep a copy', 'keep-button', () => keep(sessionId, keepButton), {
      title: 'Copy these photos to the server so they stay after the session expires',
    });
    return [
      expired ? null : keepButton,
      button('Delete', 'session-delete', () => remove(sessionId, folderPath), { class: 'button button-small button-danger' }),
    ];
  }

  /** Buttons for one listed entry: Keep and Delete on the session folders listed in the Picked folder. */
  function entryActions(item, itemPath) {
    if (context?.place !== 'picked' || !item.is_dir) return null;
    const sessionId = sessionIdFor(itemPath, item);
    return sessionId ? h('span', { class: 'actions' }, sessionButtons(sessionId, itemPath, item)) : null;
  }

  function sessionBar(path) {
    const sessionId = sessionIdFor(path);
    const remembered = sessionAtPath(path);
    if (!sessionId) {
      return h('p', { class: 'help', 'data-testid': 'session-unknown' }, 'Keep a copy and Delete are offered for folders picked in this browser.');
    }
    // A copy that started before this page loaded: show how far it is.
    latestKeepJob(context.storage.id, sessionId).then((job) => {
      if (job && statusBox.isConnected && !statusBox.hasChildNodes()) watchKeepJob(statusBox, job.id, { openFolder: navigate });
    });
    return h('div', { class: 'session-bar', 'data-testid': 'session-bar' },
      remembered?.expire_time
        ? h('span', { class: 'session-expiry' }, 'Picked photos can be opened until ', h('time', { datetime: remembered.expire_time }, formatDate(remembered.expire_time)), '.')
        : null,
      h('span', { class: 'actions' }, sessionButtons(sessionId, path, null)));
  }

  return {
    entryActions,
    /** Where `path` is in a Google Photos storage (null: nowhere, or not an admin). */
    async prepare(path) {
      return (await isAdmin) ? googleContext(path).catch(() => null) : null;
    },
    /** Shows the actions for `path` (call before drawing its entries, so they get their buttons). */
    render(path, preparedContext) {
      context = preparedContext;
      replaceChildren(statusBox);
      const place = context?.place;
      if (place === 'root' || place === 'picked') {
        const storageId = context.storage.id;
        replaceChildren(bar, pickControls({
          storageId,
          onPicked: async (session) => {
            if (session.folder_path) await navigate(session.folder_path);
            const count = Number(session.item_count) || 0;
            replaceChildren(statusBox, successNotice(`Picked ${count} item${count === 1 ? '' : 's'}.`, { testId: 'pick-done' }));
          },
        }), statusBox);
      } else if (place === 'session') {
        replaceChildren(bar, sessionBar(path), statusBox);
      } else {
        replaceChildren(bar);
      }
      bar.hidden = !bar.hasChildNodes();
    },
  };
}
