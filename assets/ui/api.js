/** Talks to the host's JSON API: the {code, message, data} envelope, the auth token and the 401 -> login rule. */
const TOKEN_KEY = 'gphotos-alist.token';
const DEFAULT_TIMEOUT_MS = 30000;

export class ApiError extends Error {
  constructor(envelope, httpStatus) {
    super(envelope?.message || `Request failed (HTTP ${httpStatus})`);
    this.name = 'ApiError';
    this.code = envelope?.code ?? httpStatus;
    this.httpStatus = httpStatus;
    // Hosts put the fix in one of these places; show whichever is there.
    this.hint = envelope?.hint ?? envelope?.data?.hint ?? envelope?.data?.error?.hint ?? envelope?.error?.hint ?? '';
    this.errorCode = envelope?.data?.code ?? envelope?.data?.error?.code ?? envelope?.error?.code ?? '';
  }
}

export function getToken() {
  return localStorage.getItem(TOKEN_KEY) ?? '';
}

export function setToken(token) {
  localStorage.setItem(TOKEN_KEY, token);
}

export function clearToken() {
  localStorage.removeItem(TOKEN_KEY);
}

/** Where to log in and come back to `returnTo` (the current page by default). */
export function loginUrl(returnTo = location.pathname + location.search) {
  return `/@login?redirect=${encodeURIComponent(returnTo)}`;
}

export function goToLogin() {
  location.assign(loginUrl());
}

/**
 * Call the API. Resolves with `data`; rejects with ApiError. A 401 clears the token and sends the
 * browser to the login page (unless `redirectOn401` is false, as on the login page itself).
 */
export async function api(path, { method = 'GET', body, query, redirectOn401 = true, timeoutMs = DEFAULT_TIMEOUT_MS } = {}) {
  const url = new URL(path, location.origin);
  for (const [key, value] of Object.entries(query ?? {})) url.searchParams.set(key, String(value));
  const headers = { Accept: 'application/json' };
  const token = getToken();
  if (token) headers.Authorization = token;
  if (body !== undefined) headers['Content-Type'] = 'application/json';

  let response;
  try {
    response = await fetch(url, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (cause) {
    const timedOut = cause?.name === 'TimeoutError';
    throw new ApiError({ code: 0, message: timedOut ? 'The server did not answer in time.' : 'Cannot reach the server.' }, 0);
  }

  let envelope;
  try {
    envelope = await response.json();
  } catch {
    envelope = undefined;
  }
  return settleEnvelope(envelope, response.status, { redirectOn401 });
}

/**
 * The `data` of a parsed answer (undefined when it was not JSON), or throws its ApiError. Shared by fetch
 * and the XMLHttpRequest that uploads (fetch cannot tell upload progress).
 */
export function settleEnvelope(parsed, httpStatus, { redirectOn401 = true } = {}) {
  const ok = httpStatus >= 200 && httpStatus < 300;
  const envelope = parsed ?? { code: httpStatus, message: `Unexpected answer from the server (HTTP ${httpStatus}).` };
  const code = typeof envelope?.code === 'number' ? envelope.code : httpStatus;
  if (code === 401 || httpStatus === 401) {
    if (redirectOn401) {
      clearToken();
      goToLogin();
    }
    throw new ApiError({ ...envelope, code: 401 }, httpStatus);
  }
  if (code !== 200 || !ok) throw new ApiError({ ...envelope, code }, httpStatus);
  return envelope.data;
}

export function apiPost(path, body, options = {}) {
  return api(path, { ...options, method: 'POST', body: body ?? {} });
}

/** AList's roles, as /api/me answers them. */
export const ROLE = { GENERAL: 0, GUEST: 1, ADMIN: 2 };

export function isAdminUser(user) {
  return user?.role === ROLE.ADMIN;
}

/** Nobody logged in: no user (the guest user is disabled), or the guest user. */
export function isGuestUser(user) {
  return !user || user.role === ROLE.GUEST;
}

/** The logged-in user, the guest user without a token, or null when the guest user is disabled. */
export async function currentUser() {
  try {
    return await api('/api/me', { redirectOn401: false });
  } catch (error) {
    if (error instanceof ApiError && error.code === 401) {
      clearToken();
      return null;
    }
    throw error;
  }
}
