/** AList's task endpoints (admin): uploads and copies, undone and done, with cancel, retry and clear. */
import { api, apiPost } from './api.js';

export const TASK_TYPES = [
  { type: 'upload', title: 'Uploads' },
  { type: 'copy', title: 'Copies and moves' },
];

/** AList's task states (tache.State). */
export const TASK_STATE = {
  pending: 0, running: 1, succeeded: 2, canceling: 3, canceled: 4, errored: 5, failing: 6, failed: 7, waitingRetry: 8, beforeRetry: 9,
};

const STATE_LABELS = ['Waiting', 'Running', 'Done', 'Cancelling', 'Cancelled', 'Error, will retry', 'Failing', 'Failed', 'Waiting to retry', 'Retrying'];

export function stateLabel(state) {
  return STATE_LABELS[state] ?? `State ${state}`;
}

export function canCancel(state) {
  return [TASK_STATE.pending, TASK_STATE.running, TASK_STATE.waitingRetry, TASK_STATE.beforeRetry, TASK_STATE.errored].includes(state);
}

export function canRetry(state) {
  return [TASK_STATE.failed, TASK_STATE.canceled].includes(state);
}

/** -> [{id, name, state, status, progress (0-100), start_time?, end_time?, total_bytes?, error}] */
export async function listTasks(type, which) {
  const data = await api(`/api/task/${type}/${which === 'done' ? 'done' : 'undone'}`);
  return Array.isArray(data) ? data : [];
}

export function cancelTask(type, id) {
  return apiPost(`/api/task/${type}/cancel?tid=${encodeURIComponent(id)}`);
}

export function retryTask(type, id) {
  return apiPost(`/api/task/${type}/retry?tid=${encodeURIComponent(id)}`);
}

export function clearDoneTasks(type) {
  return apiPost(`/api/task/${type}/clear_done`);
}
