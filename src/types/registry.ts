import type { DriverFactory } from './driver.js';

const registry = new Map<string, DriverFactory<any>>();

export function registerDriver(factory: DriverFactory<any>): void {
  registry.set(factory.meta.name, factory);
}

export function getDriverFactory(name: string): DriverFactory<any> | undefined {
  return registry.get(name);
}

export function listDriverFactories(): DriverFactory<any>[] {
  return [...registry.values()];
}
