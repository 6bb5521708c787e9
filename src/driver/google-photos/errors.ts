import { DriverError, type DriverErrorCode } from '../../types/errors.js';
import { DRIVER_SCOPES, SCOPES } from './scopes.js';

/**
 * Everything known about one failed call, already free of secrets: what the driver keeps as a DriverError's cause.
 * This file is the only one that knows the shapes of Google's error answers.
 */
export interface GoogleFailure {
  /** Which call failed, e.g. "mediaItems.list" or "token (refresh)". */
  endpoint: string;
  method: string;
  /** The URL without secret query parameters. */
  url: string;
  status?: number;
  /** Google's answer body, with any secret of the request blanked out. */
  body?: unknown;
  /** e.g. ECONNRESET, ETIMEDOUT, ECONNABORTED (timeout). */
  networkCode?: string;
  networkMessage?: string;
  retryAfter?: string;
  /** The album or media item id the call was about: a 400/404 about it means it does not exist. */
  subjectId?: string;
}

interface RpcStatus {
  code?: number;
  message: string;
  status?: string;
  details: Array<Record<string, unknown>>;
}

interface OAuthError {
  error: string;
  description?: string;
}

const TRANSIENT_STATUSES = new Set([500, 502, 503, 504]);
const TRANSIENT_NETWORK_CODES = new Set([
  'ECONNRESET', 'ETIMEDOUT', 'ECONNABORTED', 'ECONNREFUSED', 'EPIPE', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH',
  'ERR_NETWORK', 'ERR_SOCKET_CONNECTION_TIMEOUT',
]);

const REAUTHORIZE = 'Re-authorize the storage with the "Authorize with Google" button in the admin page (or `gphotos-alist auth`) and save the new refresh token.';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function rpcStatusOf(body: unknown): RpcStatus | undefined {
  if (!isRecord(body) || !isRecord(body.error)) return undefined;
  const error = body.error;
  return {
    code: typeof error.code === 'number' ? error.code : undefined,
    message: typeof error.message === 'string' ? error.message : '',
    status: typeof error.status === 'string' ? error.status : undefined,
    details: Array.isArray(error.details) ? error.details.filter(isRecord) : [],
  };
}

function oauthErrorOf(body: unknown): OAuthError | undefined {
  if (!isRecord(body) || typeof body.error !== 'string') return undefined;
  return {
    error: body.error,
    description: typeof body.error_description === 'string' ? body.error_description : undefined,
  };
}

function detailOfType(status: RpcStatus, type: string): Record<string, unknown> | undefined {
  return status.details.find((detail) => detail['@type'] === `type.googleapis.com/google.rpc.${type}`);
}

function errorInfoReason(status: RpcStatus): string | undefined {
  const reason = detailOfType(status, 'ErrorInfo')?.reason;
  return typeof reason === 'string' ? reason : undefined;
}

function isDailyQuota(status: RpcStatus | undefined): boolean {
  if (!status) return false;
  const metadata = detailOfType(status, 'ErrorInfo')?.metadata;
  const limit = isRecord(metadata) && typeof metadata.quota_limit === 'string' ? metadata.quota_limit : '';
  return /per\s*day/i.test(status.message) || /perday/i.test(limit);
}

/** Whether another attempt may succeed: server errors, network errors, per-minute quota. */
export function isTransientFailure(failure: GoogleFailure): boolean {
  if (failure.status === undefined) return failure.networkCode !== undefined && TRANSIENT_NETWORK_CODES.has(failure.networkCode);
  if (TRANSIENT_STATUSES.has(failure.status)) return true;
  return failure.status === 429 && !isDailyQuota(rpcStatusOf(failure.body));
}

/** Where to enable a disabled API: ErrorInfo's activationUrl, else the Help link, else the URL in the message. */
function activationUrl(status: RpcStatus): string | undefined {
  const metadata = detailOfType(status, 'ErrorInfo')?.metadata;
  if (isRecord(metadata) && typeof metadata.activationUrl === 'string') return metadata.activationUrl;
  const links = detailOfType(status, 'Help')?.links;
  if (Array.isArray(links)) {
    const link = links.find((entry) => isRecord(entry) && typeof entry.url === 'string') as { url: string } | undefined;
    if (link) return link.url;
  }
  return status.message.match(/https:\/\/console\.(?:developers|cloud)\.google\.com\/\S+/)?.[0].replace(/[.,;)]+$/, '');
}

