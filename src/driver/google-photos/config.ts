import { z } from 'zod';
import { configItemsFromSchema } from '../../types/config-items.js';
import type { DriverMeta } from '../../types/driver.js';
import { DriverError } from '../../types/errors.js';

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

export const googlePhotosConfigSchema = z.object({
  client_id: z.string().trim().min(1, 'is required').meta({
    description: 'OAuth client ID of your own Google Cloud project ("Desktop app" client), ending in .apps.googleusercontent.com',
  }),
  client_secret: z.string().trim().min(1, 'is required').meta({
    secret: true,
    description: 'OAuth client secret of the same client (Google Cloud console > APIs & Services > Credentials)',
  }),
  refresh_token: z.string().trim().min(1, 'is required').meta({
    secret: true,
    description: 'Refresh token of your Google account: use the "Authorize with Google" button or run `gphotos-alist auth`',
  }),
  root_folder_id: z.string().trim().default('root').meta({
    description: 'Folder shown at the mount point: root (all, albums, shared albums, picked), all, albums, share_albums, picked (sessions picked with the Google Photos Picker), or an album id to mount a single album',
  }),
  api_base_url: z
    .string()
    .trim()
    .default('')
    .refine((value) => value === '' || isHttpUrl(value), 'must be empty or an http(s) URL')
    .meta({
      description: 'Leave empty for Google. The base URL of a Google Photos emulator (e.g. http://127.0.0.1:4000) to use it instead',
    }),
});

export type GooglePhotosConfig = z.output<typeof googlePhotosConfigSchema>;

export const DEFAULT_ROOT = 'root';

export const googlePhotosMeta: DriverMeta = {
  name: 'GooglePhoto',
  displayName: 'Google Photos',
  localSort: true,
  onlyProxy: false,
  noUpload: false,
  defaultRoot: DEFAULT_ROOT,
  configItems: configItemsFromSchema(googlePhotosConfigSchema),
};

/** Validate a storage's settings. The error names every bad field and never repeats a value. */
export function parseGooglePhotosConfig(config: unknown): GooglePhotosConfig {
  const result = googlePhotosConfigSchema.safeParse(config ?? {});
  if (result.success) {
    return { ...result.data, root_folder_id: result.data.root_folder_id || DEFAULT_ROOT };
  }
  const problems = new Map<string, string>();
  for (const issue of result.error.issues) {
    const field = issue.path.join('.') || 'settings';
    if (!problems.has(field)) problems.set(field, issue.code === 'invalid_type' ? 'is required and must be text' : issue.message);
  }
  const fields = [...problems.keys()];
  const list = [...problems].map(([field, problem]) => `${field} ${problem}`).join('; ');
  const authorize = problems.has('refresh_token')
    ? ' Get a refresh token with the "Authorize with Google" button in the admin page, or `gphotos-alist auth`.'
    : '';
  throw new DriverError('INVALID_CONFIG', `Google Photos storage settings are invalid: ${list}.`, {
    hint: `Fix ${fields.map((field) => `"${field}"`).join(', ')} in the storage's settings.${authorize} See docs/setup.md for where each value comes from.`,
  });
}

/** Best effort, for getRoot() before init(): the configured root id, or the default. */
export function configuredRootId(config: unknown): string {
  const raw = (config as { root_folder_id?: unknown } | null | undefined)?.root_folder_id;
  return typeof raw === 'string' && raw.trim() !== '' ? raw.trim() : DEFAULT_ROOT;
}
