import { UNSAFE_NAME_CHARACTER } from '../../types/name-characters.js';

/** Control and bidirectional characters: a name holding one is refused for writes and hidden from listings. */
const CONTROL_CHARACTERS = UNSAFE_NAME_CHARACTER;

/** Why `name` cannot be a single file or folder name on disk, or undefined when it can. */
export function unsafeNameReason(name: string): string | undefined {
  if (typeof name !== 'string' || name.length === 0) return 'the name is empty';
  if (name === '.' || name === '..') return `"${name}" is not a file name`;
  if (name.includes('/') || name.includes('\\')) return 'the name contains a slash';
  if (CONTROL_CHARACTERS.test(name)) return 'the name contains control or text-direction characters';
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
