/** The settings page: guest access (the built-in guest user), and the address clients reach the server at. */
import { getGuestUser, getSettings, saveSettings, updateUser } from './admin-api.js';
import { h, replaceChildren } from './dom.js';
import { errorNotice, successNotice } from './notices.js';

export async function renderSettings(main) {
  const [settings, guestUser] = await Promise.all([getSettings(), getGuestUser()]);
  const messages = h('div', { 'aria-live': 'polite' });
  const guest = h('input', { type: 'checkbox', id: 'guest-enabled', name: 'guest_enabled', 'data-testid': 'guest-enabled', checked: guestUser ? !guestUser.disabled : false, disabled: !guestUser, 'aria-describedby': 'guest-enabled-help' });
  const siteUrl = h('input', { type: 'url', id: 'site-url', name: 'site_url', 'data-testid': 'site-url', value: settings?.site_url ?? '', placeholder: 'https://files.example.org', spellcheck: 'false', 'aria-describedby': 'site-url-help' });
  const save = h('button', { type: 'submit', class: 'button button-primary', id: 'settings-save', 'data-testid': 'settings-save' }, 'Save');
  const form = h(
    'form',
    { id: 'settings-form', 'data-testid': 'settings-form' },
    h('fieldset', {}, h('legend', {}, 'Access'),
      h('div', { class: 'field field-bool' },
        h('div', { class: 'check' }, guest, h('label', { for: 'guest-enabled' }, 'Guest access')),
        h('p', { class: 'help', id: 'guest-enabled-help' }, 'When on, anyone who can reach this server can browse and download files without logging in, as the built-in guest user (it has no write permissions unless given them through the users API).'))),
    h('fieldset', {}, h('legend', {}, 'Address'),
      h('div', { class: 'field field-string' },
        h('label', { for: 'site-url' }, 'Site URL'),
        siteUrl,
        h('p', { class: 'help', id: 'site-url-help' }, 'Where people reach this server, e.g. behind a reverse proxy. Download links and Google’s redirect address are built on it. Leave empty to use the address the server listens on. The --site-url option (or SITE_URL) overrides it.'))),
    messages,
    h('div', { class: 'form-actions' }, save),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    save.disabled = true;
    try {
      const saved = await saveSettings({ site_url: siteUrl.value });
      if (guestUser) await updateUser({ id: guestUser.id, disabled: !guest.checked });
      siteUrl.value = saved?.site_url ?? siteUrl.value;
      replaceChildren(messages, successNotice(`Saved. Guest access is ${guest.checked ? 'on' : 'off'}.`));
    } catch (error) {
      replaceChildren(messages, errorNotice(error));
    } finally {
      save.disabled = false;
    }
  });
  replaceChildren(main, h('h1', {}, 'Settings'), form);
}
