import type { LinkArgs } from '../../types/driver.js';
import type { Link } from '../../types/obj.js';

/** Google's baseUrls live 60 minutes; links are handed out as valid for 50 minutes after the baseUrl was seen. */
export const BASE_URL_LIFETIME_MS = 50 * 60_000;

export interface SeenMedia {
  baseUrl: string;
  mimeType?: string;
  seenAt: number;
}

/** The baseUrls seen in listings, by media item id; bounded, oldest entries go first. */
export class LinkCache {
  private readonly entries = new Map<string, SeenMedia>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly maxEntries = 20_000,
  ) {}

  remember(item: { id: string; baseUrl: string; mimeType?: string }): void {
    this.entries.delete(item.id);
    this.entries.set(item.id, { baseUrl: item.baseUrl, mimeType: item.mimeType, seenAt: this.now() });
    if (this.entries.size > this.maxEntries) this.evictOldest();
  }

  /**
   * Drops the oldest tenth in one pass. Evicting one entry per insert would restart the key iterator each time,
   * and V8 makes that iterator skip every slot deleted before it: a 100,000-item listing spent seconds here.
   */
  private evictOldest(): void {
    const keep = Math.floor(this.maxEntries * 0.9);
    for (const key of this.entries.keys()) {
      if (this.entries.size <= keep) break;
      this.entries.delete(key);
    }
  }

  /** The baseUrl of `id` if it still has most of its life ahead. */
  fresh(id: string): SeenMedia | undefined {
    const seen = this.entries.get(id);
    if (!seen) return undefined;
    if (this.now() - seen.seenAt >= BASE_URL_LIFETIME_MS) {
      this.entries.delete(id);
      return undefined;
    }
    return seen;
  }

  clear(): void {
    this.entries.clear();
  }
}

/** The download (or thumbnail) link of a media item: images `=d`, videos `=dv`. */
export function linkFor(media: SeenMedia, type: LinkArgs['type'] = 'original'): Link {
  const isVideo = media.mimeType?.startsWith('video/') ?? false;
  const suffix = type === 'thumbnail' ? '=w256-h256' : isVideo ? '=dv' : '=d';
  const link: Link = { url: media.baseUrl + suffix, expiresAt: new Date(media.seenAt + BASE_URL_LIFETIME_MS) };
  if (type === 'thumbnail') link.mimeType = 'image/jpeg';
  else if (media.mimeType) link.mimeType = media.mimeType;
  return link;
}