const PICKER_API_TITLE = 'Google Photos Picker API';
const PICKER_API_LIBRARY_PAGE = 'https://console.cloud.google.com/apis/library/photospicker.googleapis.com';

function disabledApiTitle(status: RpcStatus, picker: boolean): string {
  const metadata = detailOfType(status, 'ErrorInfo')?.metadata;
  const service = isRecord(metadata) && typeof metadata.service === 'string' ? metadata.service : '';
  if (service.startsWith('photospicker') || /Picker API/i.test(status.message)) return PICKER_API_TITLE;
  if (service.startsWith('photoslibrary') || /Library API/i.test(status.message)) return 'Photos Library API';
  return picker ? PICKER_API_TITLE : 'Photos Library API';
}

function isApiDisabled(status: RpcStatus): boolean {
  return errorInfoReason(status) === 'SERVICE_DISABLED' || /has not been used in project .* or it is disabled/i.test(status.message);
}

function isInsufficientScopes(status: RpcStatus): boolean {
  return errorInfoReason(status) === 'ACCESS_TOKEN_SCOPE_INSUFFICIENT' || /insufficient authentication scopes/i.test(status.message);
}

const SCOPES_HINT = `${REAUTHORIZE} On Google's consent screen tick every Google Photos permission. This driver needs the scopes ${DRIVER_SCOPES.join(', ')}. `
  + 'A refresh token minted with the old `photoslibrary` scope (e.g. by AList or rclone before 2025) stopped working on 2025-03-31, when Google removed that scope.';

const PICKER_SCOPE_HINT = `${REAUTHORIZE} On Google's consent screen tick every Google Photos permission, including "View the photos and videos you select": `
  + `picking needs the scope photospicker.mediaitems.readonly (${SCOPES.picker}), together with the Library scopes. `
  + 'A refresh token authorized before this driver asked for it lacks that scope.';

/** What to do when a picking session is over; the host offers "Keep a copy" to save items before that. */
export const PICKER_SESSION_EXPIRED_HINT = 'Picked items are only reachable until their session expires: pick them again with "Pick from Google Photos" '
  + '(or `gphotos-alist pick`). Next time use "Keep a copy" on the session folder in time to keep the photos after it expires.';

export const PICKER_NOT_READY_HINT = 'The items have not been picked yet: finish picking in the Google Photos tab and press Done, then open the folder again.';

const INVALID_GRANT_HINT = `The refresh token was revoked or has expired. ${REAUTHORIZE} `
  + 'If this happens again after about a week, your OAuth consent screen is still in "Testing" publishing status: '
  + 'Google expires the refresh tokens of such apps after 7 days. Publish the app ("In production") in the Google Cloud console, then authorize once more.';

const INVALID_CLIENT_HINT = 'Check client_id and client_secret: they must be the ID and secret of one OAuth client (type "Desktop app") '
  + 'of your Google Cloud project, copied without spaces, and the client must not have been deleted.';

const SHARED_ALBUMS_HINT = 'Google removed third-party access to shared albums on 2025-03-31 (the photoslibrary.sharing scope); '
  + 'the share_albums folder stays empty for every app. Use an album created by this app or pick items with the Google Photos Picker.';

const NO_ALBUM_PERMISSION = /No permission to add media items to this album/i;
const OTHER_APPS_ALBUM_HINT = 'Google lets an app add photos only to albums that the same app created; this album was made in Google Photos '
  + 'or by another app. Upload into an album created through this storage (a new folder inside Albums), or into All media.';

interface Translation {
  code: DriverErrorCode;
  hint: string;
}

