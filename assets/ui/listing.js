/** One folder's entries as a list (or grid): checkbox, thumbnail, name, description, size, date, download link. */
import { h } from './dom.js';
import { fileKind, formatDate, itemSize, parseDate } from './format.js';
import { icon } from './icons.js';
import { browserUrl, fileUrl, joinPath } from './paths.js';

function isPlainClick(event) {
  return event.button === 0 && !event.metaKey && !event.ctrlKey && !event.shiftKey && !event.altKey;
}

function thumbnail(item, kind) {
  const box = h('span', { class: `thumb thumb-${kind}` }, icon(kind, { size: 28 }));
  if (item.thumb) {
    const img = h('img', { src: item.thumb, alt: '', loading: 'lazy', decoding: 'async', referrerpolicy: 'no-referrer' });
    img.addEventListener('load', () => box.classList.add('has-image'));
    img.addEventListener('error', () => img.remove());
    box.append(img);
  }
  return box;
}

function details(item) {
  const parts = [];
  const expired = isExpired(item);
  if (expired) parts.push(h('span', { class: 'badge badge-expired', 'data-testid': 'expired-badge' }, 'Expired'));
  if (item.demo) parts.push(h('span', { class: 'badge badge-demo', 'data-testid': 'demo-badge' }, 'Demo'));
  if (item.remark) parts.push(h('span', { class: 'entry-remark', 'data-testid': 'entry-remark' }, item.remark));
  const expires = parseDate(item.expires_at);
  const description = String(item.description ?? '').trim();
  // The badge says "expired" already; a description telling the expiry ("3 items · expires …", in UTC) gets
  // the local time as its tooltip instead of a second line saying the same.
  const onlySaysExpired = expired && /^expired\.?$/i.test(description);
  const tellsExpiry = !onlySaysExpired && /expire/i.test(description);
  if (description && !onlySaysExpired) {
    const node = h('span', { class: 'entry-description', 'data-testid': 'entry-description' }, description);
    if (expires && tellsExpiry) node.title = `${expired ? 'Expired' : 'Expires'} ${formatDate(item.expires_at)}`;
    parts.push(node);
  }
  if (expires && !tellsExpiry) {
    parts.push(
      h('span', { class: 'entry-expires', 'data-testid': 'entry-expires' }, expired ? 'Expired ' : 'Expires ',
        h('time', { datetime: expires.toISOString() }, formatDate(item.expires_at))),
    );
  }
  return parts.length ? h('span', { class: 'entry-details' }, parts) : null;
}

/** A picked session (or item) past its expiry: the storage says so, or its expiry time has passed. */
export function isExpired(item) {
  const expires = parseDate(item.expires_at);
  return item.description === 'expired' || (expires !== null && expires.getTime() <= Date.now());
}

/** The checkbox that selects an entry for Rename, Copy, Move and Remove. */
function selectBox(name, selection) {
  const box = h('input', { type: 'checkbox', class: 'entry-select', 'data-testid': 'entry-select', 'aria-label': `Select ${name}`, checked: selection.has(name) });
  box.addEventListener('change', () => selection.toggle(name, box.checked));
  return box;
}

function entry(item, dirPath, handlers) {
  const path = joinPath(dirPath, item.name);
  const kind = fileKind(item);
  const isDir = kind === 'folder';
  const main = h(
    'a',
    {
      class: 'entry-main',
      href: isDir ? browserUrl(path) : fileUrl(path, { sign: item.sign }),
      'data-testid': 'entry-link',
    },
    thumbnail(item, kind),
    h('span', { class: 'entry-text' }, h('span', { class: 'entry-name', 'data-testid': 'entry-name' }, item.name), details(item)),
  );
  main.addEventListener('click', (event) => {
    if (!isPlainClick(event)) return;
    event.preventDefault();
    if (isDir) handlers.onOpenFolder(path);
    else handlers.onOpenFile(item, path);
  });
  const modified = parseDate(item.modified);
  const extraActions = handlers.entryActions?.(item, path) ?? null;
  const selection = handlers.selection?.() ?? null;
  const classes = ['entry', `entry-${kind}`, isExpired(item) ? 'entry-expired' : '', extraActions ? 'entry-with-actions' : ''];
  return h(
    'li',
    { class: classes.filter(Boolean).join(' '), 'data-testid': 'entry', dataset: { name: item.name, kind } },
    selection ? selectBox(item.name, selection) : null,
    main,
    h('span', { class: 'entry-size', 'data-testid': 'entry-size' }, isDir ? '' : itemSize(item)),
    modified
      ? h('time', { class: 'entry-modified', datetime: modified.toISOString() }, formatDate(item.modified))
      : h('span', { class: 'entry-modified' }, '—'),
    extraActions
      ? h('span', { class: 'entry-action entry-actions' }, extraActions)
      : isDir
      ? h('span', { class: 'entry-action' })
      : h(
          'a',
          {
            class: 'entry-action icon-button',
            href: fileUrl(path, { sign: item.sign }),
            download: item.name,
            'data-testid': 'download',
            'aria-label': `Download ${item.name}`,
            title: 'Download',
          },
          icon('download', { size: 18 }),
        ),
  );
}

export function appendEntries(list, items, dirPath, handlers) {
  list.append(...items.map((item) => entry(item, dirPath, handlers)));
}
