import { createHash, randomUUID } from 'node:crypto';
import { randomToken, stableId } from './ids.js';

export interface CameraInfo {
  make: string; model: string; focalLength: number; apertureFNumber: number; isoEquivalent: number; exposureTime: string;
}

export type MediaSource =
  | { kind: 'generated' }                       // photos: a rendered JPEG; videos: assets/emulator/sample.mp4
  | { kind: 'upload'; path: string; size: number }   // the uploaded bytes, in the emulator's upload folder
  | { kind: 'large'; size: number };            // a video of exactly `size` bytes, streamed

export interface MediaItemRecord {
  id: string;
  seq: number;                 // drawn on the generated picture
  filename: string;
  mimeType: string;
  isVideo: boolean;
  createdMs: number;
  width: number;
  height: number;
  camera: CameraInfo | null;
  clientId: string | null;     // null: the user's older library, reachable only through the Picker
  description?: string;
  /** Videos only; absent means READY. A PROCESSING video has no usable baseUrl yet. */
  videoStatus?: VideoStatus;
  source: MediaSource;
}

export const VIDEO_STATUSES = ['PROCESSING', 'READY', 'FAILED'] as const;
export type VideoStatus = (typeof VIDEO_STATUSES)[number];

export interface AlbumRecord { id: string; title: string; clientId: string; items: MediaItemRecord[] }

export interface ClientRecord {
  clientId: string;
  clientSecret: string;
  items: MediaItemRecord[];
  albums: AlbumRecord[];
  itemsByDate?: MediaItemRecord[];   // cache for date-ordered search, dropped when items change
}

export interface AccessTokenRecord { clientId: string; scopes: string[]; expiresMs: number; refreshToken?: string }
export interface RefreshTokenRecord { clientId: string; scopes: string[]; revoked: boolean }
export interface AuthCodeRecord {
  clientId: string; redirectUri: string; scopes: string[]; codeChallenge?: string; challengeMethod: string;
  expiresMs: number; used: boolean; offline: boolean;
  /** The consent behind this code was a fresh one (see oauth-authorize.ts): only then a refresh token. */
  freshConsent: boolean;
}
/** Finished bytes waiting for batchCreate; `type` is what the bytes are (undefined: not a photo or video Google takes). */
export interface UploadRecord {
  clientId: string; path: string; size: number; fileName: string; expiresMs: number;
  type?: { mimeType: string; isVideo: boolean }; takenMs?: number; dimensions?: { width: number; height: number };
}
/** A resumable upload in progress: `received` bytes are committed in the file at `path`. */
export interface ResumableUpload {
  clientId: string; path: string; received: number; rawSize: number; fileName: string;
  /** Settles when the request now writing to this upload is done: others (query, the next chunk) wait for it. */
  settled: Promise<void>;
}
export interface PickerSession {
  id: string; clientId: string; createdMs: number; expireMs: number; maxItemCount?: number;
  picked: MediaItemRecord[] | null;
}

export type ApiName = 'photoslibrary' | 'photospicker';

/** Google's limit on the items of one album. */
export const MAX_ALBUM_ITEMS = 20_000;
export const PROJECT_NUMBER = '604452191871';
export const ACCESS_CODE_LIFETIME_MS = 10 * 60_000;
export const UPLOAD_TOKEN_LIFETIME_MS = 24 * 3600_000;
export const PICKER_SESSION_LIFETIME_MS = 60 * 60_000;
export const PICKER_POLL_TIMEOUT_MS = 30 * 60_000;

/** All the emulator's state. Media items are compact records; response JSON is built on demand. */
export class EmulatorStore {
  readonly clients = new Map<string, ClientRecord>();
  readonly itemsById = new Map<string, MediaItemRecord>();
  readonly albumsById = new Map<string, AlbumRecord>();
  /** The user's whole library in display order (newest first): app-created items of every client, then the older library. */
  readonly userLibrary: MediaItemRecord[] = [];
  readonly pickableOnly: MediaItemRecord[] = [];
  readonly accessTokens = new Map<string, AccessTokenRecord>();
  readonly refreshTokens = new Map<string, RefreshTokenRecord>();
  readonly authCodes = new Map<string, AuthCodeRecord>();
  readonly uploads = new Map<string, UploadRecord>();
  readonly resumableUploads = new Map<string, ResumableUpload>();
  readonly pickerSessions = new Map<string, PickerSession>();
  readonly apiEnabled: Record<ApiName, boolean> = { photoslibrary: true, photospicker: true };
  readonly quotaExhausted: Record<ApiName, boolean> = { photoslibrary: false, photospicker: false };
  /** False: the signed-in user never activated Google Photos (the Picker refuses to create sessions). */
  hasPhotosAccount = true;
  /** The scopes the user has granted each client so far: a refresh token comes only with a fresh consent. */
  readonly grants = new Map<string, Set<string>>();
  private nextRuntimeId = 0;
  private nextSeq = 0;