function translateOAuth(error: OAuthError, failure: GoogleFailure): Translation {
  switch (error.error) {
    case 'invalid_grant':
      return { code: 'INVALID_GRANT', hint: INVALID_GRANT_HINT };
    case 'invalid_client':
    case 'unauthorized_client':
      return { code: 'INVALID_CLIENT', hint: INVALID_CLIENT_HINT };
    case 'invalid_scope':
      return { code: 'INSUFFICIENT_SCOPES', hint: SCOPES_HINT };
    default:
      if (failure.status === 429) return { code: 'QUOTA_EXCEEDED', hint: 'Too many token requests; wait a minute and retry.' };
      if (failure.status !== undefined && failure.status >= 500) return { code: 'UPSTREAM_UNAVAILABLE', hint: 'Google\'s token endpoint failed; retry later.' };
      return { code: 'INVALID_ARGUMENT', hint: `Google's token endpoint rejected the request. ${REAUTHORIZE}` };
  }
}

function translateStatus(status: RpcStatus | undefined, failure: GoogleFailure): Translation {
  const http = failure.status ?? 0;
  const rpc = status?.status;
  const picker = failure.endpoint.startsWith('picker.');
  if (failure.endpoint === 'sharedAlbums.list' && (http === 403 || rpc === 'PERMISSION_DENIED')) {
    return { code: 'UNSUPPORTED', hint: SHARED_ALBUMS_HINT };
  }
  if (http === 401 || rpc === 'UNAUTHENTICATED') {
    return { code: 'UNAUTHENTICATED', hint: `Google rejected a freshly refreshed access token. ${REAUTHORIZE}` };
  }
  if (status && isApiDisabled(status)) {
    const title = disabledApiTitle(status, picker);
    const url = activationUrl(status) ?? (title === PICKER_API_TITLE ? PICKER_API_LIBRARY_PAGE : undefined);
    return {
      code: 'API_DISABLED',
      hint: `Enable the ${title} in the Google Cloud project of your OAuth client${url ? ` at ${url}` : ''}, `
        + 'wait a few minutes for the change to reach Google\'s servers, then retry. This driver needs both the Photos Library API and the Google Photos Picker API.',
    };
  }
  if (status && isInsufficientScopes(status)) return { code: 'INSUFFICIENT_SCOPES', hint: picker ? PICKER_SCOPE_HINT : SCOPES_HINT };
  if (http === 429 || rpc === 'RESOURCE_EXHAUSTED') {
    if (failure.endpoint === 'picker.sessions.create' && !isDailyQuota(status)) {
      return { code: 'QUOTA_EXCEEDED', hint: 'Too many picking sessions are open: remove picked folders you no longer need (that deletes their sessions at Google), or wait until old ones expire, then pick again.' };
    }
    return isDailyQuota(status)
      ? { code: 'QUOTA_EXCEEDED', hint: 'The Google Cloud project used up its daily API quota (10,000 Library API requests a day). It resets at midnight Pacific time; meanwhile raise the storage\'s cache time to make fewer requests.' }
      : { code: 'QUOTA_EXCEEDED', hint: 'Google is limiting the request rate; wait a minute and retry.' };
  }
  if ((http === 400 || rpc === 'INVALID_ARGUMENT') && NO_ALBUM_PERMISSION.test(status?.message ?? '')) {
    return { code: 'PERMISSION_DENIED', hint: OTHER_APPS_ALBUM_HINT };
  }
  if (rpc === 'FAILED_PRECONDITION') {
    return { code: 'PICKER_NOT_READY', hint: PICKER_NOT_READY_HINT };
  }
  if (picker && (http === 404 || rpc === 'NOT_FOUND')) return { code: 'PICKER_SESSION_EXPIRED', hint: PICKER_SESSION_EXPIRED_HINT };
  if (http === 404 || rpc === 'NOT_FOUND' || ((http === 400 || rpc === 'INVALID_ARGUMENT') && failure.subjectId !== undefined)) {
    return {
      code: 'NOT_FOUND',
      hint: 'No such album or media item for this app: it was deleted, or it was not created by this OAuth client (since 2025-03-31 the Library API shows only media and albums created by the same client).',
    };
  }
  if (http === 400 || rpc === 'INVALID_ARGUMENT') return { code: 'INVALID_ARGUMENT', hint: 'Google rejected the request\'s arguments; this is likely a bug in the driver, please report it.' };
  if (http === 403 || rpc === 'PERMISSION_DENIED') {
    return { code: 'PERMISSION_DENIED', hint: `Google refused access. Check that the OAuth client and the authorized account belong together. ${REAUTHORIZE}` };
  }
  return { code: 'UPSTREAM_UNAVAILABLE', hint: 'Google Photos did not answer properly; retry in a few minutes.' };
}

