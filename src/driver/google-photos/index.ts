export { GooglePhotos, googlePhotosDriver, type GooglePhotosOptions } from './driver.js';
export { googlePhotosConfigSchema, googlePhotosMeta, parseGooglePhotosConfig, type GooglePhotosConfig } from './config.js';
export { GOOGLE_ENDPOINTS, emulatorEndpoints, endpointsFor, type GoogleEndpoints } from './endpoints.js';
export { SCOPES, DRIVER_SCOPES } from './scopes.js';
export { createPkcePair, buildAuthorizationUrl, exchangeAuthorizationCode } from './oauth.js';
export { translateGoogleError, type GoogleFailure } from './errors.js';
export { FOLDER } from './tree.js';
export type { SharedTokenCache, SharedTokenRequest, SharedAccessToken } from './shared-tokens.js';
export {
  MemoryPickerSessionStore,
  type PickerSessionRecord,
  type PickerSessionStore,
  type PickerSessionInfo,
} from './picker-sessions.js';
export type { CreatePickerSessionOptions } from './picked-media.js';
export { parsePickedId, sessionFolderId, pickedItemId, type PickedRef } from './picked-tree.js';
export type { RetryOptions } from './http.js';
