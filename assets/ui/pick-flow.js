/**
 * "Pick from Google Photos": create a Picker session, open Google's picker in a new tab, poll the session
 * as Google's pollingConfig says until the user pressed Done, and delete the session on cancel or timeout.
 */
import { ApiError } from './api.js';
import { createPickerSession, deletePickerSession, getPickerSession } from './picker-api.js';
import { forgetSession, rememberSession } from './picker-memory.js';
import { isWebUrl } from './safe-url.js';

const DEFAULT_POLL_MS = 3000;
const MIN_POLL_MS = 500;
const DEFAULT_TIMEOUT_MS = 30 * 60 * 1000;
// Poll failures that will not heal by asking again.
const FATAL_CODES = new Set(['PICKER_SESSION_EXPIRED', 'NOT_FOUND', 'INSUFFICIENT_SCOPES', 'API_DISABLED', 'INVALID_GRANT']);

export class PickCancelled extends Error {
  constructor(reason) {
    super(reason === 'timeout'
      ? 'Picking took too long and was stopped. Press “Pick from Google Photos” to try again.'
      : 'Picking was cancelled.');
    this.name = 'PickCancelled';
    this.reason = reason;
  }
}

function wait(ms, signal) {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

/** Google's picker page with "/autoclose": the tab closes itself once the user pressed Done. */
export function pickerPageUrl(pickerUri) {
  return `${String(pickerUri).replace(/\/+$/, '')}/autoclose`;
}

/**
 * Must be called from the click handler: the tab is opened before the first await, while the click still
 * counts as a user gesture, so pop-up blockers let it through.
 * `onWaiting({url, opened, expireTime, sessionId})` is called once the session exists (`opened` false: the
 * browser blocked the tab, show `url` as a link). `signal` cancels. Resolves with the finished session
 * {session_id, folder_path, item_count, expire_time}; rejects with PickCancelled or the API's error.
 */
export async function pickFromGooglePhotos(storageId, { label, signal, onWaiting }) {
  const tab = window.open('about:blank', '_blank');
  let session;
  try {
    session = await createPickerSession(storageId, label);
  } catch (error) {
    tab?.close();
    throw error;
  }
  const url = pickerPageUrl(session.picker_uri);
  if (!isWebUrl(url)) {
    tab?.close();
    await deletePickerSession(storageId, session.session_id).catch(() => {});
    throw new Error('Google Photos answered a picker address that is not an http(s) URL; nothing was opened.');
  }
  const opened = Boolean(tab && !tab.closed);
  if (opened) {
    tab.opener = null; // Google's page must not reach back into this one
    tab.location.href = url;
  }
  rememberSession({ storage_id: storageId, ...session });
  onWaiting?.({ url, opened, expireTime: session.expire_time, sessionId: session.session_id });

  const interval = Math.max(MIN_POLL_MS, Number(session.poll_interval_ms) || DEFAULT_POLL_MS);
  const expires = Date.parse(session.expire_time);
  const deadline = Math.min(Date.now() + (Number(session.timeout_ms) || DEFAULT_TIMEOUT_MS), Number.isNaN(expires) ? Infinity : expires);
  try {
    while (!signal.aborted && Date.now() < deadline) {
      await wait(Math.min(interval, Math.max(0, deadline - Date.now())), signal);
      if (signal.aborted) break;
      let state;
      try {
        state = await getPickerSession(storageId, session.session_id);
      } catch (error) {
        if (error instanceof ApiError && (FATAL_CODES.has(error.errorCode) || error.code === 401 || error.code === 403)) throw error;
        continue; // a failed poll is asked again at the next tick
      }
      if (state?.media_items_set) {
        const finished = { ...session, ...state, session_id: session.session_id };
        rememberSession({ storage_id: storageId, ...finished });
        return finished;
      }
    }
  } catch (error) {
    await deletePickerSession(storageId, session.session_id).catch(() => {});
    forgetSession(session.session_id);
    throw error;
  }
  const reason = signal.aborted ? 'cancelled' : 'timeout';
  try {
    await deletePickerSession(storageId, session.session_id);
  } finally {
    forgetSession(session.session_id);
    tab?.close();
  }
  throw new PickCancelled(reason);
}
