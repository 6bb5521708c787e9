// Upload benchmark: the Google Photos driver puts one large video (1 GiB by default) into the emulator running in the
// same process, as the demo server runs it, then reads it back through link() and compares SHA-256 digests.
// Reports throughput and the process's peak RSS growth (driver and emulator together).
//
//   npm run build && node --expose-gc bench/upload-driver.js [--bytes 1073741824]
//
// Writes the output to bench/results/upload-driver-<YYYY-MM-DD>.txt. Target: RSS growth that does not grow with the size (two 8 MiB chunk buffers and fixed overhead, never the file).
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const { values: args } = parseArgs({ options: { bytes: { type: 'string', default: String(1024 ** 3) } } });
const total = Number(args.bytes);
const PIECE = 1024 * 1024;

const { startEmulator } = await import('../dist/emulator/index.js');
const { GooglePhotos } = await import('../dist/index.js');

/** The sample mp4 (so the bytes read as a video), then a repeating pattern, in 1 MiB pieces; hashed as it goes. */
function videoStream(size, hash) {
  const head = readFileSync(new URL('../assets/emulator/sample.mp4', import.meta.url));
  const pattern = Buffer.alloc(PIECE);
  for (let i = 0; i < PIECE; i++) pattern[i] = (i * 13 + (i >> 12)) & 0xff;
  return Readable.from((function* pieces() {
    for (let at = 0; at < size; at += PIECE) {
      const piece = Buffer.from(at === 0 ? Buffer.concat([head, pattern.subarray(head.length)]) : pattern).subarray(0, Math.min(PIECE, size - at));
      hash.update(piece);
      yield piece;
    }
  })());
}

const emulator = await startEmulator({ items: 0, albums: 0, pickableOnlyItems: 0 });
const driver = new GooglePhotos(
  { client_id: emulator.client.clientId, client_secret: emulator.client.clientSecret, refresh_token: emulator.issueRefreshToken() },
  { endpoints: emulator.endpoints },
);
await driver.init();
globalThis.gc?.();
const before = process.memoryUsage().rss;
let peak = before;
const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);

const sent = createHash('sha256');
const started = performance.now();
const obj = await driver.put('all', { name: 'bench.mp4', size: total, stream: videoStream(total, sent) });
const uploadSeconds = (performance.now() - started) / 1000;

const link = await driver.link(obj);
const response = await fetch(link.url, { headers: link.header ?? {} });
const received = createHash('sha256');
for await (const piece of response.body) received.update(piece);
clearInterval(sampler);
await emulator.close();

const same = sent.digest('hex') === received.digest('hex');
const lines = [
  `upload benchmark ${new Date().toISOString()} (node ${process.version}, ${process.platform})`,
  `bytes: ${total} (${(total / 1024 ** 2).toFixed(0)} MiB), chunk 8 MiB, driver and emulator in one process`,
  `upload: ${uploadSeconds.toFixed(1)} s, ${(total / 1024 ** 2 / uploadSeconds).toFixed(1)} MiB/s`,
  `peak RSS growth: ${((peak - before) / 1024 ** 2).toFixed(1)} MB (must not grow with the size)`,
  `bytes read back through link(): ${same ? 'identical (SHA-256)' : 'DIFFERENT'}`,
];
console.log(lines.join('\n'));
mkdirSync(`${ROOT}bench/results`, { recursive: true });
writeFileSync(`${ROOT}bench/results/upload-driver-${new Date().toISOString().slice(0, 10)}.txt`, `${lines.join('\n')}\n`);
if (!same) process.exit(1);