function summarizeText(body: unknown): string | undefined {
  if (typeof body !== 'string') return undefined;
  const text = body.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim();
  return text === '' ? undefined : text.slice(0, 200);
}

/** Turn a failed call into the DriverError a user sees: Google's words verbatim, then what to do. */
export function translateGoogleError(failure: GoogleFailure): DriverError {
  const cause = { ...failure };
  if (failure.status === undefined) {
    const reason = failure.networkCode === 'ECONNABORTED' ? 'timed out' : `failed (${failure.networkCode ?? failure.networkMessage ?? 'network error'})`;
    const hint = 'Google Photos could not be reached; check the server\'s network connection and retry.';
    return new DriverError('UPSTREAM_UNAVAILABLE', `Google Photos ${failure.endpoint} ${reason} after retries. ${hint}`, { hint, cause });
  }
  const oauth = rpcStatusOf(failure.body) ? undefined : oauthErrorOf(failure.body);
  const rpc = rpcStatusOf(failure.body);
  const translation = oauth ? translateOAuth(oauth, failure) : translateStatus(rpc, failure);
  const googleText = oauth
    ? `${oauth.error}${oauth.description ? `: ${oauth.description}` : ''}`
    : rpc?.message || summarizeText(failure.body) || `HTTP ${failure.status}`;
  const message = `Google Photos ${failure.endpoint} failed: ${googleText.trim()} — ${translation.hint}`;
  return new DriverError(translation.code, message, { hint: translation.hint, status: failure.status, cause });
}

/** A 2xx answer this driver cannot read. */
export function malformedResponse(failure: GoogleFailure, problem: string): DriverError {
  const hint = 'Google (or the configured api_base_url) answered in an unexpected shape; check api_base_url, and retry later.';
  return new DriverError('BAD_RESPONSE', `Google Photos ${failure.endpoint} (${failure.method} ${failure.url}) returned a malformed response: ${problem}. ${hint}`, {
    hint,
    status: failure.status,
    cause: { ...failure },
  });
}

/** A per-item google.rpc.Status (batchGet, batchCreate): absent or code 0 means OK. */
export function isItemStatusOk(status: { code?: number } | undefined): boolean {
  return (status?.code ?? 0) === 0;
}

/** Google's rpc code numbers in per-item statuses, as DriverError codes. */
const ITEM_STATUS_CODES: Record<number, DriverErrorCode> = {
  3: 'INVALID_ARGUMENT', 5: 'NOT_FOUND', 7: 'PERMISSION_DENIED', 8: 'QUOTA_EXCEEDED', 9: 'INVALID_ARGUMENT', 13: 'UPSTREAM_UNAVAILABLE',
  14: 'UPSTREAM_UNAVAILABLE', 16: 'UNAUTHENTICATED',
};

/** One item of a batchCreate that Google refused: the file's name and Google's message. */
export function translateItemFailure(endpoint: string, fileName: string, status: { code?: number; message?: string } | undefined): DriverError {
  const code = ITEM_STATUS_CODES[status?.code ?? -1] ?? 'UPSTREAM_UNAVAILABLE';
  const hint = code === 'PERMISSION_DENIED'
    ? OTHER_APPS_ALBUM_HINT
    : 'Google Photos took the bytes but made no media item of them. Check that the file is a photo or video that opens, then upload it again.';
  const googleText = status?.message?.trim() || `status code ${status?.code ?? 'missing'}`;
  return new DriverError(code, `Google Photos could not create "${fileName}" (${endpoint}): ${googleText} — ${hint}`, {
    hint, cause: { endpoint, fileName, status },
  });
}
