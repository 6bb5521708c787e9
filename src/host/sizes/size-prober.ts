import { isDriverError } from '../../types/errors.js';
import type { Obj } from '../../types/obj.js';
import { fetchLink } from '../downloads/upstream.js';
import type { FsService } from '../fs/fs-service.js';
import type { LiveStorage } from '../storages/storage-manager.js';
import { retryAfterMs, sizeFromAnswer } from './answer-size.js';
import type { SizeBook } from './size-book.js';
import { StorageQueue, type ProbeJob } from './storage-queue.js';

export interface SizeProberOptions {
  /** HEAD requests at once per storage (default 8). */
  concurrency?: number;
  /** Time to wait for one HEAD's answer (default 15 s). */
  headTimeoutMs?: number;
  /** false: no probing after listings; sizes are learnt only when asked (fs/get, learn) and from downloads. */
  background?: boolean;
}

/** Whether this running storage is still the one mounted (not changed, disabled or removed since). */
export type IsCurrentStorage = (live: LiveStorage) => boolean;

/** Answers that mean the link went stale: worth one fresh link. */
const STALE_LINK = new Set([401, 403, 404, 410]);
/** Pauses when the storage says "too many" without a Retry-After: quota (429, QUOTA_EXCEEDED), busy (503). */
const QUOTA_PAUSE_MS = 60_000;
const BUSY_PAUSE_MS = 10_000;
const MAX_PAUSE_MS = 3600_000;
/** Times one item is put back after a pause before the prober gives up on it for now. */
const MAX_ATTEMPTS = 5;

type Outcome = { kind: 'size'; size: number } | { kind: 'pause'; ms: number } | { kind: 'failed' };

/**
 * Learns the byte sizes of files a driver lists without one (Google Photos), with one HEAD on each file's link
 * through the download path's upstream fetch. Per storage: a bounded number of requests at once, a queue where
 * items someone waits for (learn) go first, one request per item at most (known sizes are never asked again,
 * concurrent asks share one), a pause for as long as Retry-After says on 429/503 and on quota errors.
 */
export class SizeProber {
  private readonly queues = new Map<number, StorageQueue>();
  private readonly concurrency: number;
  private readonly headTimeoutMs: number;
  private readonly background: boolean;

  constructor(
    private readonly fs: FsService,
    private readonly book: SizeBook,
    options: SizeProberOptions = {},
    private readonly isCurrent: IsCurrentStorage = () => true,
  ) {
    this.concurrency = options.concurrency ?? 8;
    this.headTimeoutMs = options.headTimeoutMs ?? 15_000;
    this.background = options.background ?? true;
  }

  /** The sizes known now for these objects (the driver's own, or learnt), by object id. */
  async known(live: LiveStorage, objs: readonly Obj[]): Promise<Map<string, number>> {
    const sizes = new Map<string, number>();
    const unsized: string[] = [];
    for (const obj of objs) {
      if (obj.isDir) continue;
      if (obj.size !== undefined) sizes.set(obj.id, obj.size);
      else unsized.push(obj.id);
    }
    for (const [id, size] of await this.book.known(live.row.id, unsized)) sizes.set(id, size);
    return sizes;
  }

  /** Starts learning, in the background, the sizes of these files that are not known yet. */
  probe(live: LiveStorage, objs: readonly Obj[]): void {
    if (live.row.disabled || !this.background) return;
    void this.known(live, objs).then((sizes) => {
      const queue = this.queueOf(live);
      if (!queue) return;
      for (const obj of objs) if (!obj.isDir && !sizes.has(obj.id)) queue.add(live, obj, false);
      this.pump(queue);
    }, () => undefined);
  }

