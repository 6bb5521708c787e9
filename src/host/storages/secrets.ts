import { getDriverFactory } from '../../types/registry.js';

export const SECRET_MASK = '******';

/** Names of the settings a driver marks secret. */
export function secretFields(driverName: string): string[] {
  return getDriverFactory(driverName)?.meta.configItems.filter((item) => item.secret).map((item) => item.name) ?? [];
}

/** The settings with every set secret replaced by the mask: what any answer may carry. */
export function maskAddition(addition: Record<string, unknown>, secrets: readonly string[]): Record<string, unknown> {
  const masked = { ...addition };
  for (const name of secrets) {
    if (masked[name] !== undefined && masked[name] !== '') masked[name] = SECRET_MASK;
  }
  return masked;
}

/** Names of the settings whose change means the stored secrets may not be kept (see ConfigItem.bindsSecrets). */
export function secretBindingFields(driverName: string): string[] {
  return getDriverFactory(driverName)?.meta.configItems.filter((item) => item.bindsSecrets).map((item) => item.name) ?? [];
}

const keepsStored = (value: unknown) => value === undefined || value === '' || value === SECRET_MASK;
const settingText = (value: unknown) => (value === undefined || value === null ? '' : String(value).trim());

/**
 * What an update would carry over to a changed upstream or client: the binding fields that changed and the
 * stored secrets it sends as empty or the mask. Both empty when the update may keep what is stored.
 */
export function secretsKeptAcrossUpstreamChange(
  incoming: Record<string, unknown>,
  stored: Record<string, unknown>,
  secrets: readonly string[],
  bindingFields: readonly string[],
): { changed: string[]; secrets: string[] } {
  const changed = bindingFields.filter((name) => settingText(incoming[name]) !== settingText(stored[name]));
  if (changed.length === 0) return { changed, secrets: [] };
  const kept = secrets.filter((name) => keepsStored(incoming[name]) && settingText(stored[name]) !== '');
  return kept.length === 0 ? { changed: [], secrets: [] } : { changed, secrets: kept };
}

/** An update's settings: a secret sent empty or as the mask keeps what is stored. */
export function keepStoredSecrets(
  incoming: Record<string, unknown>,
  stored: Record<string, unknown>,
  secrets: readonly string[],
): Record<string, unknown> {
  const merged = { ...incoming };
  for (const name of secrets) {
    const value = merged[name];
    if (keepsStored(value) && stored[name] !== undefined) merged[name] = stored[name];
  }
  return merged;
}

/** Replace any secret value found in a text (e.g. an error message) by the mask. */
export function scrubSecrets(text: string, addition: Record<string, unknown>, secrets: readonly string[]): string {
  let scrubbed = text;
  for (const name of secrets) {
    const value = addition[name];
    if (typeof value === 'string' && value.length >= 4) scrubbed = scrubbed.split(value).join(SECRET_MASK);
  }
  return scrubbed;
}
