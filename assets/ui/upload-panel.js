/**
 * Uploads: files from the Upload button or dropped on the page go to the folder shown, two at a time, each with
 * its own progress bar, under a total for the batch. Failures show the server's message and hint on their row.
 */
import { h, replaceChildren } from './dom.js';
import { formatSize } from './format.js';
import { errorParagraphs } from './notices.js';
import { joinPath } from './paths.js';
import { entryExists, uploadFile } from './fs-api.js';

const PARALLEL_UPLOADS = 2;

function fileRow(file) {
  const bar = h('progress', { max: String(Math.max(file.size, 1)), value: '0', 'aria-label': `Upload progress of ${file.name}` });
  const state = h('span', { class: 'upload-state', 'data-testid': 'upload-state' }, 'Waiting');
  const cancel = h('button', { type: 'button', class: 'button button-small', 'data-testid': 'upload-cancel', 'aria-label': `Cancel uploading ${file.name}` }, 'Cancel');
  const problem = h('div', { class: 'upload-problem' });
  const row = h('li', { class: 'upload-row', 'data-testid': 'upload-row', dataset: { name: file.name, status: 'waiting' } },
    h('span', { class: 'upload-name' }, file.name),
    h('span', { class: 'upload-size' }, formatSize(file.size)),
    state, cancel, bar, problem);
  return { file, row, bar, state, cancel, problem, sent: 0, abort: null, cancelled: false };
}

/** `onDone(dir)` runs once a batch has settled, and after each replaced file (e.g. to list the folder again). */
export function createUploader({ panel, onDone, openTasks }) {
  /** A file of the same name is there: nothing was sent; the row offers to replace it. */
  function alreadyThere(item) {
    item.row.dataset.status = 'exists';
    item.state.textContent = 'Already here';
    const replace = h('button', { type: 'button', class: 'button button-small', 'data-testid': 'upload-replace', 'aria-label': `Replace ${item.file.name}` }, 'Replace');
    replace.addEventListener('click', () => item.replace());
    replaceChildren(item.problem, h('p', { class: 'upload-exists' }, 'A file with this name is already in the folder. ', replace));
    return 'exists';
  }

  /** Sends one file: -> 'done' | 'failed' | 'exists'. */
  async function send(item, dir, { asTask, overwrite = false }) {
    if (item.cancelled) return 'failed';
    item.row.dataset.status = 'sending';
    item.state.textContent = 'Sending…';
    replaceChildren(item.problem);
    const path = joinPath(dir, item.file.name);
    // Asked first, so that a large file is not sent only to be refused (the server checks again).
    if (!overwrite && (await entryExists(path))) {
      item.cancel.remove();
      return alreadyThere(item);
    }
    const upload = uploadFile(path, item.file, {
      asTask,
      overwrite,
      onProgress: (sent) => {
        item.sent = sent;
        item.bar.value = String(sent);
        item.state.textContent = `${Math.floor((sent / Math.max(item.file.size, 1)) * 100)}%`;
        item.onProgress();
      },
    });
    item.abort = upload.abort;
    try {
      const data = await upload.promise;
      item.sent = item.file.size;
      item.bar.value = item.bar.max;
      const queued = Boolean(data?.task);
      item.row.dataset.status = queued ? 'queued' : 'done';
      item.state.textContent = queued ? 'Sent, finishing as a task' : 'Done';
      return 'done';
    } catch (error) {
      if (!item.cancelled && error?.errorCode === 'EXISTS') return alreadyThere(item);
      item.row.dataset.status = item.cancelled ? 'cancelled' : 'failed';
      item.state.textContent = item.cancelled ? 'Cancelled' : 'Failed';
      if (!item.cancelled) replaceChildren(item.problem, errorParagraphs(error));
      return 'failed';
    } finally {
      item.cancel.remove();
      item.onProgress();
    }
  }

  /** Uploads `files` into `dir`; resolves when every file has finished or failed. */
  async function upload(files, dir, { asTask = false } = {}) {
    if (files.length === 0) return;
    const items = files.map(fileRow);
    const totalBytes = items.reduce((sum, item) => sum + item.file.size, 0);
    const totalBar = h('progress', { max: String(Math.max(totalBytes, 1)), value: '0', 'aria-label': 'Total upload progress' });
    const totalText = h('span', { 'data-testid': 'upload-total-text' });
    const dismiss = h('button', { type: 'button', class: 'button button-small', 'data-testid': 'upload-dismiss', hidden: true }, 'Close');
    const tasksLink = asTask && openTasks ? h('button', { type: 'button', class: 'button button-small', onclick: openTasks }, 'Tasks') : null;
    const total = h('div', { class: 'upload-total', 'data-testid': 'upload-total', dataset: { status: 'running' } },
      h('p', { class: 'upload-total-head' }, h('span', {}, `Uploading to ${dir}: `), totalText, tasksLink, dismiss),
      totalBar);
    const batch = h('section', { class: 'upload-batch notice', 'data-testid': 'upload-batch', 'aria-label': `Uploads to ${dir}` },
      total, h('ul', { class: 'upload-rows' }, items.map((item) => item.row)));
    const settled = { done: 0, failed: 0, exists: 0 };
    const describe = () => {
      const sent = items.reduce((sum, item) => sum + item.sent, 0);
      totalBar.value = String(sent);
      const finished = settled.done + settled.failed + settled.exists;
      totalText.textContent = `${finished} of ${items.length} file${items.length === 1 ? '' : 's'} · ${formatSize(sent)} of ${formatSize(totalBytes)}` +
        (settled.exists ? ` · ${settled.exists} already here` : '') + (settled.failed ? ` · ${settled.failed} failed` : '');
    };
    const run = async (item, options) => {
      settled[await send(item, dir, { asTask, ...options })] += 1;
      describe();
    };
    let running = true;
    const conclude = () => {
      if (running) return; // the batch concludes once its last file is settled
      const status = settled.failed ? 'failed' : settled.exists ? 'exists' : 'done';
      total.dataset.status = status;
      batch.classList.toggle('notice-error', status === 'failed');
      batch.classList.toggle('notice-ok', status === 'done');
      totalBar.value = totalBar.max;
      dismiss.hidden = false;
    };
    for (const item of items) {
      item.onProgress = describe;
      item.replace = async () => {
        settled.exists -= 1;
        if (!running) total.dataset.status = 'running';
        await run(item, { overwrite: true });
        conclude();
        await onDone?.(dir);
      };
      item.cancel.addEventListener('click', () => {
        item.cancelled = true;
        if (item.abort) item.abort();
        else {
          item.row.dataset.status = 'cancelled';
          item.state.textContent = 'Cancelled';
          item.cancel.remove();
        }
      });
    }
    describe();
    panel.prepend(batch);
    panel.hidden = false;

    const queue = [...items];
    const worker = async () => {
      for (let item = queue.shift(); item; item = queue.shift()) await run(item, {});
    };
    dismiss.addEventListener('click', () => {
      batch.remove();
      panel.hidden = !panel.hasChildNodes();
    });
    await Promise.all(Array.from({ length: Math.min(PARALLEL_UPLOADS, items.length) }, worker));
    running = false;
    conclude();
    await onDone?.(dir);
  }

  return { upload };
}

