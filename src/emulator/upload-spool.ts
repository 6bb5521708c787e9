import { randomUUID } from 'node:crypto';
import { mkdtemp, open, rm, truncate } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface AppendResult {
  /** Bytes of this body now in the file. */
  written: number;
  /** The connection broke (or was dropped on purpose) before the body ended. */
  broken: boolean;
  /** It was dropped on purpose (`dropAfter`). */
  dropped?: boolean;
  /** The body went past `limit`; the bytes after it were not written. */
  tooLarge: boolean;
}

/**
 * Uploaded bytes live here, once, on disk: a request body is streamed into its file as it arrives, so the
 * emulator's memory stays flat whatever the size. The folder is the emulator's own and goes away on close().
 */
export class UploadSpool {
  private constructor(readonly dir: string) {}

  static async create(): Promise<UploadSpool> {
    return new UploadSpool(await mkdtemp(join(tmpdir(), 'gphotos-emulator-uploads-')));
  }

  newPath(): string {
    return join(this.dir, randomUUID());
  }

  async remove(path: string): Promise<void> {
    await rm(path, { force: true });
  }

  /** Cuts a file back to `size` bytes (a rejected or broken chunk is not kept past the committed offset). */
  async truncate(path: string, size: number): Promise<void> {
    await truncate(path, size);
  }

  async close(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
  }

  /**
   * Appends the raw request body to `path`. At most `limit` bytes are written. With `dropAfter`, the connection is
   * destroyed once that many bytes of this body have been written: a connection lost in the middle of a chunk.
   */
  async append(request: IncomingMessage, path: string, limit: number, dropAfter?: number): Promise<AppendResult> {
    const file = await open(path, 'a');
    let written = 0;
    try {
      for await (const piece of request as AsyncIterable<Buffer>) {
        let part = piece;
        if (written + part.length > limit) {
          await file.appendFile(part.subarray(0, limit - written));
          written = limit;
          return { written, broken: false, tooLarge: true };
        }
        if (dropAfter !== undefined && written + part.length >= dropAfter) {
          part = part.subarray(0, Math.max(0, dropAfter - written));
          await file.appendFile(part);
          written += part.length;
          request.socket.destroy();
          return { written, broken: true, dropped: true, tooLarge: false };
        }
        await file.appendFile(part);
        written += part.length;
      }
      return { written, broken: !request.complete, tooLarge: false };
    } catch {
      return { written, broken: true, tooLarge: false };   // the client went away mid-body
    } finally {
      await file.close();
    }
  }
}
