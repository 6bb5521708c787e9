/**
 * What one host process tells the others to forget after it wrote something they may keep in memory: a storage's
 * content (every listing of the storage, and the link and size of each object that changed or went), the
 * settings, or the metas. `everything`: announcements may have been lost (Redis was away), so forget it all.
 */
export type CacheChange =
  | { kind: 'storage-content'; storageId: number; objIds: string[] }
  | { kind: 'settings' }
  | { kind: 'metas' }
  | { kind: 'everything' };

/** The change another process sent, checked; undefined when the value is none (e.g. a newer version's kind). */
export function parseCacheChange(value: unknown): CacheChange | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const change = value as Record<string, unknown>;
  switch (change.kind) {
    case 'settings':
    case 'metas':
    case 'everything':
      return { kind: change.kind };
    case 'storage-content': {
      const { storageId, objIds } = change;
      if (!Number.isSafeInteger(storageId) || !Array.isArray(objIds) || !objIds.every((id) => typeof id === 'string')) return undefined;
      return { kind: 'storage-content', storageId: storageId as number, objIds: objIds as string[] };
    }
    default:
      return undefined;
  }
}
