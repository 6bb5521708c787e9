/** The admin UI: checks the user is an admin and routes /@manage/... to its pages. */
import { currentUser, goToLogin, isAdminUser } from './api.js';
import { h, replaceChildren } from './dom.js';
import { renderHeader } from './header.js';
import { errorNotice } from './notices.js';
import { renderSettings } from './settings.js';
import { renderStorageEditor } from './storage-editor.js';
import { renderStorages } from './storages.js';
import { renderUsers } from './users.js';

const main = document.getElementById('manage-main');
const sideNav = document.getElementById('manage-nav');

function route(pathname) {
  const parts = pathname.split('/').filter(Boolean).slice(1); // drop "@manage"
  if (parts[0] === 'settings') return { page: 'settings' };
  if (parts[0] === 'users') return { page: 'users' };
  if (parts[0] === 'storages' && parts[1] === 'add') return { page: 'storage-add' };
  if (parts[0] === 'storages' && parts[1] === 'edit' && parts[2]) return { page: 'storage-edit', id: decodeURIComponent(parts[2]) };
  return { page: 'storages' };
}

function markCurrent(page) {
  const section = page === 'settings' || page === 'users' ? page : 'storages';
  for (const link of sideNav.querySelectorAll('a')) {
    if (link.dataset.section === section) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
}

async function show(pathname, { flash } = {}) {
  const target = route(pathname);
  markCurrent(target.page);
  try {
    if (target.page === 'settings') await renderSettings(main);
    else if (target.page === 'users') await renderUsers(main);
    else if (target.page === 'storage-add') await renderStorageEditor(main, { navigate });
    else if (target.page === 'storage-edit') await renderStorageEditor(main, { navigate, id: target.id });
    else await renderStorages(main, { navigate, flash });
  } catch (error) {
    replaceChildren(main, errorNotice(error, { testId: 'manage-error' }));
  }
}

function navigate(pathname, options) {
  if (pathname !== location.pathname) history.pushState({}, '', pathname);
  return show(pathname, options);
}

sideNav.addEventListener('click', (event) => {
  const link = event.target.closest('a');
  if (!link || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
  event.preventDefault();
  navigate(link.getAttribute('href'));
});
window.addEventListener('popstate', () => show(location.pathname));

async function start() {
  const user = await currentUser().catch(() => null);
  renderHeader(document.getElementById('site-header'), user, { current: 'manage' });
  if (!user) {
    goToLogin();
    return;
  }
  if (!isAdminUser(user)) {
    replaceChildren(main, h('div', { class: 'notice notice-error', role: 'alert' }, h('p', {}, 'Only an administrator can manage this server. Log in as an admin.')));
    return;
  }
  await show(location.pathname);
}

start();
