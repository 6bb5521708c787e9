/** Turns a driver's config items into form fields, and the filled form back into a settings object. */
import { h } from './dom.js';

const MASK = '******';
const ACRONYMS = new Set(['id', 'url', 'api', 'uri', 'ip', 'oauth']);

/** "api_base_url" -> "API base URL" (the field's own name stays in the input's name attribute). */
export function labelFor(name) {
  const words = String(name).split(/[_\s]+/).filter(Boolean).map((word) => (ACRONYMS.has(word.toLowerCase()) ? word.toUpperCase() : word));
  if (words.length === 0) return String(name);
  const first = words[0];
  words[0] = first === first.toUpperCase() ? first : first[0].toUpperCase() + first.slice(1);
  return words.join(' ');
}

/** The choices of a select; one that is optional with no default may also be left empty. */
function optionList(item) {
  const { options } = item;
  const list = Array.isArray(options) ? options.map(String) : String(options ?? '').split(',').map((option) => option.trim()).filter(Boolean);
  return !item.required && (item.default ?? '') === '' ? ['', ...list] : list;
}

function asBool(value) {
  return value === true || value === 'true' || value === 1 || value === '1';
}

function hasValue(value) {
  return value !== undefined && value !== null && value !== '';
}

function control(item, id, value, { editing, storedSecret }) {
  const common = { id, name: item.name, 'data-testid': `field-${item.name}` };
  if (item.secret) {
    let placeholder = item.required ? 'Required' : '';
    if (editing && storedSecret) placeholder = 'Stored: leave empty to keep the current value';
    else if (editing) placeholder = 'Not set';
    // Never pre-filled: the stored secret does not come back to the browser.
    return h('input', { ...common, type: 'password', autocomplete: 'new-password', placeholder, 'aria-required': item.required ? 'true' : undefined });
  }
  const required = item.required ? true : undefined;
  switch (item.type) {
    case 'bool':
      return h('input', { ...common, type: 'checkbox', checked: asBool(value) });
    case 'number':
      return h('input', { ...common, type: 'number', step: 'any', value: hasValue(value) ? String(value) : '', required });
    case 'text':
      return h('textarea', { ...common, rows: 4, value: hasValue(value) ? String(value) : '', required });
    case 'select': {
      const options = optionList(item);
      const current = hasValue(value) ? String(value) : options[0];
      return h('select', { ...common, required }, options.map((option) => h('option', { value: option, selected: option === current }, option || '—')));
    }
    default:
      return h('input', { ...common, type: 'text', value: hasValue(value) ? String(value) : '', required, spellcheck: 'false' });
  }
}

/**
 * Fields for `items`. `values` pre-fills them (the stored settings when editing, else each item's default).
 * Returns the fields' container and `read()`, which gives the settings object to send.
 */
export function buildFields(items, { values = {}, editing = false, idPrefix = 'field-' } = {}) {
  const fields = items.map((item) => {
    const id = `${idPrefix}${item.name}`;
    const helpId = `${id}-help`;
    const stored = editing ? values[item.name] : undefined;
    const value = editing && stored !== undefined ? stored : item.default; // a setting added later shows its default
    const storedSecret = item.secret && (stored === MASK || hasValue(stored));
    const input = control(item, id, value, { editing, storedSecret });
    if (item.help) input.setAttribute('aria-describedby', helpId);
    const mark = item.required ? h('span', { class: 'required-mark', title: 'required' }, ' *') : null;
    const label = h('label', { for: id }, labelFor(item.name), mark);
    const help = item.help ? h('p', { class: 'help', id: helpId }, item.help) : null;
    const field = item.type === 'bool' && !item.secret
      ? h('div', { class: 'field field-bool' }, h('div', { class: 'check' }, input, label), help)
      : h('div', { class: `field field-${item.type ?? 'string'}` }, label, input, help);
    return { item, input, field };
  });

  function read() {
    const settings = {};
    for (const { item, input } of fields) {
      if (item.secret) settings[item.name] = input.value;
      else if (item.type === 'bool') settings[item.name] = input.checked;
      else if (item.type === 'number') {
        if (input.value.trim() !== '') settings[item.name] = Number(input.value);
      } else settings[item.name] = input.value;
    }
    return settings;
  }

  return { element: h('div', { class: 'fields' }, fields.map((entry) => entry.field)), read };
}
