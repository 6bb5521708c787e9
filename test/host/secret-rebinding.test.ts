/**
 * Stored secrets stay with the upstream and client they were given for: an update that moves `api_base_url`
 * or `client_id` while sending the mask (or nothing) for the secrets is refused, and nothing reaches the new upstream.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SECRET_MASK } from '../../src/host/index.js';
import { startHostWithEmulator, type HostSetup } from './support/host-setup.js';

/** A stand-in for a hostile upstream: records every request body it gets. */
async function startRecorder(): Promise<{ url: string; bodies: string[]; server: Server }> {
  const bodies: string[] = [];
  const server = createServer((request, response) => {
    let body = `${request.url ?? ''} `;
    request.on('data', (chunk: Buffer) => { body += chunk.toString(); });
    request.on('end', () => {
      bodies.push(body);
      response.writeHead(400, { 'content-type': 'application/json' }).end('{"error":"invalid_client"}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, bodies, server };
}

describe('secrets and a changed upstream', () => {
  let setup: HostSetup;
  let recorder: Awaited<ReturnType<typeof startRecorder>>;
  let id: number;

  beforeAll(async () => {
    setup = await startHostWithEmulator();
    recorder = await startRecorder();
    id = await setup.addGooglePhotos('/photos');
    expect((await setup.settled(id)).status).toBe('work');
  });

  afterAll(async () => {
    await setup?.close();
    await new Promise((resolve) => recorder?.server.close(resolve));
  });

  const update = (addition: Record<string, unknown>) => setup.client.post('/api/admin/storage/update', {
    id,
    addition: JSON.stringify({
      client_id: setup.emulator.client.clientId,
      client_secret: SECRET_MASK,
      refresh_token: SECRET_MASK,
      api_base_url: setup.emulator.url,
      ...addition,
    }),
  });

  it.each([
    ['the mask', SECRET_MASK],
    ['nothing', ''],
  ])('refuses a new api_base_url with %s for the secrets, naming the fields', async (_label, kept) => {
    const answer = await update({ api_base_url: recorder.url, client_secret: kept, refresh_token: kept });
    expect(answer.code).toBe(400);
    expect(answer.message).toContain('api_base_url');
    expect(answer.message).toContain('client_secret');
    expect(answer.message).toContain('refresh_token');
    expect((await setup.settled(id)).status).toBe('work');
    const stored = await setup.client.get(`/api/admin/storage/get?id=${id}`);
    expect(JSON.parse(stored.data.addition).api_base_url).toBe(setup.emulator.url);
  });

  it('refuses a new client_id with a kept client secret', async () => {
    const answer = await update({ client_id: 'someone-else.apps.googleusercontent.com', refresh_token: 'a-new-refresh-token' });
    expect(answer.code).toBe(400);
    expect(answer.message).toContain('client_id');
    expect(answer.message).toContain('client_secret');
    expect(answer.message).not.toContain('refresh_token');
  });

  it('sends nothing stored to the new upstream', async () => {
    const stored = setup.secrets.join('|');
    for (const body of recorder.bodies) {
      for (const secret of stored.split('|')) expect(body).not.toContain(secret);
    }
  });

  it('accepts the move when the secrets are entered again', async () => {
    const answer = await update({ api_base_url: recorder.url, client_secret: 'typed-again', refresh_token: 'typed-again-too' });
    expect(answer.code).toBe(200);
    const status = await setup.settled(id);
    expect(status.status).not.toBe('work');
    expect(recorder.bodies.join('\n')).toContain('typed-again');
  });

  it('still keeps the secrets when only other settings change', async () => {
    const back = await update({ client_secret: setup.emulator.client.clientSecret, refresh_token: setup.emulator.issueRefreshToken() });
    expect(back.code).toBe(200);
    expect((await setup.settled(id)).status).toBe('work');
    const answer = await update({ root_folder_id: 'albums' });
    expect(answer.code).toBe(200);
    expect((await setup.settled(id)).status).toBe('work');
  });
});
