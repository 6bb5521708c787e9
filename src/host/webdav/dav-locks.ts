import { randomUUID } from 'node:crypto';
import type { XmlElement } from './dav-xml.js';
import { isWithin } from './dav-paths.js';

export interface DavLock {
  token: string;
  /** The tree path locked (it may name nothing yet: a lock on an unmapped URL reserves the name). */
  root: string;
  depth: 0 | 'infinity';
  scope: 'exclusive' | 'shared';
  /** The client's <D:owner>, echoed back as sent. */
  owner?: XmlElement;
  userId: number;
  timeoutSec: number;
  expiresAt: number;
}

/** What a client may ask for: Timeout "Infinite" and anything longer are capped at a day. */
export const MAX_LOCK_SECONDS = 24 * 3600;
export const DEFAULT_LOCK_SECONDS = 3600;
const SWEEP_EVERY_MS = 60_000;

/** `Timeout: Second-600, Infinite`: the first value understood, capped. */
export function lockTimeout(header: string | undefined): number {
  for (const part of (header ?? '').split(',').map((value) => value.trim().toLowerCase())) {
    if (part === 'infinite') return MAX_LOCK_SECONDS;
    const match = /^second-(\d+)$/.exec(part);
    if (match) return Math.max(1, Math.min(Number(match[1]), MAX_LOCK_SECONDS));
  }
  return DEFAULT_LOCK_SECONDS;
}

/**
 * WebDAV write locks, exclusive and shared, in this process's memory: a restart forgets them (clients lock again
 * when their token is refused). Expired locks are swept every minute and ignored as soon as they expire.
 */
export class DavLocks {
  private readonly locks = new Map<string, DavLock>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(private readonly now: () => number) {
    this.sweeper = setInterval(() => this.sweep(), SWEEP_EVERY_MS);
    this.sweeper.unref();
  }

  close(): void {
    clearInterval(this.sweeper);
    this.locks.clear();
  }

  private sweep(): void {
    const now = this.now();
    for (const [token, lock] of this.locks) if (lock.expiresAt <= now) this.locks.delete(token);
  }

  private live(): DavLock[] {
    this.sweep();
    return [...this.locks.values()];
  }

  get(token: string): DavLock | undefined {
    this.sweep();
    return this.locks.get(token);
  }

  /** Locks that apply to `path`: on it, or of depth infinity on a folder above it. */
  covering(path: string): DavLock[] {
    return this.live().filter((lock) => lock.root === path || (lock.depth === 'infinity' && isWithin(path, lock.root)));
  }

  /** Locks on `path` or anywhere below it. */
  within(path: string): DavLock[] {
    return this.live().filter((lock) => isWithin(lock.root, path));
  }

  /** Locks a new lock of this scope and depth on `path` would conflict with. */
  conflicts(path: string, depth: 0 | 'infinity', scope: DavLock['scope']): DavLock[] {
    const touching = new Set([...this.covering(path), ...(depth === 'infinity' ? this.within(path) : this.live().filter((lock) => lock.root === path))]);
    return [...touching].filter((lock) => scope === 'exclusive' || lock.scope === 'exclusive');
  }

  create(details: Omit<DavLock, 'token' | 'expiresAt'>): DavLock {
    const lock: DavLock = { ...details, token: `opaquelocktoken:${randomUUID()}`, expiresAt: this.now() + details.timeoutSec * 1000 };
    this.locks.set(lock.token, lock);
    return lock;
  }

  refresh(lock: DavLock, timeoutSec: number): DavLock {
    lock.timeoutSec = timeoutSec;
    lock.expiresAt = this.now() + timeoutSec * 1000;
    return lock;
  }

  remove(token: string): boolean {
    return this.locks.delete(token);
  }

  /** The resources at and below `path` went away (deleted, moved): so do their locks. */
  removeWithin(path: string): void {
    for (const lock of this.within(path)) this.locks.delete(lock.token);
  }

  /** Seconds left, for the Timeout a lock discovery shows. */
  secondsLeft(lock: DavLock): number {
    return Math.max(0, Math.ceil((lock.expiresAt - this.now()) / 1000));
  }
}
