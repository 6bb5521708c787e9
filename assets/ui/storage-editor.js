/** Add or edit a storage: the common fields plus the form generated from the driver's config items. */
import { createStorage, driverInfo, driverNames, getStorage, parseAddition, updateStorage } from './admin-api.js';
import { h, replaceChildren } from './dom.js';
import { buildFields } from './form.js';
import { errorNotice } from './notices.js';

const DEFAULT_DRIVER = 'GooglePhoto';

const COMMON_ITEMS = [
  { name: 'mount_path', type: 'string', required: true, help: 'Where the storage appears in the file tree, e.g. /photos.' },
  { name: 'order', type: 'number', default: '0', help: 'Storages with a smaller order are listed first.' },
  { name: 'remark', type: 'text', help: 'A note for administrators; shown next to the storage.' },
  { name: 'cache_expiration', type: 'number', default: '30', help: 'Minutes a folder listing is cached. 0 turns the cache off.' },
  { name: 'disabled', type: 'bool', default: 'false', help: 'A disabled storage keeps its settings but is not mounted.' },
];

/** AList's storage options this form offers, in this order, with what each does here (the driver's info says which apply). */
const OPTION_HELP = {
  web_proxy: 'Downloads (/d/ links) stream through this server instead of redirecting the browser to the storage.',
  webdav_policy: 'WebDAV downloads: 302_redirect sends clients to the storage, native_proxy streams through this server, use_proxy_url goes to the download proxy URL.',
  down_proxy_url: 'An external download proxy: downloads this server would stream go to <url>/<path>?sign=… instead. Must start with http:// or https://.',
  enable_sign: 'Downloads of this storage need a signed link (?sign=…), even for signed-in users.',
  order_by: 'Sort listings by name, size or modified time (empty: the storage’s own order). A sorted folder is read whole before its first page.',
  order_direction: 'Ascending or descending.',
  extract_folder: 'Put folders before (front) or after (back) the files.',
};

function optionItems(info) {
  const common = Array.isArray(info?.common) ? info.common : [];
  return Object.keys(OPTION_HELP)
    .map((name) => common.find((item) => item.name === name))
    .filter(Boolean)
    .map((item) => ({ ...item, help: OPTION_HELP[item.name] }));
}

function readCommon(common) {
  const values = common.read();
  return {
    mount_path: '/' + String(values.mount_path ?? '').trim().replace(/^\/+/, '').replace(/\/+$/, ''),
    order: Number.isFinite(values.order) ? values.order : 0,
    remark: values.remark ?? '',
    cache_expiration: Number.isFinite(values.cache_expiration) ? values.cache_expiration : 30,
    disabled: values.disabled === true,
  };
}

/** The driver's settings and the storage options it allows; `read()` gives `{ addition, options }`. */
async function renderDriverFields(container, driver, { values, options, editing }) {
  replaceChildren(container, h('p', { class: 'status-line' }, 'Loading the driver’s settings…'));
  const info = await driverInfo(driver);
  const items = Array.isArray(info?.additional) ? info.additional : [];
  const fields = buildFields(items, { values, editing });
  const optionFields = buildFields(optionItems(info), { values: options, editing, idPrefix: 'storage-' });
  replaceChildren(
    container,
    h('fieldset', { 'data-testid': 'driver-fields', dataset: { driver } }, h('legend', {}, `${driver} settings`), fields.element),
    h('fieldset', { 'data-testid': 'storage-options' }, h('legend', {}, 'Downloads and listings'), optionFields.element),
  );
  return { read: () => ({ addition: fields.read(), options: optionFields.read() }) };
}

/** `id` undefined: add a new storage. */
export async function renderStorageEditor(main, { id, navigate }) {
  const editing = id !== undefined;
  replaceChildren(main, h('p', { class: 'status-line' }, 'Loading…'));

  const [storage, names] = await Promise.all([editing ? getStorage(id) : null, editing ? [] : driverNames()]);
  const commonValues = editing
    ? { mount_path: storage.mount_path, order: storage.order, remark: storage.remark, cache_expiration: storage.cache_expiration, disabled: storage.disabled }
    : {};
  const common = buildFields(COMMON_ITEMS, { values: commonValues, editing, idPrefix: 'storage-' });
  let driver = editing ? storage.driver : names.includes(DEFAULT_DRIVER) ? DEFAULT_DRIVER : names[0];

  const driverPicker = editing
    ? h('p', { class: 'field' }, 'Driver: ', h('strong', { 'data-testid': 'driver-name' }, driver))
    : h(
        'div',
        { class: 'field' },
        h('label', { for: 'driver-select' }, 'Driver'),
        h('select', { id: 'driver-select', name: 'driver', 'data-testid': 'driver-select' },
          names.map((name) => h('option', { value: name, selected: name === driver }, name))),
      );
  const driverBox = h('div', {});
  const messages = h('div', { id: 'storage-form-messages' });
  const saveButton = h('button', { type: 'submit', class: 'button button-primary', id: 'storage-save', 'data-testid': 'storage-save' }, editing ? 'Save' : 'Add storage');
  const form = h(
    'form',
    { id: 'storage-form', 'data-testid': 'storage-form', class: 'storage-form' },
    h('fieldset', {}, h('legend', {}, 'Storage'), driverPicker, common.element),
    driverBox,
    messages,
    h('div', { class: 'form-actions' },
      saveButton,
      h('button', { type: 'button', class: 'button', onclick: () => navigate('/@manage/storages') }, 'Cancel')),
  );
  replaceChildren(main, h('h1', {}, editing ? `Edit storage ${storage.mount_path}` : 'Add a storage'), form);

  let driverFields = null;
  const stored = editing ? { values: parseAddition(storage.addition), options: storage } : { values: {}, options: {} };
  if (driver) driverFields = await renderDriverFields(driverBox, driver, { ...stored, editing });
  if (!editing) {
    form.querySelector('#driver-select').addEventListener('change', async (event) => {
      driver = event.target.value;
      driverFields = null;
      try {
        driverFields = await renderDriverFields(driverBox, driver, { values: {}, options: {}, editing: false });
      } catch (error) {
        replaceChildren(driverBox, errorNotice(error));
      }
    });
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    replaceChildren(messages);
    if (!form.reportValidity()) return;
    if (!driverFields) {
      replaceChildren(messages, errorNotice({ message: 'Choose a driver first.' }));
      return;
    }
    const { addition, options } = driverFields.read();
    const body = { ...readCommon(common), ...options, driver, addition: JSON.stringify(addition) };
    saveButton.disabled = true;
    try {
      if (editing) await updateStorage({ ...body, id: storage.id });
      else await createStorage(body);
      navigate('/@manage/storages', { flash: `Storage ${body.mount_path} saved.` });
    } catch (error) {
      replaceChildren(messages, errorNotice(error));
      saveButton.disabled = false;
    }
  });
}
