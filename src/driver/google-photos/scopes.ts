export const SCOPES = {
  appendOnly: 'https://www.googleapis.com/auth/photoslibrary.appendonly',
  readAppCreated: 'https://www.googleapis.com/auth/photoslibrary.readonly.appcreateddata',
  editAppCreated: 'https://www.googleapis.com/auth/photoslibrary.edit.appcreateddata',
  picker: 'https://www.googleapis.com/auth/photospicker.mediaitems.readonly',
  /** Removed by Google on 2025-03-31; tokens carrying only this get 403 insufficient scopes. */
  legacyLibrary: 'https://www.googleapis.com/auth/photoslibrary',
} as const;

/** What this driver asks for when a user authorizes it. */
export const DRIVER_SCOPES: string[] = [SCOPES.appendOnly, SCOPES.readAppCreated, SCOPES.editAppCreated, SCOPES.picker];
