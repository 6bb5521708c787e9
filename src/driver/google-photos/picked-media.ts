import type { LinkArgs } from '../../types/driver.js';
import { DriverError } from '../../types/errors.js';
import type { Link, Obj } from '../../types/obj.js';
import type { TokenManager } from './auth.js';
import { PICKER_SESSION_EXPIRED_HINT } from './errors.js';
import { BASE_URL_LIFETIME_MS, linkFor } from './link-cache.js';
import { pickedItemObjs, sessionFolderObjs, utcMinute, type PickedRef } from './picked-tree.js';
import { MAX_PICK_ITEM_COUNT, type PickerClient } from './picker.js';
import type { PickedMediaItem, PickingSession } from './picker-schemas.js';
import {
  findPickerSession,
  isPickerSessionExpired,
  type PickerSessionInfo,
  type PickerSessionRecord,
  type PickerSessionStore,
} from './picker-sessions.js';

export interface PickerConnection {
  picker: PickerClient;
  tokens: TokenManager;
}

export interface CreatePickerSessionOptions {
  /** Names the session's folder. */
  label?: string;
  /** 1..2000; Google's default is 2000. */
  maxItemCount?: number;
}

interface SessionListing {
  byId: Map<string, PickedMediaItem>;
  listedAt: number;
}

const DEFAULT_POLL_INTERVAL_MS = 5_000;
const MAX_LABEL_LENGTH = 200;
const MAX_SESSION_ID_LENGTH = 256;
const LISTINGS_KEPT = 32;
/** A link's token must still be good when the host fetches it. */
const TOKEN_MARGIN_MS = 60_000;

function invalidArgument(message: string, hint: string): DriverError {
  return new DriverError('INVALID_ARGUMENT', `${message} ${hint}`, { hint });
}

function checkSessionId(id: unknown): string {
  if (typeof id !== 'string' || id.trim() === '' || id.length > MAX_SESSION_ID_LENGTH) {
    throw invalidArgument('The picker session id is missing or malformed.', 'Pass the session_id that creating the session returned.');
  }
  return id;
}

function checkCreateOptions(options: CreatePickerSessionOptions): { label?: string; maxItemCount?: number } {
  const { label, maxItemCount } = options;
  if (label !== undefined && typeof label !== 'string') throw invalidArgument('The label must be text.', 'Give a short name for the picked folder, or none.');
  const trimmed = label?.trim();
  if (trimmed !== undefined && trimmed.length > MAX_LABEL_LENGTH) {
    throw invalidArgument(`The label is longer than ${MAX_LABEL_LENGTH} characters.`, 'Give a shorter name for the picked folder.');
  }
  if (maxItemCount !== undefined && (!Number.isInteger(maxItemCount) || maxItemCount < 1 || maxItemCount > MAX_PICK_ITEM_COUNT)) {
    throw invalidArgument(`maxItemCount must be a whole number from 1 to ${MAX_PICK_ITEM_COUNT}.`, `Google allows at most ${MAX_PICK_ITEM_COUNT} items in one picking session.`);
  }
  return { ...(trimmed ? { label: trimmed } : {}), ...(maxItemCount !== undefined ? { maxItemCount } : {}) };
}

export function pickerSessionExpired(record: PickerSessionRecord): DriverError {
  return new DriverError(
    'PICKER_SESSION_EXPIRED',
    `The picking session of ${utcMinute(record.createdAt)} UTC expired at ${utcMinute(record.expireTime)} UTC; Google no longer gives access to its items. ${PICKER_SESSION_EXPIRED_HINT}`,
    { hint: PICKER_SESSION_EXPIRED_HINT },
  );
}

function sameRecord(a: PickerSessionRecord | undefined, b: PickerSessionRecord): boolean {
  return a !== undefined && JSON.stringify(a) === JSON.stringify(b);
}

/** The `picked` folder: picking sessions (kept in a store) as folders, their items as files with header-carrying links. */
export class PickedMedia {
  private readonly listings = new Map<string, SessionListing>();

  constructor(
    private readonly store: PickerSessionStore,
    private readonly now: () => number,
    private readonly connect: () => Promise<PickerConnection>,
  ) {}

  async create(options: CreatePickerSessionOptions = {}): Promise<PickerSessionInfo> {
    const { label, maxItemCount } = checkCreateOptions(options ?? {});
    const { picker } = await this.connect();
    const session = await picker.createSession(maxItemCount);
    const record: PickerSessionRecord = {
      id: session.id,
      ...(label ? { label } : {}),
      createdAt: new Date(this.now()).toISOString(),
      expireTime: new Date(session.expireTime).toISOString(),
      pickerUri: session.pickerUri,
      mediaItemsSet: session.mediaItemsSet ?? false,
    };
    await this.store.save(record);
    return this.info(record, session);
  }

  /** Polls Google; once the user is done, lists the items once to learn their count. */
  async get(id: string): Promise<PickerSessionInfo> {
    const sessionId = checkSessionId(id);
    const known = await this.liveRecord(sessionId);
    const { picker } = await this.connect();
    const session = await picker.getSession(sessionId);
    let record = this.recordFrom(known, session);
    if (record.mediaItemsSet && record.itemCount === undefined) {
      record = { ...record, itemCount: (await this.fetchItems(sessionId)).length };
    }
    await this.saveIfChanged(known, record);
    return this.info(record, session);
  }

