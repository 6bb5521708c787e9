import { parseArgs } from 'node:util';
import { startEmulator, type EmulatorOptions } from './index.js';

const USAGE = `Usage: gphotos-alist emulator [options]

Starts a local Google Photos emulator (OAuth, Library API, Picker API, media bytes).

Options:
  --port N               port to listen on (default 0: any free port)
  --host ADDR            address to listen on (default 127.0.0.1)
  --items N              app-created media items of the default client (default 60)
  --albums N             app-created albums (default 6)
  --seed N               seed of the generated library (default 1)
  --pickable-only N      older library items reachable only through the Picker (default 24)
  --large-file-bytes N   add "large-video.mp4" of exactly N bytes
  --latency MS           added latency per API request
  --jitter MS            random +/- latency
  --fail-rate R          fraction (0-1) of API requests that fail
  --fail-codes LIST      HTTP codes of injected failures, e.g. 429,500,503 (default 503)
  --reset-rate R         fraction (0-1) of API requests whose connection is reset
  --retry-after SEC      Retry-After on injected 429/503 answers
  --token-lifetime SEC   access token lifetime (default 3599)
  --repeat-ids           listings repeat an item id across pages, as Google sometimes does
  --stray-page-token     listings end with a nextPageToken that leads to an empty page
  --processing-videos N  the first N seeded videos are still PROCESSING (no baseUrl)
  -h, --help             show this help`;

class UsageError extends Error {}

function toNumber(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw new UsageError(`--${name} must be a number, got "${value}"`);
  return n;
}

export function parseEmulatorArgs(args: string[]): EmulatorOptions | 'help' {
  let parsed;
  try {
    parsed = parseArgs({
      args, allowPositionals: false, strict: true,
      options: {
        port: { type: 'string' }, host: { type: 'string' }, items: { type: 'string' }, albums: { type: 'string' },
        seed: { type: 'string' }, 'pickable-only': { type: 'string' }, 'large-file-bytes': { type: 'string' },
        latency: { type: 'string' }, jitter: { type: 'string' }, 'fail-rate': { type: 'string' }, 'fail-codes': { type: 'string' },
        'reset-rate': { type: 'string' }, 'retry-after': { type: 'string' }, 'token-lifetime': { type: 'string' },
        'repeat-ids': { type: 'boolean' }, 'stray-page-token': { type: 'boolean' }, 'processing-videos': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const v = parsed.values;
  if (v.help) return 'help';
  const failCodes = v['fail-codes']?.split(',').map((code) => toNumber('fail-codes', code.trim())!);
  return {
    host: v.host, port: toNumber('port', v.port), items: toNumber('items', v.items), albums: toNumber('albums', v.albums),
    seed: toNumber('seed', v.seed), pickableOnlyItems: toNumber('pickable-only', v['pickable-only']),
    largeFileBytes: toNumber('large-file-bytes', v['large-file-bytes']), latencyMs: toNumber('latency', v.latency),
    jitterMs: toNumber('jitter', v.jitter), failRate: toNumber('fail-rate', v['fail-rate']), failCodes,
    resetRate: toNumber('reset-rate', v['reset-rate']), retryAfterSec: toNumber('retry-after', v['retry-after']),
    accessTokenLifetimeSec: toNumber('token-lifetime', v['token-lifetime']),
    repeatIds: v['repeat-ids'], strayPageToken: v['stray-page-token'],
    processingVideos: toNumber('processing-videos', v['processing-videos']),
  };
}

/** `gphotos-alist emulator ...`: prints the base URL and the default OAuth client, runs until interrupted. */
export async function main(args: string[]): Promise<void> {
  let options: EmulatorOptions | 'help';
  try {
    options = parseEmulatorArgs(args);
  } catch (error) {
    console.error(`emulator: ${(error as Error).message}\n\n${USAGE}`);
    process.exit(2);
  }
  if (options === 'help') {
    console.log(USAGE);
    return;
  }
  const defined = Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as EmulatorOptions;
  let emulator;
  try {
    emulator = await startEmulator(defined);
  } catch (error) {
    if (error instanceof RangeError) {
      console.error(`emulator: ${error.message}`);
      process.exit(2);
    }
    throw error;
  }
  console.log(`Google Photos emulator listening on ${emulator.url}`);
  console.log(`  client id:      ${emulator.client.clientId}`);
  console.log(`  client secret:  ${emulator.client.clientSecret}`);
  console.log(`  Library API:    ${emulator.endpoints.library}`);
  console.log(`  Picker API:     ${emulator.endpoints.picker}`);
  console.log(`  token endpoint: ${emulator.endpoints.token}`);
  console.log(`  authorize:      ${emulator.endpoints.authorize}`);
  console.log(`  a refresh token for tests: POST ${emulator.url}/emulator/refresh-tokens`);
  const stop = () => { void emulator.close().then(() => process.exit(0)); };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
