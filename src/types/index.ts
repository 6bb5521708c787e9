export * from './obj.js';
export * from './errors.js';
export * from './driver.js';
export * from './config-items.js';
export * from './registry.js';
