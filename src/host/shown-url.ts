/** A connection URL as messages may show it: its password replaced by `***`; `unparsable` when it is no URL. */
export function urlWithoutPassword(url: string, unparsable: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return unparsable;
  }
}
