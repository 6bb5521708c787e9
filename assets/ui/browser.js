/** The file browser page: the folder in the URL, history navigation, errors, refresh and paging. */
import { ApiError, apiPost, currentUser, isAdminUser, isGuestUser } from './api.js';
import { renderBreadcrumbs } from './breadcrumbs.js';
import { h, replaceChildren } from './dom.js';
import { renderHeader } from './header.js';
import { appendEntries } from './listing.js';
import { browserUrl, parentPath, pathFromPathname } from './paths.js';
import { forgetStorages } from './google-context.js';
import { errorParagraphs } from './notices.js';
import { createFileActions } from './file-actions.js';
import { createPickerActions } from './picker-actions.js';
import { openPreview } from './preview.js';
import { openTasksDialog } from './tasks-panel.js';
import { createUploader } from './upload-panel.js';
import { fillSizesLater } from './size-refresh.js';

const PER_PAGE = 100;
const VIEW_KEY = 'gphotos-alist.view';

const list = document.getElementById('file-list');
const errorBox = document.getElementById('browser-error');
const status = document.getElementById('browser-status');
const loadMore = document.getElementById('load-more');
const refreshButton = document.getElementById('refresh-button');
const viewToggle = document.getElementById('view-toggle');
const tasksButton = document.getElementById('tasks-button');

// `write`: the last listing said this user may write (AList asks that of a refresh, too).
const state = { path: '/', page: 1, loaded: 0, total: 0, loadId: 0, write: false };
const userPromise = currentUser();
const isAdmin = userPromise.then(isAdminUser, () => false);
const reload = () => show(state.path, { refresh: true });
const picker = createPickerActions({ bar: document.getElementById('google-actions'), isAdmin, navigate, reload });
const fileActions = createFileActions({
  bar: document.getElementById('file-actions'),
  notices: document.getElementById('action-status'),
  dropZone: document.getElementById('browser'),
  openTasks: openTasksDialog,
  reload,
  uploader: createUploader({
    panel: document.getElementById('upload-panel'),
    openTasks: openTasksDialog,
    // The folder the files went to is listed again, if it is still the one shown.
    onDone: (dir) => (dir === state.path ? reload() : undefined),
  }),
});
const handlers = { onOpenFolder: navigate, onOpenFile: openPreview, entryActions: picker.entryActions, selection: fileActions.selection };

function showError(error, path) {
  const notFound = error.code === 404 || error.httpStatus === 404;
  replaceChildren(
    errorBox,
    h('h2', {}, notFound ? 'Not found' : 'This folder cannot be shown'),
    notFound ? h('p', {}, `There is nothing at “${path}”.`) : null,
    errorParagraphs(error),
    path !== '/' ? h('p', {}, folderLink('Go to the parent folder', parentPath(path))) : null,
  );
  errorBox.hidden = false;
}

function folderLink(text, path) {
  const link = h('a', { href: browserUrl(path) }, text);
  link.addEventListener('click', (event) => {
    event.preventDefault();
    navigate(path);
  });
  return link;
}

function describeCount() {
  if (state.total === 0) return 'This folder is empty.';
  const shown = state.loaded < state.total ? `${state.loaded} of ${state.total}` : `${state.total}`;
  return `${shown} item${state.total === 1 ? '' : 's'}`;
}

