/** "Copy to" / "Move to": a dialog that browses folders and acts on the one shown. */
import { h, replaceChildren } from './dom.js';
import { runDialog } from './dialogs.js';
import { errorNotice } from './notices.js';
import { joinPath, parentPath, pathSegments } from './paths.js';
import { listFolders } from './fs-api.js';

/**
 * Opens the chooser at `start`. `onChoose(path)` runs when the user confirms the folder shown; its error
 * shows in the dialog. `sourceDir` cannot be chosen (copying a folder's entries into itself changes nothing).
 */
export function chooseFolder({ title, submitLabel, start, sourceDir, testId = 'folder-chooser', onChoose }) {
  let current = start;
  let loadId = 0;
  const where = h('p', { class: 'chooser-path', 'data-testid': 'chooser-path', 'aria-live': 'polite' });
  const up = h('button', { type: 'button', class: 'button button-small', 'data-testid': 'chooser-up' }, 'Up');
  const list = h('ul', { class: 'chooser-list', 'data-testid': 'chooser-list', 'aria-label': 'Folders' });
  const status = h('div', { class: 'chooser-status', role: 'status' });

  async function show(path) {
    const id = ++loadId;
    current = path;
    replaceChildren(where, 'Folder: ', h('strong', {}, ['Home', ...pathSegments(path)].join(' / ')));
    up.disabled = path === '/';
    replaceChildren(list);
    replaceChildren(status, 'Loading…');
    delete list.dataset.loadedPath;
    let folders;
    try {
      folders = await listFolders(path);
    } catch (error) {
      if (id === loadId) replaceChildren(status, errorNotice(error, { testId: 'chooser-error' }));
      return;
    }
    if (id !== loadId) return;
    replaceChildren(status, folders.length ? '' : 'No folders here.');
    replaceChildren(list, folders.map((folder) => h('li', {},
      h('button', { type: 'button', class: 'chooser-folder', 'data-testid': 'chooser-folder', onclick: () => show(joinPath(path, folder.name)) }, folder.name))));
    list.dataset.loadedPath = path;
  }

  up.addEventListener('click', () => show(parentPath(current)));
  const pending = runDialog({
    title,
    submitLabel,
    testId,
    body: [h('div', { class: 'chooser-head' }, where, up), status, list],
    onSubmit: () => {
      if (current === sourceDir) throw new Error('Choose another folder: the items are already here.');
      return onChoose(current);
    },
  });
  show(start);
  return pending;
}
