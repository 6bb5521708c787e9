import { startEmulator, type Emulator, type EmulatorOptions } from '../../src/emulator/index.js';

export const SCOPES = {
  appendOnly: 'https://www.googleapis.com/auth/photoslibrary.appendonly',
  readAppCreated: 'https://www.googleapis.com/auth/photoslibrary.readonly.appcreateddata',
  editAppCreated: 'https://www.googleapis.com/auth/photoslibrary.edit.appcreateddata',
  picker: 'https://www.googleapis.com/auth/photospicker.mediaitems.readonly',
  legacyLibrary: 'https://www.googleapis.com/auth/photoslibrary',
};

export interface TestEmulator { emu: Emulator; clock: { now: number } }

/** An emulator on 127.0.0.1:0 with a clock the test moves by hand. */
export async function startTestEmulator(options: EmulatorOptions = {}): Promise<TestEmulator> {
  const clock = { now: Date.UTC(2026, 0, 15, 12, 0, 0) };
  const emu = await startEmulator({ now: () => clock.now, ...options });
  return { emu, clock };
}

export async function postForm(url: string, fields: Record<string, string>): Promise<{ status: number; body: any }> {
  const response = await fetch(url, {
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString(),
  });
  return { status: response.status, body: await response.json() };
}

/** An access token through the real token endpoint (refresh grant). */
export async function accessToken(emu: Emulator, opts: { clientId?: string; clientSecret?: string; scopes?: string[] } = {}):
  Promise<string> {
  const clientId = opts.clientId ?? emu.client.clientId;
  const refreshToken = emu.issueRefreshToken({ clientId, scopes: opts.scopes });
  const { status, body } = await postForm(emu.endpoints.token, {
    grant_type: 'refresh_token', refresh_token: refreshToken, client_id: clientId, client_secret: opts.clientSecret ?? emu.client.clientSecret,
  });
  if (status !== 200) throw new Error(`token endpoint answered ${status}`);
  return body.access_token;
}

export interface ApiAnswer { status: number; body: any; headers: Headers }

export async function call(url: string, token: string | undefined, init: { method?: string; body?: unknown } = {}): Promise<ApiAnswer> {
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(url, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'), headers,
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await response.text();
  let body: unknown = text;
  try { body = JSON.parse(text); } catch { /* not JSON */ }
  return { status: response.status, body, headers: response.headers };
}

/** Every media item of a listing, following nextPageToken. */
export async function listAll(emu: Emulator, token: string, pageSize: number): Promise<{ ids: string[]; pages: number[] }> {
  const ids: string[] = [];
  const pages: number[] = [];
  let pageToken: string | undefined;
  do {
    const query = new URLSearchParams({ pageSize: String(pageSize), ...(pageToken ? { pageToken } : {}) });
    const { status, body } = await call(`${emu.endpoints.library}/mediaItems?${query}`, token);
    if (status !== 200) throw new Error(`list answered ${status}`);
    const items = (body.mediaItems ?? []) as Array<{ id: string }>;
    pages.push(items.length);
    ids.push(...items.map((item) => item.id));
    pageToken = body.nextPageToken;
  } while (pageToken);
  return { ids, pages };
}
