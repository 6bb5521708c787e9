/**
 * The picking sessions this browser created, by folder path. A folder listing does not carry the session id
 * the Keep and Delete calls need, so the id learnt when the session was created is remembered here.
 */
const KEY = 'gphotos-alist.picker-sessions';
const MAX_SESSIONS = 200;
// Expired sessions stay listed (marked expired) until deleted, so their ids are kept a while longer.
const KEEP_AFTER_EXPIRY_MS = 7 * 24 * 3600 * 1000;

function load() {
  try {
    const list = JSON.parse(localStorage.getItem(KEY) || '[]');
    return Array.isArray(list) ? list.filter((entry) => entry && typeof entry.session_id === 'string') : [];
  } catch {
    return [];
  }
}

function store(list) {
  const now = Date.now();
  const fresh = list.filter((entry) => !(Date.parse(entry.expire_time) + KEEP_AFTER_EXPIRY_MS < now));
  localStorage.setItem(KEY, JSON.stringify(fresh.slice(-MAX_SESSIONS)));
}

/** `session`: {storage_id, session_id, folder_path, expire_time}; replaces what was known of the same session. */
export function rememberSession(session) {
  const list = load().filter((entry) => entry.session_id !== session.session_id);
  list.push({
    storage_id: session.storage_id,
    session_id: session.session_id,
    folder_path: session.folder_path ?? '',
    expire_time: session.expire_time ?? '',
  });
  store(list);
}

export function forgetSession(sessionId) {
  store(load().filter((entry) => entry.session_id !== sessionId));
}

/** The remembered session whose folder is at `path`, or undefined. */
export function sessionAtPath(path) {
  return load().findLast((entry) => entry.folder_path === path);
}
