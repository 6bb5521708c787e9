import type { Obj } from '../../types/obj.js';
import { sanitizeName, uniqueNames } from './names.js';
import type { PickedMediaItem } from './picker-schemas.js';
import { isPickerSessionExpired, type PickerSessionRecord } from './picker-sessions.js';
import { FOLDER, parseDate, untitledFileName } from './tree.js';

/**
 * Ids below the `picked` folder: `picked:<sessionId>` is a session's folder, `picked:<sessionId>:<mediaItemId>` a picked item.
 * The session id goes up to the second colon; the media item id is the rest.
 */
export type PickedRef =
  | { kind: 'sessions' }
  | { kind: 'session'; sessionId: string }
  | { kind: 'item'; sessionId: string; mediaItemId: string };

const PREFIX = `${FOLDER.picked}:`;

export function isPickedId(id: string): boolean {
  return id === FOLDER.picked || id.startsWith(PREFIX);
}

/** The parsed id, or undefined when `id` is not below `picked` or is malformed (an empty part). */
export function parsePickedId(id: string): PickedRef | undefined {
  if (id === FOLDER.picked) return { kind: 'sessions' };
  if (!id.startsWith(PREFIX)) return undefined;
  const rest = id.slice(PREFIX.length);
  const colon = rest.indexOf(':');
  if (colon < 0) return rest === '' ? undefined : { kind: 'session', sessionId: rest };
  const sessionId = rest.slice(0, colon);
  const mediaItemId = rest.slice(colon + 1);
  return sessionId === '' || mediaItemId === '' ? undefined : { kind: 'item', sessionId, mediaItemId };
}

export function sessionFolderId(sessionId: string): string {
  return `${PREFIX}${sessionId}`;
}

export function pickedItemId(sessionId: string, mediaItemId: string): string {
  return `${PREFIX}${sessionId}:${mediaItemId}`;
}

/** "2026-11-26 08:50" in UTC. */
export function utcMinute(iso: string): string {
  const time = Date.parse(iso);
  return Number.isNaN(time) ? 'unknown time' : new Date(time).toISOString().slice(0, 16).replace('T', ' ');
}

function countText(count: number): string {
  return `${count} ${count === 1 ? 'item' : 'items'}`;
}

function defaultSessionName(record: PickerSessionRecord): string {
  const what = record.itemCount !== undefined ? countText(record.itemCount) : record.mediaItemsSet ? 'picked' : 'not picked yet';
  return `${utcMinute(record.createdAt)} (${what})`;
}

function sessionDescription(record: PickerSessionRecord, now: number): string {
  if (isPickerSessionExpired(record, now)) return 'expired';
  if (!record.mediaItemsSet) return 'waiting for picking';
  const count = record.itemCount !== undefined ? `${countText(record.itemCount)} · ` : '';
  return `${count}expires ${utcMinute(record.expireTime)} UTC`;
}

/** Sessions as folders, newest first, named by label or creation time and count, unique among siblings. */
export function sessionFolderObjs(records: PickerSessionRecord[], now: number): Obj[] {
  const sorted = [...records].sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt));
  const names = uniqueNames(sorted.map((record) => ({
    id: record.id,
    name: sanitizeName(record.label) || defaultSessionName(record),
    fallback: 'Picked',
  })));
  return sorted.map((record, index) => {
    const obj: Obj = {
      id: sessionFolderId(record.id),
      name: names[index]!,
      isDir: true,
      modified: parseDate(record.createdAt),
      created: parseDate(record.createdAt),
      description: sessionDescription(record, now),
    };
    const expires = Date.parse(record.expireTime);
    if (!Number.isNaN(expires)) obj.expiresAt = new Date(expires);
    return obj;
  });
}

/**
 * Picked items as files, names unique as in albums. No thumbnail: a picked baseUrl needs the bearer token,
 * so a bare URL would not load in a browser. Each expires with its session.
 */
export function pickedItemObjs(sessionId: string, items: PickedMediaItem[], expireTime: string): Obj[] {
  const names = uniqueNames(items.map((item) => ({
    id: item.id,
    name: sanitizeName(item.mediaFile.filename),
    fallback: untitledFileName(item.mediaFile.mimeType),
  })));
  const expires = Date.parse(expireTime);
  return items.map((item, index) => {
    const taken = parseDate(item.createTime);
    const obj: Obj = { id: pickedItemId(sessionId, item.id), name: names[index]!, isDir: false, modified: taken, created: taken };
    if (item.mediaFile.mimeType) obj.mimeType = item.mediaFile.mimeType;
    if (!Number.isNaN(expires)) obj.expiresAt = new Date(expires);
    return obj;
  });
}
