/**
 * The file browser's write actions, for a user who may write: Upload (button and drop), New folder (New album in
 * a Google Photos Albums folder), and on the selected entries Rename, Copy to, Move to and Remove.
 */
import { h, replaceChildren } from './dom.js';
import { nameDialog, runDialog } from './dialogs.js';
import { chooseFolder } from './folder-chooser.js';
import { makeDir, removeEntries, renameEntry, transferEntries } from './fs-api.js';
import { successNotice } from './notices.js';
import { joinPath } from './paths.js';
import { enableDrop } from './upload-panel.js';

const AS_TASK_KEY = 'gphotos-alist.upload-as-task';

function button(label, testId, onclick, extra = {}) {
  return h('button', { type: 'button', class: 'button', 'data-testid': testId, onclick, ...extra }, label);
}

function plural(count, word) {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/**
 * `bar` holds the folder's buttons and the selection's; `notices` says what happened. `uploader` sends files,
 * `reload()` lists the folder again, `openTasks()` shows the Tasks dialog, `dropZone` takes dropped files.
 */
export function createFileActions({ bar, notices, uploader, reload, openTasks, dropZone }) {
  // googlePlace: where the folder is in a Google Photos storage ('albums', 'album', …), if it is in one.
  const state = { dir: '/', canWrite: false, googlePlace: undefined, selected: new Set() };
  const fileInput = h('input', { type: 'file', multiple: true, hidden: true, id: 'upload-input', 'data-testid': 'upload-input', tabindex: '-1' });
  const asTask = h('input', { type: 'checkbox', id: 'upload-as-task', 'data-testid': 'upload-as-task', checked: localStorage.getItem(AS_TASK_KEY) === 'true' });
  asTask.addEventListener('change', () => localStorage.setItem(AS_TASK_KEY, String(asTask.checked)));
  const selectionText = h('span', { class: 'selection-count', 'data-testid': 'selection-count', 'aria-live': 'polite' });
  const renameButton = button('Rename', 'rename-button', () => rename());
  const selectionBar = h('div', { class: 'selection-bar', 'data-testid': 'selection-bar', hidden: true },
    selectionText,
    renameButton,
    button('Copy to…', 'copy-button', () => transfer('copy')),
    button('Move to…', 'move-button', () => transfer('move')),
    button('Remove', 'remove-button', () => remove(), { class: 'button button-danger' }),
    button('Clear selection', 'clear-selection', () => clearSelection()));

  function say(node) {
    replaceChildren(notices, node);
  }

  function uploadFiles(files, skippedFolders = 0) {
    say(skippedFolders ? successNotice(`${plural(skippedFolders, 'folder')} skipped: only files can be uploaded.`, { testId: 'upload-skipped' }) : null);
    uploader.upload(files, state.dir, { asTask: asTask.checked });
  }

  fileInput.addEventListener('change', () => {
    const files = Array.from(fileInput.files ?? []);
    fileInput.value = '';
    uploadFiles(files);
  });
  enableDrop(dropZone, { accepts: () => state.canWrite, onFiles: uploadFiles });

  function newFolder() {
    // The folder is taken when the dialog opens: going back in history meanwhile changes state.dir.
    const { dir } = state;
    const noun = state.googlePlace === 'albums' ? 'album' : 'folder';
    return nameDialog({
      title: `New ${noun}`,
      label: `Name of the ${noun}`,
      submitLabel: 'Create',
      testId: 'new-folder-dialog',
      onSubmit: async (name) => {
        await makeDir(joinPath(dir, name));
        await reload();
        say(successNotice(`The ${noun} “${name}” was created.`, { testId: 'action-done' }));
      },
    });
  }

  function rename() {
    const { dir } = state;
    const [name] = state.selected;
    return nameDialog({
      title: `Rename “${name}”`,
      label: 'New name',
      value: name,
      submitLabel: 'Rename',
      testId: 'rename-dialog',
      onSubmit: async (newName) => {
        await renameEntry(joinPath(dir, name), newName);
        clearSelection();
        await reload();
        say(successNotice(`“${name}” is now “${newName}”.`, { testId: 'action-done' }));
      },
    });
  }

  function remove() {
    const { dir } = state;
    const names = [...state.selected];
    return runDialog({
      title: names.length === 1 ? `Remove “${names[0]}”?` : `Remove ${plural(names.length, 'item')}?`,
      body: [
        h('p', {}, state.googlePlace === 'album'
          ? `${names.length === 1 ? 'It is' : 'They are'} taken out of this album; the photos stay in your Google Photos library.`
          : `${names.length === 1 ? 'It is' : 'They are'} removed from the storage. This cannot be undone here.`),
        names.length > 1 ? h('ul', { class: 'dialog-names' }, names.map((name) => h('li', {}, name))) : null,
      ],
      submitLabel: 'Remove',
      danger: true,
      testId: 'remove-dialog',
      onSubmit: async () => {
        await removeEntries(dir, names);
        clearSelection();
        await reload();
        say(successNotice(`Removed ${names.length === 1 ? `“${names[0]}”` : plural(names.length, 'item')}.`, { testId: 'action-done' }));
      },
    });
  }

  function transfer(kind) {
    const { dir } = state;
    const names = [...state.selected];
    const verb = kind === 'move' ? 'Move' : 'Copy';
    const what = names.length === 1 ? `“${names[0]}”` : plural(names.length, 'item');
    return chooseFolder({
      title: `${verb} ${what} to…`,
      submitLabel: `${verb} here`,
      start: dir,
      sourceDir: dir,
      testId: `${kind}-dialog`,
      onChoose: async (target) => {
        const tasks = await transferEntries(kind, dir, target, names);
        clearSelection();
        await reload();
        const done = `${verb === 'Move' ? 'Moved' : 'Copied'} ${what} to ${target}.`;
        const running = `${verb === 'Move' ? 'Moving' : 'Copying'} ${what} to ${target} in the background.`;
        say(tasks.length
          ? h('div', { class: 'notice notice-ok', role: 'status', 'data-testid': 'action-done' },
              h('p', {}, running, ' ', button('Show tasks', 'show-tasks', openTasks, { class: 'button button-small' })))
          : successNotice(done, { testId: 'action-done' }));
      },
    });
  }

  function showSelection() {
    const count = state.selected.size;
    selectionBar.hidden = count === 0;
    selectionText.textContent = `${plural(count, 'item')} selected`;
    renameButton.hidden = count !== 1;
  }

  function clearSelection() {
    state.selected.clear();
    for (const box of document.querySelectorAll('[data-testid="entry-select"]')) box.checked = false;
    showSelection();
  }

  return {
    /** What the listing needs to draw a checkbox on each entry (null: no writing here). */
    selection() {
      if (!state.canWrite) return null;
      return {
        has: (name) => state.selected.has(name),
        toggle(name, on) {
          if (on) state.selected.add(name);
          else state.selected.delete(name);
          showSelection();
        },
      };
    },
    /** Draws the actions for the folder at `dir`; `canWrite` false hides them all. */
    render(dir, { canWrite, googlePlace }) {
      Object.assign(state, { dir, canWrite, googlePlace });
      state.selected.clear();
      showSelection();
      say(null);
      if (!canWrite) {
        replaceChildren(bar);
        bar.hidden = true;
        return;
      }
      replaceChildren(bar,
        h('div', { class: 'folder-actions' },
          button('Upload', 'upload-button', () => fileInput.click(), { class: 'button button-primary', title: 'Upload files here (or drop them on the list)' }),
          button(googlePlace === 'albums' ? 'New album' : 'New folder', 'new-folder-button', () => newFolder()),
          h('span', { class: 'drop-hint' }, 'or drop files on the list'),
          h('span', { class: 'check upload-option', title: 'The server stores the files as tasks once it has them; see Tasks' },
            asTask, h('label', { for: 'upload-as-task' }, 'Finish in the background')),
          fileInput),
        selectionBar);
      bar.hidden = false;
    },
  };
}
