/** The host's Google Photos Picker and keep endpoints (admin only). */
import { api, apiPost } from './api.js';

/** -> {session_id, picker_uri, poll_interval_ms, timeout_ms, expire_time, folder_path} */
export function createPickerSession(storageId, label) {
  const body = { storage_id: storageId };
  if (label) body.label = label;
  return apiPost('/api/admin/google/picker/create', body);
}

/** -> {session_id, media_items_set, item_count, expire_time, folder_path} */
export function getPickerSession(storageId, sessionId) {
  return api('/api/admin/google/picker/get', { query: { storage_id: storageId, session_id: sessionId } });
}

/** Deletes the session at Google too. */
export function deletePickerSession(storageId, sessionId) {
  return apiPost('/api/admin/google/picker/delete', { storage_id: storageId, session_id: sessionId });
}

/** Starts copying a session's items; -> {job_id} */
export function keepPickerSession(storageId, sessionId) {
  return apiPost('/api/admin/google/picker/keep', { storage_id: storageId, session_id: sessionId });
}

/** -> [{id, storage_id, session_id, target, status, progress: {total, done, skipped, failed, bytes, current?}, error?, ...}] */
export async function listKeepJobs() {
  const data = await api('/api/admin/keep/jobs');
  if (Array.isArray(data)) return data;
  return Array.isArray(data?.content) ? data.content : [];
}