  /** Ends the session at Google (unless it already expired) and forgets it. */
  async delete(id: string): Promise<void> {
    const sessionId = checkSessionId(id);
    const known = await findPickerSession(this.store, sessionId);
    if (!known || !isPickerSessionExpired(known, this.now())) {
      const { picker } = await this.connect();
      await picker.deleteSession(sessionId);
    }
    await this.store.remove(sessionId);
    this.listings.delete(sessionId);
  }

  /** `picked` lists the stored sessions without asking Google; a session folder lists its items at Google. */
  async list(ref: PickedRef): Promise<Obj[]> {
    if (ref.kind === 'sessions') return sessionFolderObjs(await this.store.list(), this.now());
    if (ref.kind === 'item') throw new DriverError('NOT_FOUND', 'A picked item is a file, not a folder.', { hint: 'Open its folder instead.' });
    const record = await this.sessionRecord(ref.sessionId);
    const items = await this.fetchItems(ref.sessionId);
    await this.saveIfChanged(record, { ...record, mediaItemsSet: true, itemCount: items.length });
    return pickedItemObjs(ref.sessionId, items, record.expireTime);
  }

  /** The item's baseUrl with the bearer token in a header; baseUrls older than 50 minutes are renewed by re-listing. */
  async link(sessionId: string, mediaItemId: string, type: LinkArgs['type']): Promise<Link> {
    const record = await this.sessionRecord(sessionId);
    let listing = this.listings.get(sessionId);
    if (!listing || this.now() - listing.listedAt >= BASE_URL_LIFETIME_MS) {
      await this.fetchItems(sessionId);
      listing = this.listings.get(sessionId)!;
    }
    const item = listing.byId.get(mediaItemId);
    if (!item) {
      const hint = 'Open the session folder again to see what was picked.';
      throw new DriverError('NOT_FOUND', `No picked item "${mediaItemId}" in this picking session. ${hint}`, { hint });
    }
    const { tokens } = await this.connect();
    const token = await tokens.accessTokenWithExpiry();
    const link = linkFor({ baseUrl: item.mediaFile.baseUrl, mimeType: item.mediaFile.mimeType, seenAt: listing.listedAt }, type);
    const expiresAt = Math.min(listing.listedAt + BASE_URL_LIFETIME_MS, Date.parse(record.expireTime), token.expiresAt - TOKEN_MARGIN_MS);
    return { ...link, header: { Authorization: `Bearer ${token.value}` }, expiresAt: new Date(expiresAt) };
  }

  clear(): void {
    this.listings.clear();
  }

  /** A stored session that has not expired (local check, no request); undefined when the store does not know it. */
  private async liveRecord(sessionId: string): Promise<PickerSessionRecord | undefined> {
    const record = await findPickerSession(this.store, sessionId);
    if (record && isPickerSessionExpired(record, this.now())) throw pickerSessionExpired(record);
    return record;
  }

  /** The live session's record; a session missing from the store is looked up at Google and remembered. */
  private async sessionRecord(sessionId: string): Promise<PickerSessionRecord> {
    const known = await this.liveRecord(checkSessionId(sessionId));
    if (known) return known;
    const { picker } = await this.connect();
    const record = this.recordFrom(undefined, await picker.getSession(sessionId));
    await this.store.save(record);
    return record;
  }

  private recordFrom(known: PickerSessionRecord | undefined, session: PickingSession): PickerSessionRecord {
    const record: PickerSessionRecord = {
      id: session.id,
      ...(known?.label ? { label: known.label } : {}),
      createdAt: known?.createdAt ?? new Date(this.now()).toISOString(),
      expireTime: new Date(session.expireTime).toISOString(),
      pickerUri: session.pickerUri,
      mediaItemsSet: session.mediaItemsSet ?? false,
    };
    if (known?.itemCount !== undefined) record.itemCount = known.itemCount;
    return record;
  }

  private async saveIfChanged(before: PickerSessionRecord | undefined, after: PickerSessionRecord): Promise<void> {
    if (!sameRecord(before, after)) await this.store.save(after);
  }

  /** Lists the session at Google (all pages) and keeps the answer, with when it was listed, for links. */
  private async fetchItems(sessionId: string): Promise<PickedMediaItem[]> {
    const { picker } = await this.connect();
    const listedAt = this.now();
    const items = await picker.listMediaItems(sessionId);
    this.listings.delete(sessionId);
    this.listings.set(sessionId, { byId: new Map(items.map((item) => [item.id, item])), listedAt });
    if (this.listings.size > LISTINGS_KEPT) this.listings.delete(this.listings.keys().next().value as string);
    return items;
  }

  private info(record: PickerSessionRecord, session: PickingSession): PickerSessionInfo {
    const untilExpiry = Math.max(0, Date.parse(record.expireTime) - this.now());
    return {
      ...record,
      pollIntervalMs: session.pollingConfig?.pollInterval ?? DEFAULT_POLL_INTERVAL_MS,
      timeoutMs: session.pollingConfig?.timeoutIn ?? untilExpiry,
    };
  }
}
