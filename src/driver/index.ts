import { registerDriver } from '../types/registry.js';
import { googlePhotosDriver } from './google-photos/driver.js';
import { localDriver } from './local/driver.js';

/** Register the drivers shipped with this package. Safe to call more than once. */
export function registerBuiltinDrivers(): void {
  registerDriver(googlePhotosDriver);
  registerDriver(localDriver);
}
