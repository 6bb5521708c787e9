import type { FaultSettings } from './faults.js';
import type { ApiName } from './store.js';

export interface SnapshotItem {
  id: string; filename: string; mimeType: string; albumIds: string[]; clientId: string | null; bytes?: number;
}
export interface SnapshotAlbum { id: string; title: string; clientId: string; mediaItemIds: string[] }

/** What the HTTP test controls drive; the Emulator adds url, endpoints, client and close. */
export interface EmulatorControls {
  registerClient(): { clientId: string; clientSecret: string };
  issueRefreshToken(opts?: { clientId?: string; scopes?: string[] }): string;
  revokeRefreshToken(refreshToken: string): void;
  setApiEnabled(api: ApiName, enabled: boolean): void;
  setQuotaExhausted(api: ApiName, exhausted: boolean): void;
  setFaults(faults: FaultSettings): void;
  requestCounts(): Record<string, number>;
  resetCounts(): void;
  pick(sessionId: string, mediaItemIds?: string[]): void;
  snapshot(): { mediaItems: SnapshotItem[]; albums: SnapshotAlbum[] };
}