  constructor(readonly seed: number, readonly now: () => number, readonly accessTokenLifetimeSec: number) {}

  addClient(clientId: string, clientSecret: string): ClientRecord {
    const client: ClientRecord = { clientId, clientSecret, items: [], albums: [] };
    this.clients.set(clientId, client);
    return client;
  }

  registerClient(): ClientRecord {
    const n = this.clients.size + 1;
    const hash = createHash('sha256').update(`${this.seed}:client:${n}`).digest('hex');
    return this.addClient(`${n}-${hash.slice(0, 32)}.apps.googleusercontent.com`, `GOCSPX-${hash.slice(32, 60)}`);
  }

  newId(kind: 'item' | 'album'): string {
    return stableId(this.seed, `${kind === 'album' ? 'album' : 'item'}-runtime`, this.nextRuntimeId++);
  }

  takeSeq(): number { return ++this.nextSeq; }

  addItem(item: MediaItemRecord, position: 'start' | 'end' = 'end'): void {
    this.itemsById.set(item.id, item);
    if (item.clientId === null) {
      this.pickableOnly.push(item);
      this.userLibrary.push(item);
      return;
    }
    const client = this.clients.get(item.clientId);
    if (!client) throw new Error(`unknown client ${item.clientId}`);
    client.items.push(item);
    client.itemsByDate = undefined;
    if (position === 'start') this.userLibrary.unshift(item); else this.userLibrary.push(item);
  }

  addAlbum(album: AlbumRecord): void {
    this.albumsById.set(album.id, album);
    this.clients.get(album.clientId)?.albums.push(album);
  }

  /** A client's items sorted by creation time, oldest first (computed once per change, not per request). */
  itemsByDate(client: ClientRecord): MediaItemRecord[] {
    client.itemsByDate ??= [...client.items].sort((a, b) => a.createdMs - b.createdMs);
    return client.itemsByDate;
  }

  issueRefreshToken(clientId: string, scopes: string[]): string {
    const token = randomToken('1//0', 48);
    this.refreshTokens.set(token, { clientId, scopes: [...scopes], revoked: false });
    return token;
  }

  issueAccessToken(clientId: string, scopes: string[], refreshToken?: string): string {
    if (this.accessTokens.size > 10_000) this.dropExpiredAccessTokens();
    const token = randomToken('ya29.a0', 96);
    this.accessTokens.set(token, {
      clientId, scopes: [...scopes], refreshToken, expiresMs: this.now() + this.accessTokenLifetimeSec * 1000,
    });
    return token;
  }

  /** Revoking a refresh token also ends the access tokens minted from it and the user's grant, as Google does. */
  revokeRefreshToken(refreshToken: string): void {
    const record = this.refreshTokens.get(refreshToken);
    if (record) record.revoked = true;
    // As when the user removes the app's access: the next authorization is a fresh consent.
    if (record) this.grants.delete(record.clientId);
    for (const [token, access] of this.accessTokens) if (access.refreshToken === refreshToken) this.accessTokens.delete(token);
  }

  /** Every access token issued so far answers 401 (expired) from now on; returns how many were still valid. */
  expireAccessTokens(): number {
    const now = this.now();
    let expired = 0;
    for (const record of this.accessTokens.values()) {
      if (record.expiresMs > now) expired++;
      record.expiresMs = Math.min(record.expiresMs, now);
    }
    return expired;
  }

  revokeAccessToken(accessToken: string): boolean {
    return this.accessTokens.delete(accessToken);
  }

  createPickerSession(clientId: string, maxItemCount?: number): PickerSession {
    const createdMs = this.now();
    const session: PickerSession = {
      id: randomUUID(), clientId, createdMs, expireMs: createdMs + PICKER_SESSION_LIFETIME_MS, maxItemCount, picked: null,
    };
    this.pickerSessions.set(session.id, session);
    return session;
  }

  liveSessionCount(clientId: string): number {
    let n = 0;
    const now = this.now();
    for (const session of this.pickerSessions.values()) if (session.clientId === clientId && session.expireMs > now) n++;
    return n;
  }

  private dropExpiredAccessTokens(): void {
    const now = this.now();
    for (const [token, record] of this.accessTokens) if (record.expiresMs <= now) this.accessTokens.delete(token);
  }
}
