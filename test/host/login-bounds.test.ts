/** What an attacker can make the login machinery hold: failure records, password hashes in flight, sessions. */
import { rmSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { HashSlots, HashSlotsBusyError } from '../../src/host/auth/hash-slots.js';
import { LoginLimiter } from '../../src/host/auth/login-limiter.js';
import { SessionStore } from '../../src/host/auth/sessions.js';
import { openDatabase } from '../../src/host/state/database.js';
import { makeDataDir } from './support/host-setup.js';

function failFrom(limiter: LoginLimiter, address: string, username: string): void {
  const decision = limiter.begin(address, username);
  expect(decision.allowed).toBe(true); // each new address and name gets its first attempt checked
}

describe('the login limiter', () => {
  it('tracks a bounded number of addresses and names however many distinct ones fail', () => {
    const clock = { now: 1_000_000 };
    const limiter = new LoginLimiter(() => clock.now, { maxTracked: 50 });
    for (let index = 0; index < 5000; index++) failFrom(limiter, `10.0.${index >> 8}.${index & 255}`, `user-${index}`);
    expect(limiter.trackedEntries).toBeLessThanOrEqual(100);
  });

  it('forgets expired failures as new ones arrive', () => {
    const clock = { now: 1_000_000 };
    const limiter = new LoginLimiter(() => clock.now);
    for (let index = 0; index < 300; index++) failFrom(limiter, `10.1.0.${index}`, `name-${index}`);
    clock.now += 60 * 60_000; // past both windows
    failFrom(limiter, '10.2.0.1', 'admin');
    expect(limiter.trackedEntries).toBe(2);
  });

  it('still refuses an address that keeps failing while many others come and go', () => {
    const clock = { now: 1_000_000 };
    const limiter = new LoginLimiter(() => clock.now, { maxTracked: 50, maxPerAddress: 3 });
    for (let attempt = 0; attempt < 3; attempt++) failFrom(limiter, '10.9.9.9', `x-${attempt}`);
    for (let index = 0; index < 10; index++) failFrom(limiter, `10.3.0.${index}`, `y-${index}`);
    expect(limiter.begin('10.9.9.9', 'x-4')).toMatchObject({ allowed: false, retryAfterSec: expect.any(Number) });
  });
});

describe('password hash slots', () => {
  it('run at most the allowed hashes at once and refuse beyond the waiting room', async () => {
    const slots = new HashSlots(2, 3);
    const releases: Array<() => void> = [];
    let peak = 0;
    const work = () => new Promise<void>((resolve) => {
      peak = Math.max(peak, slots.inFlight);
      releases.push(resolve);
    });
    const accepted = Array.from({ length: 5 }, () => slots.run(work));
    const refused = slots.run(work);
    await expect(refused).rejects.toBeInstanceOf(HashSlotsBusyError);
    while (releases.length) {
      releases.shift()!();
      await new Promise((resolve) => setImmediate(resolve));
    }
    await Promise.all(accepted);
    expect(peak).toBe(2);
    expect(slots.inFlight).toBe(0);
  });
});

describe('client addresses', () => {
  it('share one limit across an IPv6 /64, and count an IPv4-mapped address as the IPv4 one', () => {
    const clock = { now: 1_000_000 };
    const limiter = new LoginLimiter(() => clock.now, { maxPerAddress: 3 });
    failFrom(limiter, '2001:db8:1:2::1', 'a');
    failFrom(limiter, '2001:db8:1:2:ffff:1:2:3', 'b');
    failFrom(limiter, '2001:0db8:0001:0002:0:0:0:abcd', 'c');
    expect(limiter.begin('2001:db8:1:2::99', 'd').allowed).toBe(false);
    expect(limiter.begin('2001:db8:1:3::1', 'd').allowed).toBe(true);

    for (let attempt = 0; attempt < 3; attempt++) failFrom(limiter, '::ffff:192.0.2.7', `e-${attempt}`);
    expect(limiter.begin('192.0.2.7', 'f').allowed).toBe(false);
    expect(limiter.begin('192.0.2.8', 'f').allowed).toBe(true);
  });
});

describe('sessions', () => {
  it('keep at most 100 per user, the newest, however often the user logs in', async () => {
    const dataDir = makeDataDir();
    const db = await openDatabase({ dataDir });
    try {
      const { id: userId } = (await db.get<{ id: number }>("INSERT INTO users (username, password_hash, role) VALUES ('script', 'x', 2) RETURNING id"))!;
      const sessions = new SessionStore(db, () => 1_000_000);
      const tokens: string[] = [];
      for (let i = 0; i < 150; i++) tokens.push(await sessions.issue(userId));
      expect((await db.get<{ n: number }>('SELECT COUNT(*) AS n FROM auth_sessions'))!.n).toBe(100);
      expect(await sessions.userIdFor(tokens[149]!)).toBe(userId);
      expect(await sessions.userIdFor(tokens[50]!)).toBe(userId);
      expect(await sessions.userIdFor(tokens[49]!)).toBeUndefined();
    } finally {
      await db.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
