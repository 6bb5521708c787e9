import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';

let sample: Buffer | undefined;

/** The committed sample video (2 s, 320x240, H.264). */
export function sampleVideo(): Buffer {
  sample ??= readFileSync(new URL('../../assets/emulator/sample.mp4', import.meta.url));
  return sample;
}

const PATTERN_PERIOD = 65_536;
let pattern: Buffer | undefined;

function fillerPattern(): Buffer {
  if (!pattern) {
    pattern = Buffer.alloc(PATTERN_PERIOD);
    for (let i = 0; i < PATTERN_PERIOD; i++) pattern[i] = (i ^ (i >>> 8) ^ 0x5a) & 0xff;
  }
  return pattern;
}

/** Byte `position` of a large video: the sample mp4, then a repeating pattern. */
function* largeVideoChunks(start: number, endInclusive: number, chunkSize = 64 * 1024): Generator<Buffer> {
  const head = sampleVideo();
  const filler = fillerPattern();
  let position = start;
  while (position <= endInclusive) {
    const want = Math.min(chunkSize, endInclusive - position + 1);
    if (position < head.length) {
      const part = head.subarray(position, Math.min(head.length, position + want));
      position += part.length;
      yield part;
      continue;
    }
    const offset = (position - head.length) % PATTERN_PERIOD;
    const part = filler.subarray(offset, Math.min(PATTERN_PERIOD, offset + want));
    position += part.length;
    yield part;
  }
}

/** A stream of bytes start..end (inclusive) of the large video; nothing of it is held in memory. */
export function largeVideoStream(start: number, endInclusive: number): Readable {
  return Readable.from(largeVideoChunks(start, endInclusive), { objectMode: false });
}