  /**
   * The sizes of these files, learning the missing ones first (ahead of background work); resolves when all are
   * known or after `timeoutMs`, with what is known by then. What is still being learnt goes on in the background.
   */
  async learn(live: LiveStorage, objs: readonly Obj[], { timeoutMs }: { timeoutMs: number }): Promise<Map<string, number>> {
    const sizes = await this.known(live, objs);
    const missing = objs.filter((obj) => !obj.isDir && !sizes.has(obj.id));
    if (missing.length === 0 || timeoutMs <= 0 || live.row.disabled) return sizes;
    const queue = this.queueOf(live);
    if (!queue || queue.pausedUntil > Date.now() + timeoutMs) return sizes; // paused past the bound: waiting would learn nothing
    const waits = missing.map((obj) => queue.add(live, obj, true).then((size) => {
      if (size !== undefined) sizes.set(obj.id, size);
    }));
    this.pump(queue);
    let timer: NodeJS.Timeout | undefined;
    const bound = new Promise<void>((resolve) => { timer = setTimeout(resolve, timeoutMs); });
    await Promise.race([Promise.all(waits), bound]);
    clearTimeout(timer);
    return new Map(sizes);
  }

  /** Stops and forgets the storage's probing (it was changed, disabled or removed). */
  forget(storageId: number): void {
    this.queues.get(storageId)?.stop();
    this.queues.delete(storageId);
  }

  close(): void {
    for (const id of [...this.queues.keys()]) this.forget(id);
  }

  /** The storage's queue; none for a storage changed or removed meanwhile (its queue was stopped: no new one). */
  private queueOf(live: LiveStorage): StorageQueue | undefined {
    if (!this.isCurrent(live)) return undefined;
    let queue = this.queues.get(live.row.id);
    if (!queue) this.queues.set(live.row.id, queue = new StorageQueue(live.row.id));
    return queue;
  }

  private pump(queue: StorageQueue): void {
    if (this.queues.get(queue.storageId) !== queue) return;
    const wait = queue.pausedUntil - Date.now();
    if (wait > 0) {
      queue.resumeAfter(wait, () => this.pump(queue));
      return;
    }
    while (queue.running < this.concurrency) {
      const job = queue.next();
      if (!job) break;
      void this.run(queue, job);
    }
  }

  private async run(queue: StorageQueue, job: ProbeJob): Promise<void> {
    queue.running++;
    let outcome: Outcome;
    try {
      outcome = await this.measure(queue, job);
    } finally {
      queue.running--;
    }
    if (queue.stopped) return queue.settle(job, undefined); // the storage changed or went away meanwhile
    if (outcome.kind === 'size') {
      this.book.remember(queue.storageId, job.obj.id, outcome.size);
      queue.settle(job, outcome.size);
    } else if (outcome.kind === 'pause') {
      queue.pause(Math.min(outcome.ms, MAX_PAUSE_MS));
      if (++job.attempts >= MAX_ATTEMPTS) queue.fail(job);
      else queue.retry(job);
    } else {
      queue.fail(job);
    }
    this.pump(queue);
  }

  /** One HEAD on the file's link (two when the first link went stale). */
  private async measure(queue: StorageQueue, job: ProbeJob): Promise<Outcome> {
    // Never aborted: stopping lets the few requests under way end on their own (bounded by headTimeoutMs) and drops
    // their answers, rather than cutting sockets mid-connect.
    const signal = new AbortController().signal;
    const learnt = this.book.cached(queue.storageId, job.obj.id); // e.g. a download taught it while this waited
    if (learnt !== undefined) return { kind: 'size', size: learnt };
    const target = { live: job.live, obj: job.obj, path: job.obj.name };
    try {
      let { link } = await this.fs.link(target, false, signal);
      if (link.size !== undefined) return { kind: 'size', size: link.size };
      for (let attempt = 0; ; attempt++) {
        const answer = await fetchLink(link, { method: 'HEAD', signal, timeoutMs: this.headTimeoutMs });
        answer.body?.destroy();
        const size = sizeFromAnswer(answer.status, answer.headers);
        if (size !== undefined) return { kind: 'size', size };
        if (answer.status === 429 || answer.status === 503) {
          const asked = retryAfterMs(answer.headers['retry-after'], Date.now());
          return { kind: 'pause', ms: asked ?? (answer.status === 429 ? QUOTA_PAUSE_MS : BUSY_PAUSE_MS) };
        }
        if (!STALE_LINK.has(answer.status) || attempt > 0) return { kind: 'failed' };
        ({ link } = await this.fs.link(target, true, signal));
      }
    } catch (err) {
      if (isDriverError(err) && err.code === 'QUOTA_EXCEEDED') return { kind: 'pause', ms: QUOTA_PAUSE_MS };
      return { kind: 'failed' };
    }
  }
}
