import { expect } from '@jest/globals';

/** Fails when any recorded answer body holds a known secret or anything shaped like an emulator token. */
export function expectNoSecrets(bodies: readonly string[], secrets: readonly string[]): void {
  const all = bodies.join('\n');
  expect(bodies.length).toBeGreaterThan(0);
  for (const secret of secrets) expect(all).not.toContain(secret);
  // Emulator tokens look like Google's: refresh "1//0...", access "ya29.a0...".
  expect(all).not.toMatch(/1\/\/0[\w-]{10,}|ya29\.a0/);
}
