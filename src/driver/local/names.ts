const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;

/** Why `name` cannot be a single file or folder name on disk, or undefined when it can. */
export function unsafeNameReason(name: string): string | undefined {
  if (typeof name !== 'string' || name.length === 0) return 'the name is empty';
  if (name === '.' || name === '..') return `"${name}" is not a file name`;
  if (name.includes('/') || name.includes('\\')) return 'the name contains a slash';
  if (CONTROL_CHARACTERS.test(name)) return 'the name contains control characters';
  if (Buffer.byteLength(name) > 255) return 'the name is longer than 255 bytes';
  return undefined;
}

/** Temp files of atomic writes: never listed, never a kept item. */
export function isPartialFileName(name: string): boolean {
  return name.startsWith('.keep-') || name.endsWith('.partial');
}

export function hasControlCharacters(name: string): boolean {
  return CONTROL_CHARACTERS.test(name);
}
