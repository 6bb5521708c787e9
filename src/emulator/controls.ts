import type { FaultSettings } from './faults.js';
import type { ApiName, VideoStatus } from './store.js';

export interface SnapshotItem {
  id: string; filename: string; mimeType: string; albumIds: string[]; clientId: string | null; bytes?: number;
  /** Videos only. */
  videoStatus?: VideoStatus;
}
export interface SnapshotAlbum { id: string; title: string; clientId: string; mediaItemIds: string[] }

/** What the HTTP test controls drive; the Emulator adds url, endpoints, client and close. */
export interface EmulatorControls {
  registerClient(): { clientId: string; clientSecret: string };
  issueRefreshToken(opts?: { clientId?: string; scopes?: string[] }): string;
  revokeRefreshToken(refreshToken: string): void;
  /** Every access token issued so far answers 401 from now on (a refresh gets a working one); returns how many. */
  expireAccessTokens(): number;
  setApiEnabled(api: ApiName, enabled: boolean): void;
  setQuotaExhausted(api: ApiName, exhausted: boolean): void;
  setFaults(faults: FaultSettings): void;
  /** Latency and failures of media bytes (/media): latencyMs, jitterMs, failRate/failCodes, resetRate, retryAfterSec. */
  setMediaFaults(faults: FaultSettings): void;
  requestCounts(): Record<string, number>;
  resetCounts(): void;
  pick(sessionId: string, mediaItemIds?: string[]): void;
  /** A video's processing state: PROCESSING lists it without a baseUrl. Throws for an unknown id or a photo. */
  setVideoStatus(mediaItemId: string, status: VideoStatus): void;
  /** false: the user has no Google Photos account, so picker sessions.create answers FAILED_PRECONDITION. */
  setPhotosAccount(hasPhotosAccount: boolean): void;
  snapshot(): { mediaItems: SnapshotItem[]; albums: SnapshotAlbum[] };
}