/**
 * Dropping files on `zone` uploads them (while `accepts()` says the folder takes uploads). Folders in the
 * drop are skipped: `onFiles(files, skippedFolders)`.
 */
export function enableDrop(zone, { accepts, onFiles }) {
  let depth = 0;
  const carriesFiles = (event) => Array.from(event.dataTransfer?.types ?? []).includes('Files');
  const clear = () => {
    depth = 0;
    zone.classList.remove('drop-active');
  };
  zone.addEventListener('dragenter', (event) => {
    if (!carriesFiles(event) || !accepts()) return;
    depth += 1;
    zone.classList.add('drop-active');
  });
  zone.addEventListener('dragover', (event) => {
    if (!carriesFiles(event) || !accepts()) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
  });
  zone.addEventListener('dragleave', () => {
    depth = Math.max(0, depth - 1);
    if (depth === 0) zone.classList.remove('drop-active');
  });
  zone.addEventListener('drop', (event) => {
    if (!carriesFiles(event) || !accepts()) return clear();
    event.preventDefault();
    clear();
    const files = [];
    let skippedFolders = 0;
    const items = Array.from(event.dataTransfer.items ?? []).filter((item) => item.kind === 'file');
    Array.from(event.dataTransfer.files).forEach((file, index) => {
      const entry = items[index]?.webkitGetAsEntry?.();
      if (entry?.isDirectory) skippedFolders += 1;
      else files.push(file);
    });
    onFiles(files, skippedFolders);
  });
}
