export { LocalDriver, localDriver } from './driver.js';
export { localConfigSchema, localMeta, parseLocalConfig, type LocalConfig } from './config.js';
export { writeFileAtomically, partialFileName, type AtomicWriteOptions } from './atomic-file.js';
export { unsafeNameReason, isPartialFileName } from './names.js';
