import { request as httpRequest } from 'node:http';
import type { EnvelopeOf, HostClient } from './host-client.js';

/** PUT /api/fs/put with the whole body. */
export async function putFile(client: HostClient, filePath: string, body: Buffer, headers: Record<string, string> = {}, token?: string): Promise<EnvelopeOf> {
  const { response, text } = await client.request('/api/fs/put', {
    method: 'PUT', body, token,
    headers: { 'file-path': encodeURIComponent(filePath), 'content-type': 'application/octet-stream', ...headers },
  });
  if (response.status !== 200) throw new Error(`HTTP ${response.status}: ${text}`);
  return JSON.parse(text) as EnvelopeOf;
}

/** The form upload (multipart field `file`). */
export async function formFile(client: HostClient, filePath: string, body: Buffer, name = 'file', headers: Record<string, string> = {}): Promise<EnvelopeOf> {
  const form = new FormData();
  form.append(name, new Blob([body], { type: 'image/jpeg' }), 'x.jpg');
  const { response, text } = await client.request('/api/fs/form', { method: 'PUT', body: form, headers: { 'file-path': encodeURIComponent(filePath), ...headers } });
  if (response.status !== 200) throw new Error(`HTTP ${response.status}: ${text}`);
  return JSON.parse(text) as EnvelopeOf;
}

/**
 * A PUT that announces `declared` bytes, sends `sent` bytes, then either ends the socket's writing side and waits
 * for an answer (`then: 'wait'`), or destroys the connection (`then: 'disconnect'`). Resolves with the answer's
 * text, or '' when there was none.
 */
export function partialPut(baseUrl: string, token: string, filePath: string, declared: number, sent: Buffer, then: 'wait' | 'disconnect'): Promise<string> {
  return new Promise((resolve) => {
    const outgoing = httpRequest(`${baseUrl}/api/fs/put`, {
      method: 'PUT',
      headers: { authorization: token, 'file-path': encodeURIComponent(filePath), 'content-length': String(declared), 'content-type': 'application/octet-stream' },
    });
    let text = '';
    outgoing.on('response', (response) => {
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        text += chunk;
      });
      response.on('end', () => resolve(text));
      response.on('error', () => resolve(text));
    });
    outgoing.on('error', () => resolve(text));
    outgoing.write(sent, () => {
      if (then === 'disconnect') {
        setTimeout(() => {
          outgoing.destroy();
          resolve('');
        }, 200);
      } else {
        outgoing.socket?.end();
      }
    });
  });
}
