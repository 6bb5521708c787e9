import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

export class TooLargeWhileSpooling extends Error {
  constructor(readonly limit: number) {
    super(`more than ${limit} bytes`);
  }
}

/**
 * A resumable upload must announce its size first. For a stream of unknown size, its bytes go to a temporary file
 * (never to memory) to learn it; `use` gets the size and a stream of the file, which is removed afterwards.
 * More than `limit` bytes stop the copy with TooLargeWhileSpooling.
 */
export async function withSpooledSize<T>(stream: Readable, limit: number, use: (size: number, stream: Readable) => Promise<T>,
  signal?: AbortSignal): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'gphotos-upload-'));
  try {
    const path = join(dir, 'file');
    let size = 0;
    const counter = new Transform({
      transform(piece: Buffer, _encoding, done) {
        size += piece.length;
        done(size > limit ? new TooLargeWhileSpooling(limit) : null, piece);
      },
    });
    await pipeline(stream, counter, createWriteStream(path), ...(signal ? [{ signal }] as const : []));
    const file = createReadStream(path);
    try {
      return await use(size, file);
    } finally {
      file.destroy();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
