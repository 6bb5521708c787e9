/** AList's storage options as a create or update request sends them, validated (a 400 names the field and what it takes). */
import { ApiError } from './api-error.js';
import { optionalBoolean, optionalString } from './request-fields.js';
import { EXTRACT_FOLDER, ORDER_BY, ORDER_DIRECTIONS, WEBDAV_POLICIES, type StorageOptions } from '../storages/storage-options.js';

function choice<T extends string>(body: Record<string, unknown>, name: string, allowed: readonly T[]): T | '' | undefined {
  const value = optionalString(body, name);
  if (value === undefined || value === '' || (allowed as readonly string[]).includes(value)) return value as T | '' | undefined;
  throw new ApiError(400, `"${name}" must be one of ${allowed.map((option) => `"${option}"`).join(', ')} (or empty), not "${value}"`);
}

/** Each non-empty line must be an http(s) URL (AList takes the first line). */
function downProxyUrl(body: Record<string, unknown>): string | undefined {
  const value = optionalString(body, 'down_proxy_url');
  if (value === undefined) return undefined;
  const lines = value.split('\n').map((line) => line.trim()).filter((line) => line !== '');
  for (const line of lines) {
    let url: URL | undefined;
    try {
      url = new URL(line);
    } catch {
      url = undefined;
    }
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
      throw new ApiError(400, `"down_proxy_url" must be an http(s) URL, not "${line}"`, { hint: 'e.g. https://proxy.example.com (downloads then go to <url>/<path>?sign=...)' });
    }
  }
  return lines.join('\n');
}

/** The options a create or update request carries (only those it names), validated: a 400 says what is wrong. */
export function storageOptionsFromBody(body: Record<string, unknown>): Partial<StorageOptions> {
  const options: Partial<StorageOptions> = {};
  const set = <K extends keyof StorageOptions>(name: K, value: StorageOptions[K] | undefined) => {
    if (value !== undefined) options[name] = value;
  };
  set('order_by', choice(body, 'order_by', ORDER_BY));
  set('order_direction', choice(body, 'order_direction', ORDER_DIRECTIONS));
  set('extract_folder', choice(body, 'extract_folder', EXTRACT_FOLDER));
  const policy = choice(body, 'webdav_policy', WEBDAV_POLICIES);
  if (policy) set('webdav_policy', policy);
  set('down_proxy_url', downProxyUrl(body));
  set('web_proxy', optionalBoolean(body, 'web_proxy'));
  set('enable_sign', optionalBoolean(body, 'enable_sign'));
  set('proxy_range', optionalBoolean(body, 'proxy_range'));
  return options;
}
