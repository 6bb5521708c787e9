import path from 'node:path';
import { z } from 'zod';
import { configItemsFromSchema } from '../../types/config-items.js';
import type { DriverMeta } from '../../types/driver.js';
import { DriverError } from '../../types/errors.js';

export const localConfigSchema = z.object({
  root_folder_path: z
    .string()
    .min(1)
    .refine((value) => path.isAbsolute(value), { message: 'must be an absolute path, e.g. /srv/photos' })
    .meta({ description: 'Absolute path of an existing folder on the server to serve, e.g. /srv/data/kept' }),
  show_hidden: z
    .boolean()
    .default(false)
    .meta({ description: 'List files and folders whose names start with a dot' }),
});

export type LocalConfig = z.output<typeof localConfigSchema>;

export const localMeta: DriverMeta = {
  name: 'Local',
  displayName: 'Local folder',
  localSort: true,
  onlyProxy: true,
  noUpload: false,
  defaultRoot: '/',
  configItems: configItemsFromSchema(localConfigSchema),
};

/** Validate a storage's settings; the error names the offending field. */
export function parseLocalConfig(config: unknown): LocalConfig {
  const result = localConfigSchema.safeParse(config ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue?.path.join('.') || 'config';
  throw new DriverError('INVALID_CONFIG', `Local storage setting "${field}" is invalid: ${issue?.message ?? 'bad value'}`, {
    hint: `Set "${field}" in the storage's settings.`,
  });
}
