/** The settings page: guest access. */
import { getSettings, saveSettings } from './admin-api.js';
import { h, replaceChildren } from './dom.js';
import { errorNotice, successNotice } from './notices.js';

export async function renderSettings(main) {
  const settings = await getSettings();
  const messages = h('div', { 'aria-live': 'polite' });
  const guest = h('input', { type: 'checkbox', id: 'guest-enabled', name: 'guest_enabled', 'data-testid': 'guest-enabled', checked: settings?.guest_enabled === true, 'aria-describedby': 'guest-enabled-help' });
  const save = h('button', { type: 'submit', class: 'button button-primary', id: 'settings-save', 'data-testid': 'settings-save' }, 'Save');
  const form = h(
    'form',
    { id: 'settings-form', 'data-testid': 'settings-form' },
    h('fieldset', {}, h('legend', {}, 'Access'),
      h('div', { class: 'field field-bool' },
        h('div', { class: 'check' }, guest, h('label', { for: 'guest-enabled' }, 'Guest access')),
        h('p', { class: 'help', id: 'guest-enabled-help' }, 'When on, anyone who can reach this server can browse and download files without logging in.'))),
    messages,
    h('div', { class: 'form-actions' }, save),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    save.disabled = true;
    try {
      await saveSettings({ guest_enabled: guest.checked });
      replaceChildren(messages, successNotice(`Guest access is ${guest.checked ? 'on' : 'off'}.`));
    } catch (error) {
      replaceChildren(messages, errorNotice(error));
    } finally {
      save.disabled = false;
    }
  });
  replaceChildren(main, h('h1', {}, 'Settings'), form);
}
