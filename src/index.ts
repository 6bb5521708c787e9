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
} from './driver/google-photos/index.js';
export type { GooglePhotosOptions, GooglePhotosConfig, GoogleEndpoints, GoogleFailure, RetryOptions } from './driver/google-photos/index.js';
export { registerBuiltinDrivers } from './driver/index.js';
