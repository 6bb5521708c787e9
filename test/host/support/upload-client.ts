import { connect } from 'node:net';
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
 * body, or '' when there was none. A raw socket, so that nothing (e.g. an HTTP interceptor) completes the request.
 */
export function partialPut(baseUrl: string, token: string, filePath: string, declared: number, sent: Buffer, then: 'wait' | 'disconnect'): Promise<string> {
  const url = new URL(baseUrl);
  return new Promise((resolve) => {
    const socket = connect(Number(url.port), url.hostname);
    let answer = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      answer += chunk;
    });
    const body = () => answer.slice(answer.indexOf('\r\n\r\n') + 4);
    socket.on('close', () => resolve(answer ? body() : ''));
    socket.on('error', () => undefined);
    const head = [
      'PUT /api/fs/put HTTP/1.1', `Host: ${url.host}`, `Authorization: ${token}`, `File-Path: ${encodeURIComponent(filePath)}`,
      `Content-Length: ${declared}`, 'Content-Type: application/octet-stream', '', '',
    ].join('\r\n');
    socket.write(head);
    socket.write(sent, () => {
      if (then === 'wait') return void socket.end();
      setTimeout(() => socket.destroy(), 200);
    });
  });
}
