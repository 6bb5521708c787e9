/** Display names: safe for a path segment and unique within one listing. */
import { UNSAFE_NAME_CHARACTERS } from '../../types/name-characters.js';

/**
 * Make a name usable as one path segment: `/` and `\` become their full-width look-alikes (as rclone does),
 * control and bidirectional characters are dropped, "." and ".." are escaped. Returns '' when nothing usable remains.
 */
export function sanitizeName(raw: string | undefined): string {
  const name = (raw ?? '').replace(UNSAFE_NAME_CHARACTERS, '').replace(/\//g, '／').replace(/\\/g, '＼').trim();
  if (name === '.' || name === '..') return name.replace(/\./g, '．');
  return name;
}

/** "IMG_0001.jpg" + id -> "IMG_0001 {id}.jpg"; the suffix goes before the extension. */
export function withIdSuffix(name: string, id: string): string {
  const dot = name.lastIndexOf('.');
  const hasExtension = dot > 0 && dot < name.length - 1 && name.length - dot <= 6;
  const safeId = sanitizeName(id);
  return hasExtension ? `${name.slice(0, dot)} {${safeId}}${name.slice(dot)}` : `${name} {${safeId}}`;
}

export interface NamedEntry {
  id: string;
  /** The already sanitized name; '' when the upstream gave none. */
  name: string;
  /** Used instead of '' (e.g. "Untitled.jpg"); such entries always carry their id. */
  fallback: string;
}

/**
 * Unique names for one listing. Rule: every entry whose name is shared by another entry gets " {id}" before its
 * extension, the first occurrence too, so a name never depends on the order Google returns items in.
 * Entries without a name are named `fallback {id}`. Ids are unique in a listing, so the result is too.
 */
export function uniqueNames(entries: NamedEntry[]): string[] {
  const counts = new Map<string, number>();
  for (const entry of entries) counts.set(entry.name, (counts.get(entry.name) ?? 0) + 1);
  const names = entries.map((entry) => {
    if (entry.name === '') return withIdSuffix(entry.fallback, entry.id);
    return (counts.get(entry.name) ?? 0) > 1 ? withIdSuffix(entry.name, entry.id) : entry.name;
  });
  // A plain name may still equal another entry's suffixed one ("a {X}.jpg" next to duplicates "a.jpg"): suffix it too.
  const suffixed = new Set(names.filter((name, index) => name !== entries[index]!.name));
  return names.map((name, index) => (name === entries[index]!.name && suffixed.has(name) ? withIdSuffix(name, entries[index]!.id) : name));
}
