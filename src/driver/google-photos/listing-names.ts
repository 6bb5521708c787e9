import { uniqueNames, withIdSuffix, type NamedEntry } from './names.js';

/**
 * Unique names for a listing that is named page by page, so that a name, once given, never changes while
 * later pages arrive. The first page is named by the whole-listing rule (`uniqueNames`: every entry sharing a
 * name carries its id), so a folder that fits in one upstream page is named exactly as before. On later pages
 * an entry whose name already appeared earlier in the listing carries its id, the earlier one keeps its name;
 * a name still taken after that (a file literally called "a {X}.jpg") gets the id once more.
 */
export class ListingNamer {
  /** Names as the upstream gave them (sanitized), so far. */
  private readonly seen = new Set<string>();
  /** Names handed out, so far. */
  private readonly given = new Set<string>();
  private firstPage = true;

  name(entries: NamedEntry[]): string[] {
    const candidates = this.firstPage ? uniqueNames(entries) : entries.map((entry) => this.laterCandidate(entry));
    this.firstPage = false;
    return candidates.map((candidate, index) => {
      const entry = entries[index]!;
      let name = candidate;
      while (this.given.has(name)) name = withIdSuffix(name, entry.id);
      this.given.add(name);
      this.seen.add(entry.name);
      return name;
    });
  }

  private laterCandidate(entry: NamedEntry): string {
    if (entry.name === '') return withIdSuffix(entry.fallback, entry.id);
    const candidate = this.seen.has(entry.name) ? withIdSuffix(entry.name, entry.id) : entry.name;
    this.seen.add(entry.name);
    return candidate;
  }
}
