/**
 * The keeper: copies the files of any storage folder (e.g. a Google Photos picker session, whose items vanish
 * at its expireTime) into a local folder or another storage, resumably. See keepFolder.
 */
export { keepFolder, type KeepFolderOptions, type KeepProgress, type KeepResult, type KeepTarget } from './keep-folder.js';
export { openLinkStream, type LinkStreamOptions } from './link-stream.js';
