export * from './types/index.js';
export {
  GooglePhotos,
  googlePhotosDriver,
  googlePhotosConfigSchema,
  googlePhotosMeta,
  parseGooglePhotosConfig,
  GOOGLE_ENDPOINTS,
  emulatorEndpoints,
  endpointsFor,
  SCOPES,
  DRIVER_SCOPES,
  createPkcePair,
  buildAuthorizationUrl,
  exchangeAuthorizationCode,
  translateGoogleError,
  FOLDER,
  MemoryPickerSessionStore,
  parsePickedId,
  sessionFolderId,
  pickedItemId,
} from './driver/google-photos/index.js';
export type {
  GooglePhotosOptions, GooglePhotosConfig, GoogleEndpoints, GoogleFailure, RetryOptions,
  PickerSessionRecord, PickerSessionStore, PickerSessionInfo, CreatePickerSessionOptions, PickedRef,
} from './driver/google-photos/index.js';
export { registerBuiltinDrivers } from './driver/index.js';
