/** API calls from a chosen loopback source address (127.0.0.2, 127.0.0.3, ...), as many clients would make them. */
import { request } from 'node:http';
import type { EnvelopeOf } from './host-client.js';

export async function callFrom<T = any>(
  sourceAddress: string,
  baseUrl: string,
  path: string,
  body?: unknown,
  token = '',
): Promise<EnvelopeOf<T>> {
  const url = new URL(path, baseUrl);
  const payload = body === undefined ? undefined : JSON.stringify(body);
  const headers: Record<string, string> = {};
  if (payload !== undefined) headers['content-type'] = 'application/json';
  if (token) headers.authorization = token;
  return new Promise((resolve, reject) => {
    const outgoing = request(
      { host: url.hostname, port: url.port, path: url.pathname + url.search, method: payload === undefined ? 'GET' : 'POST', headers, localAddress: sourceAddress, agent: false, timeout: 60_000 },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          if (response.statusCode !== 200) reject(new Error(`HTTP ${response.statusCode} for ${path}: ${text}`));
          else resolve(JSON.parse(text) as EnvelopeOf<T>);
        });
        response.on('error', reject);
      },
    );
    outgoing.on('timeout', () => outgoing.destroy(new Error(`no answer to ${path} from ${sourceAddress}`)));
    outgoing.on('error', reject);
    outgoing.end(payload);
  });
}

export function loginFrom(sourceAddress: string, baseUrl: string, username: string, password: string): Promise<EnvelopeOf<{ token: string }>> {
  return callFrom(sourceAddress, baseUrl, '/api/auth/login', { username, password });
}
