/** Thrown when too many password checks are already waiting: the caller should answer "try again shortly". */
export class HashSlotsBusyError extends Error {
  constructor() {
    super('Too many logins at once; try again in 1 s');
    this.name = 'HashSlotsBusyError';
  }
}

/**
 * At most `concurrent` password hashes run at once (each scrypt at the current strength takes 128 MiB and a core
 * for a while), at most `maxWaiting` more wait their turn; beyond that a hash is refused at once.
 */
export class HashSlots {
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly concurrent = 2, private readonly maxWaiting = 16) {}

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= this.concurrent) {
      if (this.waiting.length >= this.maxWaiting) throw new HashSlotsBusyError();
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running++;
    }
    try {
      return await work();
    } finally {
      // Hand the slot straight to the next waiter (running stays the same), or free it.
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }

  get inFlight(): number {
    return this.running;
  }
}
