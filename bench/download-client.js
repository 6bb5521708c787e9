// The benchmarks' downloading client: curl -o /dev/null when installed (the lightest client), else node:http.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import http from 'node:http';
import { promisify } from 'node:util';

export const CURL = '/usr/bin/curl';
const REQUEST_TIMEOUT_MS = 120_000;
const execFileAsync = promisify(execFile);

/**
 * Download a URL to nowhere; returns bytes and seconds. curl -o /dev/null when installed (the lightest client),
 * else Node's http client rather than fetch: on 2 cores the client's own CPU (web streams) would otherwise be
 * what the proxied run waits for.
 */
export function download(url) {
  return existsSync(CURL) ? curlDownload(url) : nodeDownload(url);
}

async function curlDownload(url) {
  const { stdout } = await execFileAsync(CURL, ['-sS', '-o', '/dev/null', '--max-time', String(REQUEST_TIMEOUT_MS / 1000),
    '-w', '%{http_code} %{size_download} %{time_total}', url]);
  const [status, bytes, seconds] = stdout.trim().split(' ').map(Number);
  if (status !== 200) throw new Error(`GET ${url.split('?')[0]}: HTTP ${status}`);
  return { bytes, seconds };
}

function nodeDownload(url) {
  const started = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const request = http.get(url, { timeout: REQUEST_TIMEOUT_MS }, (response) => {
      if (response.statusCode !== 200) {
        response.resume();
        reject(new Error(`GET ${url.split('?')[0]}: HTTP ${response.statusCode}`));
        return;
      }
      let bytes = 0;
      response.on('data', (chunk) => { bytes += chunk.length; });
      response.on('end', () => resolve({ bytes, seconds: Number(process.hrtime.bigint() - started) / 1e9 }));
      response.on('error', reject);
    });
    request.on('timeout', () => request.destroy(new Error(`GET ${url.split('?')[0]}: timed out`)));
    request.on('error', reject);
  });
}

