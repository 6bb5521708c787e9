import { translateItemFailure, isItemStatusOk } from './errors.js';
import { WRITE_BATCH_LIMIT, type NewMediaItem, type NewMediaItemResult } from './album-writes.js';
import type { MediaItem } from './schemas.js';

export type BatchCreate = (albumId: string | undefined, items: NewMediaItem[]) => Promise<NewMediaItemResult[]>;

interface Waiting { item: NewMediaItem; resolve: (item: MediaItem) => void; reject: (error: unknown) => void }
interface Destination { albumId: string | undefined; uploading: number; waiting: Waiting[] }

/**
 * Turns upload tokens into media items, sharing batchCreate calls: the tokens of concurrent uploads to one place
 * (an album, or the library alone) wait together and go in one call when 50 are waiting or no other upload to that
 * place is still running. Calls go one at a time, as Google advises (creating items in parallel for one user fails).
 * Each upload settles with its own item or its own error.
 */
export class MediaItemCreator {
  private readonly destinations = new Map<string, Destination>();
  private chain: Promise<void> = Promise.resolve();

  constructor(private readonly batchCreate: BatchCreate) {}

  /** An upload to `albumId` (undefined: the library only) has started; later its token comes with create() or it leaves with abandon(). */
  begin(albumId: string | undefined): void {
    this.destination(albumId).uploading++;
  }

  create(albumId: string | undefined, item: NewMediaItem): Promise<MediaItem> {
    const destination = this.destination(albumId);
    destination.uploading--;
    const created = new Promise<MediaItem>((resolve, reject) => destination.waiting.push({ item, resolve, reject }));
    this.flush(destination);
    return created;
  }

  /** The upload failed before it had a token. */
  abandon(albumId: string | undefined): void {
    const destination = this.destination(albumId);
    destination.uploading--;
    this.flush(destination);
  }

  private destination(albumId: string | undefined): Destination {
    const key = albumId ?? '';
    let destination = this.destinations.get(key);
    if (!destination) {
      destination = { albumId, uploading: 0, waiting: [] };
      this.destinations.set(key, destination);
    }
    return destination;
  }

  private flush(destination: Destination): void {
    while (destination.waiting.length >= WRITE_BATCH_LIMIT || (destination.uploading === 0 && destination.waiting.length > 0)) {
      const batch = destination.waiting.splice(0, WRITE_BATCH_LIMIT);
      this.chain = this.chain.then(() => this.send(destination.albumId, batch));
    }
    if (destination.uploading === 0 && destination.waiting.length === 0) this.destinations.delete(destination.albumId ?? '');
  }

  /** Never throws: every waiting upload gets its result or the call's error. */
  private async send(albumId: string | undefined, batch: Waiting[]): Promise<void> {
    let results: NewMediaItemResult[];
    try {
      results = await this.batchCreate(albumId, batch.map((waiting) => waiting.item));
    } catch (error) {
      for (const waiting of batch) waiting.reject(error);
      return;
    }
    batch.forEach((waiting, index) => {
      const result = results.find((candidate) => candidate.uploadToken === waiting.item.uploadToken) ?? results[index];
      if (result?.mediaItem && isItemStatusOk(result.status)) waiting.resolve(result.mediaItem);
      else waiting.reject(translateItemFailure('mediaItems.batchCreate', waiting.item.fileName, result?.status ?? { message: 'Google returned no result for this file.' }));
    });
  }
}
