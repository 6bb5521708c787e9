import type { LoginGate } from './login-limiter.js';
import type { User } from './user-model.js';

/** How a limited login ended: refused by the limiter (`retryAfterSec`), or checked (`user`, undefined when wrong). */
export type LoginOutcome = { limited: true; retryAfterSec: number } | { limited: false; user: User | undefined };

/**
 * One login through the limiter, for every door (API logins, WebDAV's Basic): counted before the password is
 * checked, refused while limited; a check that throws (the server too busy to hash) is not counted and rethrown.
 */
export async function limitedLogin(gate: LoginGate, clientAddress: string, username: string,
  check: () => Promise<User | undefined>): Promise<LoginOutcome> {
  const decision = await gate.begin(clientAddress, username);
  if (!decision.allowed) return { limited: true, retryAfterSec: decision.retryAfterSec };
  let user: User | undefined;
  try {
    user = await check();
  } catch (err) {
    decision.attempt.cancelled();
    throw err;
  }
  if (user) decision.attempt.succeeded();
  return { limited: false, user };
}
