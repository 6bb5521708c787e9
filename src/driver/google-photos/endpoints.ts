import { DriverError } from '../../types/errors.js';
import { isHttpUrl } from './upstream-urls.js';

export interface GoogleEndpoints {
  authorize: string;
  token: string;
  library: string;
  picker: string;
}

export const GOOGLE_ENDPOINTS: GoogleEndpoints = {
  authorize: 'https://accounts.google.com/o/oauth2/v2/auth',
  token: 'https://oauth2.googleapis.com/token',
  library: 'https://photoslibrary.googleapis.com/v1',
  picker: 'https://photospicker.googleapis.com/v1',
};

/** The layout of one emulator server at `baseUrl` (no trailing slash); only an http(s) address is one. */
export function emulatorEndpoints(baseUrl: string): GoogleEndpoints {
  if (!isHttpUrl(baseUrl)) {
    throw new DriverError('INVALID_CONFIG', 'Google Photos storage settings are invalid: api_base_url must be empty or an http(s) URL.', {
      hint: 'Fix "api_base_url" in the storage\'s settings: leave it empty for Google, or give an emulator\'s address such as http://127.0.0.1:4000.',
    });
  }
  const base = baseUrl.replace(/\/+$/, '');
  return {
    authorize: `${base}/o/oauth2/v2/auth`,
    token: `${base}/token`,
    library: `${base}/photoslibrary/v1`,
    picker: `${base}/photospicker/v1`,
  };
}

/** The endpoints a storage uses: explicit overrides win, then `api_base_url` (an emulator), then Google. */
export function endpointsFor(config: { api_base_url?: string }, overrides?: Partial<GoogleEndpoints>): GoogleEndpoints {
  const base = config.api_base_url ? emulatorEndpoints(config.api_base_url) : GOOGLE_ENDPOINTS;
  const defined = Object.fromEntries(Object.entries(overrides ?? {}).filter(([, url]) => typeof url === 'string' && url !== ''));
  return { ...base, ...defined };
}
