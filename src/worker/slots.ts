/**
 * Execution slots: a counting semaphore whose waiters can be released all at once (on shutdown).
 *
 * @module
 */

/**
 * At most `capacity` slots are held at a time. A poll holds a slot while it waits for a task, and
 * hands it to the execution it starts.
 *
 * @example
 * ```ts
 * const slots = new Slots(100);
 * if (await slots.acquire()) { try { await work(); } finally { slots.release(); } }
 * ```
 */
export class Slots {
  private used = 0;
  private closed = false;
  private readonly waiters: ((acquired: boolean) => void)[] = [];

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new TypeError(`slot capacity must be a positive integer, got ${capacity}`);
  }

  /** Slots currently held. */
  get inUse(): number {
    return this.used;
  }

  /** Resolves `true` with a slot held, or `false` once the slots are closed. */
  acquire(): Promise<boolean> {
    if (this.closed) return Promise.resolve(false);
    if (this.used < this.capacity) {
      this.used++;
      return Promise.resolve(true);
    }
    return new Promise<boolean>((resolve) => this.waiters.push(resolve));
  }

  /** Takes a free slot if there is one, without waiting; false when none is free or the slots are closed. */
  tryAcquire(): boolean {
    if (this.closed || this.used >= this.capacity) return false;
    this.used++;
    return true;
  }

  /** Takes a slot even beyond capacity (work that has already arrived and must run). */
  forceAcquire(): void {
    this.used++;
  }

  /** Returns a slot (to the longest waiter, if any). */
  release(): void {
    const next = this.closed ? undefined : this.waiters.shift();
    if (next) next(true);
    else this.used = Math.max(0, this.used - 1);
  }

  /** Refuses further acquisitions and answers `false` to every waiter. Held slots stay held. */
  close(): void {
    this.closed = true;
    for (const waiter of this.waiters.splice(0)) waiter(false);
  }
}
