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

/** An update's settings: a secret sent empty or as the mask keeps what is stored. */
export function keepStoredSecrets(
  incoming: Record<string, unknown>,
  stored: Record<string, unknown>,
  secrets: readonly string[],
): Record<string, unknown> {
  const merged = { ...incoming };
  for (const name of secrets) {
    const value = merged[name];
    if ((value === undefined || value === '' || value === SECRET_MASK) && stored[name] !== undefined) merged[name] = stored[name];
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