async function loadPage(path, page, { refresh = false } = {}) {
  const loadId = ++state.loadId;
  status.textContent = 'Loading…';
  refreshButton.disabled = true;
  loadMore.disabled = true;
  // Page 1 also learns the folder's Google Photos actions (Pick, Keep, Delete), drawn before its entries.
  const preparing = page === 1 ? picker.prepare(path) : null;
  try {
    const data = await apiPost('/api/fs/list', { path, page, per_page: PER_PAGE, refresh: refresh && state.write });
    const context = await preparing;
    if (loadId !== state.loadId) return;
    const content = Array.isArray(data?.content) ? data.content : [];
    if (page === 1) {
      picker.render(path, context);
      // Writing needs a user who may write here (the listing says) inside a storage, not in the folders above the mounts.
      state.write = data?.write === true;
      const canWrite = state.write && data?.provider !== 'unknown';
      fileActions.render(path, { canWrite, googlePlace: context?.place });
      list.classList.toggle('selectable', canWrite);
      list.replaceChildren();
    }
    appendEntries(list, content, path, handlers);
    fillSizesLater(list, content, { path, page, per_page: PER_PAGE }, () => state.path === path && list.dataset.loadedPath === path);
    state.page = page;
    state.loaded = (page === 1 ? 0 : state.loaded) + content.length;
    state.total = typeof data?.total === 'number' ? data.total : state.loaded;
    loadMore.hidden = state.loaded >= state.total || content.length === 0;
    status.textContent = describeCount();
    list.dataset.loadedPath = path;
  } catch (error) {
    if (loadId !== state.loadId) return;
    if (page === 1 && error instanceof ApiError && error.code === 400 && (await openFileAddress(path, loadId))) return;
    if (page === 1) {
      list.replaceChildren();
      fileActions.render(path, { canWrite: false });
      // An expired or not yet picked session folder fails to list, and can still be deleted.
      const context = await preparing;
      if (loadId !== state.loadId) return;
      picker.render(path, context);
    }
    loadMore.hidden = true;
    status.textContent = '';
    showError(error instanceof ApiError ? error : { message: String(error) }, path);
  } finally {
    if (loadId === state.loadId) {
      refreshButton.disabled = false;
      loadMore.disabled = false;
    }
  }
}

/** A file's own address (e.g. a shared link): show its folder and open the file's preview. */
async function openFileAddress(path, loadId) {
  let info;
  try {
    info = await apiPost('/api/fs/get', { path });
  } catch {
    return false;
  }
  if (loadId !== state.loadId || !info || info.is_dir) return false;
  await show(parentPath(path));
  openPreview(info, path);
  return true;
}

function show(path, options) {
  state.path = path;
  errorBox.hidden = true;
  delete list.dataset.loadedPath;
  renderBreadcrumbs(document.getElementById('breadcrumbs'), path, navigate);
  const name = path === '/' ? 'Home' : path.split('/').pop();
  document.title = `${name} · Photos Drive`;
  return loadPage(path, 1, options);
}

function navigate(path) {
  if (path !== state.path) history.pushState({ path }, '', browserUrl(path));
  return show(path);
}

function setView(view) {
  const grid = view === 'grid';
  list.classList.toggle('view-grid', grid);
  list.classList.toggle('view-list', !grid);
  viewToggle.setAttribute('aria-pressed', String(grid));
  viewToggle.textContent = grid ? 'List' : 'Grid';
  localStorage.setItem(VIEW_KEY, view);
}

refreshButton.addEventListener('click', () => {
  forgetStorages(); // a storage added meanwhile gets its Google Photos actions
  show(state.path, { refresh: true });
});
loadMore.addEventListener('click', () => loadPage(state.path, state.page + 1));
viewToggle.addEventListener('click', () => setView(list.classList.contains('view-grid') ? 'list' : 'grid'));
window.addEventListener('popstate', () => show(pathFromPathname(location.pathname)));

setView(localStorage.getItem(VIEW_KEY) === 'grid' ? 'grid' : 'list');
show(pathFromPathname(location.pathname));
// Every logged-in user sees the tasks they started (an admin everyone's); the guest user has none.
userPromise.then((user) => {
  tasksButton.hidden = isGuestUser(user);
}, () => {});
tasksButton.addEventListener('click', openTasksDialog);
userPromise
  .then((user) => renderHeader(document.getElementById('site-header'), user, { current: 'files' }))
  .catch(() => renderHeader(document.getElementById('site-header'), null, { current: 'files' }));
