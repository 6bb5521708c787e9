/** A Picker session this driver created, as kept between requests (and, with the host's store, across restarts). */
export interface PickerSessionRecord {
  id: string;
  /** A name the user gave when picking; the folder is named after it. */
  label?: string;
  /** ISO time the session was created. */
  createdAt: string;
  /** ISO time Google ends access to the session and its items. */
  expireTime: string;
  pickerUri: string;
  /** The user pressed Done in Google Photos. */
  mediaItemsSet: boolean;
  /** Known once the items were listed. */
  itemCount?: number;
}

/**
 * Where a driver keeps the sessions it created; the host passes one in its database, the default is in memory.
 * Each call may answer at once or with a promise (a database client is asynchronous).
 */
export interface PickerSessionStore {
  list(): PickerSessionRecord[] | Promise<PickerSessionRecord[]>;
  /** Insert or replace by id. */
  save(record: PickerSessionRecord): void | Promise<void>;
  remove(id: string): void | Promise<void>;
}

/** What createPickerSession/getPickerSession answer: the record plus how to poll, from Google's pollingConfig. */
export interface PickerSessionInfo extends PickerSessionRecord {
  pollIntervalMs: number;
  timeoutMs: number;
}

/** Sessions kept for the driver's lifetime only. */
export class MemoryPickerSessionStore implements PickerSessionStore {
  private readonly records = new Map<string, PickerSessionRecord>();

  list(): PickerSessionRecord[] {
    return [...this.records.values()].map((record) => ({ ...record }));
  }

  save(record: PickerSessionRecord): void {
    this.records.set(record.id, { ...record });
  }

  remove(id: string): void {
    this.records.delete(id);
  }
}

/** The record of `id` in `store`, if any. */
export async function findPickerSession(store: PickerSessionStore, id: string): Promise<PickerSessionRecord | undefined> {
  return (await store.list()).find((record) => record.id === id);
}

export function isPickerSessionExpired(record: Pick<PickerSessionRecord, 'expireTime'>, now: number): boolean {
  const expires = Date.parse(record.expireTime);
  return Number.isNaN(expires) || expires <= now;
}
