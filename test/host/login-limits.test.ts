/** Password guessing against the real host, from many loopback addresses at once: what gets checked, what is refused. */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Host } from '../../src/host/index.js';
import { createTestHost } from './support/test-host.js';
import type { EnvelopeOf } from './support/host-client.js';
import { makeDataDir } from './support/host-setup.js';
import { loginFrom } from './support/loopback-client.js';

const PASSWORD = 'limits-test-password-9Z';

interface TestHost {
  host: Host;
  dataDir: string;
  clock: { now: number };
}

async function startHost(): Promise<TestHost> {
  const dataDir = makeDataDir();
  const clock = { now: Date.now() };
  const host = await createTestHost({ dataDir, port: 0, adminPassword: PASSWORD, demo: false, now: () => clock.now });
  return { host, dataDir, clock };
}

async function stopHost(test: TestHost | undefined): Promise<void> {
  if (!test) return;
  await test.host.close();
  rmSync(test.dataDir, { recursive: true, force: true });
}

/** How many answers were a checked wrong password (400), and the refusals (429). */
function tally(answers: EnvelopeOf[]): { checked: number; refused: EnvelopeOf[] } {
  for (const answer of answers) expect([400, 429]).toContain(answer.code);
  return { checked: answers.filter((answer) => answer.code === 400).length, refused: answers.filter((answer) => answer.code === 429) };
}

describe('a burst of wrong passwords from one address', () => {
  let test: TestHost;
  beforeAll(async () => {
    test = await startHost();
  });
  afterAll(() => stopHost(test));

  it('gets at most the limit checked; the rest are refused with 429 and when to retry', async () => {
    const guesses = Array.from({ length: 40 }, (_, index) => loginFrom('127.0.0.2', test.host.url, 'admin', `guess-${index}`));
    const { checked, refused } = tally(await Promise.all(guesses));
    expect(checked).toBeLessThanOrEqual(5);
    expect(refused.length).toBeGreaterThanOrEqual(35);
    for (const answer of refused) {
      expect(answer.message).toMatch(/try again in \d+ s/i);
      expect(answer.data).toBeNull();
      expect(answer.error?.code).toBe('TOO_MANY_LOGINS');
    }
    // The right password from the same address is refused too until the window passes.
    expect((await loginFrom('127.0.0.2', test.host.url, 'admin', PASSWORD)).code).toBe(429);
  });

  it('answers an over-long username at once, without holding it or counting it', async () => {
    const long = 'x'.repeat(100_000);
    for (let attempt = 0; attempt < 8; attempt++) {
      const answer = await loginFrom('127.0.0.4', test.host.url, long + attempt, 'whatever-password');
      expect(answer.code).toBe(400);
    }
    expect((await loginFrom('127.0.0.4', test.host.url, 'admin', PASSWORD)).code).toBe(200);
  });

  it('leaves the admin able to log in from another address', async () => {
    const answer = await loginFrom('127.0.0.3', test.host.url, 'admin', PASSWORD);
    expect(answer.code).toBe(200);
    expect(answer.data.token).toEqual(expect.any(String));
  });
});

describe('guesses at one account from many addresses', () => {
  let test: TestHost;
  beforeAll(async () => {
    test = await startHost();
    // The owner has logged in from 127.0.0.1 before.
    expect((await loginFrom('127.0.0.1', test.host.url, 'admin', PASSWORD)).code).toBe(200);
  });
  afterAll(() => stopHost(test));

  it('are slowed down per account: few are checked, the rest refused with when to retry', async () => {
    const guesses: Array<Promise<EnvelopeOf>> = [];
    for (let address = 1; address <= 20; address++) {
      for (let guess = 0; guess < 5; guess++) guesses.push(loginFrom(`127.0.1.${address}`, test.host.url, 'admin', `guess-${address}-${guess}`));
    }
    const { checked, refused } = tally(await Promise.all(guesses));
    expect(checked).toBeLessThanOrEqual(10);
    expect(refused.length).toBeGreaterThanOrEqual(90);
    for (const answer of refused) expect(answer.message).toMatch(/try again in \d+ s/i);

    // Later waves from yet more addresses get nothing more checked while the delay runs.
    const more = await Promise.all(Array.from({ length: 20 }, (_, index) => loginFrom(`127.0.3.${index + 1}`, test.host.url, 'admin', `late-${index}`)));
    expect(tally(more).checked).toBe(0);
  });

  it('lets the owner in at once from an address it used before', async () => {
    expect((await loginFrom('127.0.0.1', test.host.url, 'admin', PASSWORD)).code).toBe(200);
  });

  it('makes the owner on a new address wait the announced delay, not forever', async () => {
    const waiting = await loginFrom('127.0.2.1', test.host.url, 'admin', PASSWORD);
    expect(waiting.code).toBe(429);
    const seconds = Number(/try again in (\d+) s/i.exec(waiting.message)?.[1]);
    expect(seconds).toBeGreaterThan(0);
    expect(seconds).toBeLessThanOrEqual(60);
    test.clock.now += seconds * 1000;
    expect((await loginFrom('127.0.2.1', test.host.url, 'admin', PASSWORD)).code).toBe(200);
  });
});
