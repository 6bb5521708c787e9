/** The users page: AList's users (base path, permission bits, disabled), added, edited and deleted by an admin. */
import { createUser, deleteUser, listUsers, updateUser } from './admin-api.js';
import { ROLE } from './api.js';
import { h, replaceChildren } from './dom.js';
import { errorNotice, successNotice } from './notices.js';

/** AList's permission bits this server acts on (see docs/users.md). */
const PERMISSIONS = [
  [3, 'write', 'Create folders and upload'],
  [4, 'rename', 'Rename'],
  [5, 'move', 'Move'],
  [6, 'copy', 'Copy'],
  [7, 'remove', 'Remove'],
  [8, 'webdav_read', 'WebDAV read'],
  [9, 'webdav_manage', 'WebDAV manage'],
];

const ROLE_NAMES = { [ROLE.GENERAL]: 'user', [ROLE.GUEST]: 'guest', [ROLE.ADMIN]: 'admin' };

function permissionSummary(user) {
  if (user.role === ROLE.ADMIN) return 'everything';
  const names = PERMISSIONS.filter(([bit]) => (user.permission >> bit) & 1).map(([, , label]) => label.toLowerCase());
  return names.length > 0 ? names.join(', ') : 'read only';
}

export async function renderUsers(main) {
  const messages = h('div', { 'aria-live': 'polite' });
  const tbody = h('tbody', {});
  const say = (notice) => replaceChildren(messages, notice);

  const username = h('input', { type: 'text', id: 'user-username', 'data-testid': 'user-username', required: true, autocomplete: 'off' });
  const password = h('input', { type: 'password', id: 'user-password', 'data-testid': 'user-password', autocomplete: 'new-password', 'aria-describedby': 'user-password-help' });
  const basePath = h('input', { type: 'text', id: 'user-base-path', 'data-testid': 'user-base-path', value: '/', spellcheck: 'false', 'aria-describedby': 'user-base-path-help' });
  const disabled = h('input', { type: 'checkbox', id: 'user-disabled', 'data-testid': 'user-disabled' });
  const bits = PERMISSIONS.map(([bit, name, label]) => ({ bit, box: h('input', { type: 'checkbox', id: `user-perm-${name}`, 'data-testid': `user-perm-${name}` }), label }));
  const legend = h('legend', {}, 'Add a user');
  const passwordHelp = h('p', { class: 'help', id: 'user-password-help' }, 'At least 8 characters.');
  const save = h('button', { type: 'submit', class: 'button button-primary', 'data-testid': 'user-save' }, 'Add user');
  let editing = null;

  const check = (box, label, id) => h('div', { class: 'field field-bool' }, h('div', { class: 'check' }, box, h('label', { for: id }, label)));
  const form = h('form', { id: 'user-form', 'data-testid': 'user-form' },
    h('fieldset', {}, legend,
      h('div', { class: 'field field-string' }, h('label', { for: 'user-username' }, 'Username'), username),
      h('div', { class: 'field field-string' }, h('label', { for: 'user-password' }, 'Password'), password, passwordHelp),
      h('div', { class: 'field field-string' }, h('label', { for: 'user-base-path' }, 'Base path'), basePath,
        h('p', { class: 'help', id: 'user-base-path-help' }, 'The folder this user sees as its root, e.g. /demo/Albums.')),
      bits.map(({ box, label }) => check(box, label, box.id)),
      check(disabled, 'Disabled (cannot log in)', 'user-disabled')),
    h('div', { class: 'form-actions' }, save));

  function fill(user) {
    editing = user;
    legend.textContent = user ? `Edit ${user.username}` : 'Add a user';
    save.textContent = user ? 'Save user' : 'Add user';
    passwordHelp.textContent = user ? 'Leave empty to keep the current password.' : 'At least 8 characters.';
    username.value = user?.username ?? '';
    password.value = '';
    password.disabled = user?.role === ROLE.GUEST; // nobody logs in as the guest
    basePath.value = user?.base_path ?? '/';
    disabled.checked = user?.disabled ?? false;
    disabled.disabled = user?.role === ROLE.ADMIN;
    for (const { bit, box } of bits) box.checked = user ? ((user.permission >> bit) & 1) === 1 : false;
  }

  function row(user) {
    const builtIn = user.role !== ROLE.GENERAL;
    return h('tr', { 'data-testid': 'user-row', dataset: { username: user.username } },
      h('td', {}, user.username),
      h('td', {}, ROLE_NAMES[user.role] ?? String(user.role)),
      h('td', {}, user.base_path),
      h('td', {}, permissionSummary(user)),
      h('td', {}, user.disabled ? 'disabled' : 'enabled'),
      h('td', {},
        h('button', { type: 'button', class: 'button button-small', 'data-testid': 'user-edit', onclick: () => fill(user) }, 'Edit'),
        builtIn ? null : h('button', { type: 'button', class: 'button button-small', 'data-testid': 'user-delete', onclick: () => remove(user) }, 'Delete')));
  }

  async function reload() {
    replaceChildren(tbody, (await listUsers()).map(row));
  }

  async function remove(user) {
    if (!window.confirm(`Delete the user ${user.username}? They are logged out at once.`)) return;
    try {
      await deleteUser(user.id);
      say(successNotice(`User ${user.username} deleted.`));
      if (editing?.id === user.id) fill(null);
      await reload();
    } catch (error) {
      say(errorNotice(error));
    }
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    save.disabled = true;
    const permission = bits.reduce((sum, { bit, box }) => (box.checked ? sum | (1 << bit) : sum), editing ? editing.permission & ~bits.reduce((all, { bit }) => all | (1 << bit), 0) : 0);
    const fields = { username: username.value, password: password.value, base_path: basePath.value, permission, disabled: disabled.checked };
    try {
      if (editing) await updateUser({ id: editing.id, ...fields });
      else await createUser(fields);
      say(successNotice(`User ${fields.username} ${editing ? 'saved' : 'added'}.`));
      fill(null);
      await reload();
    } catch (error) {
      say(errorNotice(error));
    } finally {
      save.disabled = false;
    }
  });

  await reload();
  replaceChildren(main, h('h1', {}, 'Users'), messages,
    h('div', { class: 'table-wrap' },
      h('table', { id: 'users-table', 'data-testid': 'users-table', class: 'table' },
        h('thead', {}, h('tr', {}, ['Username', 'Role', 'Base path', 'May', 'Status', ''].map((title) => h('th', { scope: 'col' }, title)))),
        tbody)),
    form);
}
