import { expect } from '@jest/globals';
import { DriverError, type DriverErrorCode } from '../../src/types/errors.js';

/** The DriverError a call fails with; anything else (success, another error) fails the test. */
export async function driverFailure(promise: Promise<unknown>): Promise<DriverError> {
  const outcome = await promise.then(() => undefined, (error: unknown) => error);
  if (outcome instanceof DriverError) return outcome;
  throw outcome ?? new Error('expected the call to fail');
}

/** The DriverError a call fails with, checked to carry `code`. */
export async function expectDriverError(promise: Promise<unknown>, code: DriverErrorCode): Promise<DriverError> {
  const error = await driverFailure(promise);
  expect(error.code).toBe(code);
  return error;
}
