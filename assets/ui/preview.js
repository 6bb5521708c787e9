/** The preview dialog: an image, a seekable video or audio player, or file details, with a download link. */
import { ApiError, apiPost } from './api.js';
import { h, replaceChildren } from './dom.js';
import { fileKind, formatDate, itemSize } from './format.js';
import { errorNotice } from './notices.js';
import { fileUrl } from './paths.js';

const dialog = document.getElementById('preview');
const title = document.getElementById('preview-title');
const body = document.getElementById('preview-body');
const foot = document.getElementById('preview-foot');
let openedPath = null;

function stopMedia() {
  for (const media of body.querySelectorAll('video, audio')) {
    media.pause();
    media.removeAttribute('src');
    media.load();
  }
}

function close() {
  if (dialog.open) dialog.close();
}

dialog.addEventListener('close', () => {
  openedPath = null;
  stopMedia();
  replaceChildren(body);
  replaceChildren(foot);
});
document.getElementById('preview-close').addEventListener('click', close);
// A click on the backdrop (outside the dialog's box) closes it.
dialog.addEventListener('click', (event) => {
  if (event.target === dialog) close();
});

function viewer(kind, url, name) {
  switch (kind) {
    case 'image':
      return h('img', { id: 'preview-image', 'data-testid': 'preview-image', src: url, alt: name });
    case 'video':
      return h('video', { id: 'preview-video', 'data-testid': 'preview-video', src: url, controls: true, preload: 'metadata', playsinline: true });
    case 'audio':
      return h('audio', { id: 'preview-audio', 'data-testid': 'preview-audio', src: url, controls: true, preload: 'metadata' });
    default:
      return h('p', { class: 'preview-none' }, 'No preview for this kind of file. Use the download link.');
  }
}

export async function openPreview(item, path) {
  openedPath = path;
  title.textContent = item.name;
  replaceChildren(body, h('p', { class: 'status-line' }, 'Loading…'));
  replaceChildren(foot);
  if (!dialog.open) dialog.showModal();

  let info;
  try {
    info = await apiPost('/api/fs/get', { path });
  } catch (error) {
    if (openedPath !== path) return;
    replaceChildren(body, errorNotice(error instanceof ApiError ? error : { message: String(error) }, { testId: 'preview-error' }));
    return;
  }
  if (openedPath !== path) return; // another file was opened meanwhile

  const url = info.raw_url || fileUrl(path, { sign: item.sign });
  const kind = fileKind({ ...item, ...info, name: item.name });
  replaceChildren(body, viewer(kind, url, item.name));
  replaceChildren(
    foot,
    h('span', { 'data-testid': 'preview-size' }, itemSize(info.size === undefined ? item : info)),
    h('span', {}, formatDate(info.modified ?? item.modified)),
    h('a', { class: 'button', href: url, download: item.name, 'data-testid': 'preview-download' }, 'Download'),
  );
}
