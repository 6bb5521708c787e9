import { randomBytes } from 'node:crypto';
import { BaseUrlSigner } from './base-url.js';
import type { EmulatorContext } from './context.js';
import { registerControlRoutes } from './control-routes.js';
import { FaultInjector, RequestCounter } from './faults.js';
import { pickItems } from './picker-routes.js';
import { DEFAULT_SCOPES, emulatorEndpoints, type EmulatorEndpoints } from './scopes.js';
import { seedLibrary } from './seed.js';
import { buildServer } from './server.js';
import { EmulatorStore, VIDEO_STATUSES } from './store.js';
import { UploadSpool } from './upload-spool.js';
import { validateOptions, type EmulatorOptions } from './options.js';
import type { EmulatorControls, SnapshotAlbum, SnapshotItem } from './controls.js';

export type { FaultSettings } from './faults.js';
export { emulatorEndpoints } from './scopes.js';
export type { EmulatorOptions } from './options.js';
export type { EmulatorControls, SnapshotAlbum, SnapshotItem } from './controls.js';
export type { VideoStatus } from './store.js';

export const DEFAULT_CLIENT_ID = 'emulator-client.apps.googleusercontent.com';
export const DEFAULT_CLIENT_SECRET = 'emulator-secret';

export interface Emulator extends EmulatorControls {
  readonly url: string;
  readonly endpoints: EmulatorEndpoints;
  readonly client: { clientId: string; clientSecret: string };
  close(): Promise<void>;
}

/** Starts a Google Photos emulator (OAuth, Library API, Picker API, media bytes) on 127.0.0.1. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const o = validateOptions(options);
  const store = new EmulatorStore(o.seed, o.now, o.accessTokenLifetimeSec);
  store.addClient(DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET);
  seedLibrary(store, DEFAULT_CLIENT_ID, o);
  const signer = new BaseUrlSigner(randomBytes(32).toString('hex'));
  const faults = new FaultInjector(o);
  const mediaFaults = new FaultInjector();
  const counter = new RequestCounter();
  const spool = await UploadSpool.create();
  const ctx: EmulatorContext = {
    store, signer, faults, mediaFaults, counter, spool, origin: '', defaultClientId: DEFAULT_CLIENT_ID,
    libraryBaseUrl: (item) => signer.make(ctx.origin, { kind: 'lr', itemId: item.id, issuedMs: store.now() }),
    pickedBaseUrl: (item, session) => signer.make(ctx.origin, { kind: 'pk', itemId: item.id, issuedMs: store.now(), sessionId: session.id }),
  };

  const controls: EmulatorControls = {
    registerClient() {
      const client = store.registerClient();
      return { clientId: client.clientId, clientSecret: client.clientSecret };
    },
    issueRefreshToken(opts = {}) {
      const clientId = opts.clientId ?? DEFAULT_CLIENT_ID;
      if (!store.clients.has(clientId)) throw new Error(`Unknown OAuth client: ${clientId}`);
      return store.issueRefreshToken(clientId, opts.scopes ?? [...DEFAULT_SCOPES]);
    },
    revokeRefreshToken: (token) => store.revokeRefreshToken(token),
    expireAccessTokens: () => store.expireAccessTokens(),
    setApiEnabled: (api, enabled) => { store.apiEnabled[api] = enabled; },
    setQuotaExhausted: (api, exhausted) => { store.quotaExhausted[api] = exhausted; },
    setFaults: (settings) => faults.set(settings),
    setMediaFaults: (settings) => mediaFaults.set(settings),
    requestCounts: () => counter.snapshot(),
    resetCounts: () => counter.reset(),
    pick: (sessionId, ids) => pickItems(store, sessionId, ids),
    setVideoStatus(mediaItemId, status) {
      const item = store.itemsById.get(mediaItemId);
      if (!item || !item.isVideo) throw new Error(`No video with id ${mediaItemId.slice(0, 80)}`);
      if (!(VIDEO_STATUSES as readonly string[]).includes(status)) throw new Error(`status must be one of ${VIDEO_STATUSES.join(', ')}`);
      item.videoStatus = status;
    },
    setPhotosAccount: (has) => { store.hasPhotosAccount = has; },
    snapshot() {
      const albumIds = new Map<string, string[]>();
      for (const album of store.albumsById.values()) {
        for (const item of album.items) albumIds.set(item.id, [...(albumIds.get(item.id) ?? []), album.id]);
      }
      const mediaItems = [...store.itemsById.values()].map((item): SnapshotItem => {
        const s = item.source;
        const bytes = s.kind === 'upload' || s.kind === 'large' ? s.size : undefined;
        const snapshot: SnapshotItem = {
          id: item.id, filename: item.filename, mimeType: item.mimeType, albumIds: albumIds.get(item.id) ?? [], clientId: item.clientId,
        };
        if (item.isVideo) snapshot.videoStatus = item.videoStatus ?? 'READY';
        if (bytes !== undefined) snapshot.bytes = bytes;
        return snapshot;
      });
      const albums = [...store.albumsById.values()].map((album): SnapshotAlbum => ({
        id: album.id, title: album.title, clientId: album.clientId, mediaItemIds: album.items.map((item) => item.id),
      }));
      return { mediaItems, albums };
    },
  };

  const app = buildServer(ctx, (server) => registerControlRoutes(server, controls));
  app.addHook('onClose', async () => { await spool.close(); });
  try {
    await app.listen({ host: o.host, port: o.port });
  } catch (error) {
    await app.close();
    throw error;
  }
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('The emulator could not determine its port.');
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  ctx.origin = `http://${host}:${address.port}`;

  return {
    ...controls,
    url: ctx.origin,
    endpoints: emulatorEndpoints(ctx.origin),
    client: { clientId: DEFAULT_CLIENT_ID, clientSecret: DEFAULT_CLIENT_SECRET },
    close: async () => { await app.close(); },
  };
}
