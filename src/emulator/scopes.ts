/**
 * The emulator's own copies of Google's scope strings and of its URL layout.
 * It deliberately does not import the driver: it stands alone, like Google.
 */
export const SCOPE = {
  appendOnly: 'https://www.googleapis.com/auth/photoslibrary.appendonly',
  readAppCreated: 'https://www.googleapis.com/auth/photoslibrary.readonly.appcreateddata',
  editAppCreated: 'https://www.googleapis.com/auth/photoslibrary.edit.appcreateddata',
  picker: 'https://www.googleapis.com/auth/photospicker.mediaitems.readonly',
  legacyLibrary: 'https://www.googleapis.com/auth/photoslibrary',
  legacyReadonly: 'https://www.googleapis.com/auth/photoslibrary.readonly',
  legacySharing: 'https://www.googleapis.com/auth/photoslibrary.sharing',
} as const;

export const DEFAULT_SCOPES: readonly string[] = [SCOPE.appendOnly, SCOPE.readAppCreated, SCOPE.editAppCreated, SCOPE.picker];

/** What the consent page says about each scope Google knows. */
export const SCOPE_DESCRIPTIONS: Record<string, string> = {
  [SCOPE.appendOnly]: 'Add to your Google Photos library',
  [SCOPE.readAppCreated]: 'View and download photos and videos this app created in your Google Photos library',
  [SCOPE.editAppCreated]: 'Edit the info in photos, videos and albums created by this app',
  [SCOPE.picker]: 'View the photos and videos you select in Google Photos',
  [SCOPE.legacyLibrary]: 'See, upload, and organize items in your Google Photos library (removed 2025-03-31)',
  [SCOPE.legacyReadonly]: 'View your Google Photos library (removed 2025-03-31)',
  [SCOPE.legacySharing]: 'Manage and add to shared albums on your behalf (removed 2025-03-31)',
  openid: 'Associate you with your personal info on Google',
  email: 'See your primary Google Account email address',
  profile: 'See your personal info',
  'https://www.googleapis.com/auth/userinfo.email': 'See your primary Google Account email address',
  'https://www.googleapis.com/auth/userinfo.profile': 'See your personal info',
};

/** Google's reference lists only readonly.appcreateddata for reads; edit.appcreateddata alone cannot read. */
export const READ_SCOPES: readonly string[] = [SCOPE.readAppCreated];
/** albums.create: appendonly only. */
export const APPEND_SCOPES: readonly string[] = [SCOPE.appendOnly];
export const WRITE_SCOPES: readonly string[] = [SCOPE.appendOnly, SCOPE.editAppCreated];
export const EDIT_SCOPES: readonly string[] = [SCOPE.editAppCreated];
export const PICKER_SCOPES: readonly string[] = [SCOPE.picker];

export interface EmulatorEndpoints { authorize: string; token: string; library: string; picker: string }

/** Same layout as src/driver/google-photos/endpoints.ts emulatorEndpoints(). */
export function emulatorEndpoints(baseUrl: string): EmulatorEndpoints {
  return {
    authorize: `${baseUrl}/o/oauth2/v2/auth`,
    token: `${baseUrl}/token`,
    library: `${baseUrl}/photoslibrary/v1`,
    picker: `${baseUrl}/photospicker/v1`,
  };
}
