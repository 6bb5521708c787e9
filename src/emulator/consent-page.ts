import { escapeHtml, page } from './html.js';
import { SCOPE_DESCRIPTIONS } from './scopes.js';

/** Scopes a person may untick (Google's granular consent); sign-in scopes are always granted. */
export function isOptionalScope(scope: string): boolean {
  return scope.startsWith('https://www.googleapis.com/auth/photos');
}

export function consentPage(p: { consentId: string; clientId: string; scopes: string[] }): string {
  const rows = p.scopes.map((scope, i) => {
    const description = escapeHtml(SCOPE_DESCRIPTIONS[scope] ?? scope);
    if (!isOptionalScope(scope)) {
      return `<input type="hidden" name="scope" value="${escapeHtml(scope)}"><p>${description}</p>`;
    }
    return `<label><input type="checkbox" id="scope-${i}" name="scope" value="${escapeHtml(scope)}" checked> `
      + `${description} <small>(${escapeHtml(scope)})</small></label>`;
  }).join('\n');
  return page('Sign in - Google Accounts', `
<h1>Google Photos Emulator wants access to your Google Account</h1>
<p>Client: <code>${escapeHtml(p.clientId)}</code></p>
<form method="post" action="/o/oauth2/v2/auth/consent" id="consent">
<input type="hidden" name="consent_id" value="${escapeHtml(p.consentId)}">
<p>Select what this app can access:</p>
${rows}
<button type="submit" name="action" value="deny" id="deny">Cancel</button>
<button type="submit" name="action" value="allow" id="allow">Allow</button>
</form>`);
}

export function authErrorPage(status: number, error: string, description: string): string {
  return page(`Error ${status}: ${error}`, `<h1>Access blocked: authorization error</h1>
<p class="error">Error ${status}: ${escapeHtml(error)}</p><p>${escapeHtml(description)}</p>`);
}
