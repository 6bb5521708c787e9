/** "Keep a copy": copy a picked session's items to the server, showing the job's progress until it ends. */
import { h, replaceChildren } from './dom.js';
import { formatSize } from './format.js';
import { errorNotice } from './notices.js';
import { keepPickerSession, listKeepJobs } from './picker-api.js';

const POLL_MS = 1000;
// The host's default target: the Local storage it mounts at /kept. Any other target may be a folder on disk.
const KEPT_MOUNT = '/kept';

function delay(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function progressText(progress) {
  const total = Number(progress?.total) || 0;
  const done = (Number(progress?.done) || 0) + (Number(progress?.skipped) || 0);
  const parts = [total ? `${done} of ${total} files` : `${done} files`, formatSize(Number(progress?.bytes) || 0)];
  if (progress?.failed) parts.push(`${progress.failed} failed`);
  return parts.join(' · ');
}

function targetLink(target, openFolder) {
  const path = String(target ?? '');
  if (path !== KEPT_MOUNT && !path.startsWith(`${KEPT_MOUNT}/`)) return h('code', {}, path);
  const link = h('a', { href: path.split('/').map(encodeURIComponent).join('/'), 'data-testid': 'keep-target' }, path);
  link.addEventListener('click', (event) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
    event.preventDefault();
    openFolder(path);
  });
  return link;
}

function jobView(job, openFolder) {
  const total = Number(job.progress?.total) || 0;
  const finished = (Number(job.progress?.done) || 0) + (Number(job.progress?.skipped) || 0) + (Number(job.progress?.failed) || 0);
  const bar = h('progress', { max: String(Math.max(total, 1)), value: String(total ? finished : 0), 'aria-label': 'Copy progress' });
  if (job.status === 'running') {
    return h('div', { class: 'notice keep-progress', role: 'status', 'data-testid': 'keep-progress', dataset: { status: 'running' } },
      h('p', {}, 'Keeping a copy… ', h('span', { 'data-testid': 'keep-counts' }, progressText(job.progress))),
      job.progress?.current ? h('p', { class: 'keep-current' }, 'Copying ', job.progress.current) : null,
      bar);
  }
  const failed = job.status === 'failed' || Number(job.progress?.failed) > 0;
  return h('div', { class: `notice ${failed ? 'notice-error' : 'notice-ok'} keep-progress`, role: 'status', 'data-testid': 'keep-progress', dataset: { status: job.status } },
    h('p', {}, job.status === 'done' ? 'Copy kept: ' : 'The copy stopped: ', h('span', { 'data-testid': 'keep-counts' }, progressText(job.progress))),
    job.error ? h('p', { class: 'error-message' }, job.error) : null,
    h('p', {}, 'Kept in ', targetLink(job.target, openFolder)),
    bar);
}

/** Shows `jobId`'s progress in `box` until the job ends; resolves with the last job seen. */
export async function watchKeepJob(box, jobId, { openFolder }) {
  for (;;) {
    let job;
    try {
      job = (await listKeepJobs()).find((candidate) => candidate.id === jobId);
    } catch (error) {
      if (!box.isConnected) return undefined;
      replaceChildren(box, errorNotice(error, { testId: 'keep-error' }));
      await delay(POLL_MS);
      continue;
    }
    if (!box.isConnected) return job;
    if (!job) {
      replaceChildren(box, errorNotice({ message: 'The copy job is no longer known to the server. Press “Keep a copy” again to resume.' }, { testId: 'keep-error' }));
      return undefined;
    }
    replaceChildren(box, jobView(job, openFolder));
    if (job.status !== 'running') return job;
    await delay(POLL_MS);
  }
}

/** Starts keeping a copy (or joins the copy already running) and shows its progress in `box`. */
export async function runKeep(box, { storageId, sessionId, openFolder }) {
  replaceChildren(box, h('div', { class: 'notice', role: 'status', 'data-testid': 'keep-starting' }, h('p', {}, 'Starting the copy…')));
  let jobId;
  try {
    ({ job_id: jobId } = await keepPickerSession(storageId, sessionId));
  } catch (error) {
    replaceChildren(box, errorNotice(error, { testId: 'keep-error' }));
    return undefined;
  }
  return watchKeepJob(box, jobId, { openFolder });
}

/** The newest job keeping this session, if any (to show a copy that runs since before the page loaded). */
export async function latestKeepJob(storageId, sessionId) {
  const jobs = await listKeepJobs().catch(() => []);
  return jobs
    .filter((job) => String(job.storage_id) === String(storageId) && job.session_id === sessionId)
    .sort((a, b) => String(b.started_at).localeCompare(String(a.started_at)))[0];
}
