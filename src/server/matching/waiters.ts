/**
 * Long-poll waiting: a poller waits on a key (a task queue, a run's history) until notified, its time
 * is up, its call is cancelled, or the server shuts down. Notification wakes every waiter of the key;
 * each re-checks the store, so a lost race just waits again.
 */
import { MAX_TIMER_MS } from '../clock.js';

export class Waiters {
  private readonly byKey = new Map<string, Set<() => void>>();
  private closed = false;

  /** Resolves (never rejects) on notify, timeout, abort or close. */
  wait(key: string, timeoutMs: number, signal?: AbortSignal): Promise<void> {
    if (this.closed || timeoutMs <= 0 || signal?.aborted) return Promise.resolve();
    return new Promise<void>((resolve) => {
      let set = this.byKey.get(key);
      if (!set) this.byKey.set(key, (set = new Set()));
      const waiters = set;
      const done = (): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        waiters.delete(done);
        if (waiters.size === 0 && this.byKey.get(key) === waiters) this.byKey.delete(key);
        resolve();
      };
      // Early is harmless: every caller re-checks its deadline and waits again.
      const timer = setTimeout(done, Math.min(timeoutMs, MAX_TIMER_MS));
      signal?.addEventListener('abort', done, { once: true });
      waiters.add(done);
    });
  }

  notify(key: string): void {
    const set = this.byKey.get(key);
    if (!set) return;
    for (const done of [...set]) done();
  }

  /** Number of waiters on a key (pollers on a task queue). */
  count(key: string): number {
    return this.byKey.get(key)?.size ?? 0;
  }

  /** Every key with waiters and how many (for metrics). */
  keyCounts(): Array<[string, number]> {
    return [...this.byKey].map(([key, set]) => [key, set.size]);
  }

  /** Wakes everyone and refuses further waits (server shutdown). */
  close(): void {
    this.closed = true;
    for (const key of [...this.byKey.keys()]) this.notify(key);
  }

  get isClosed(): boolean {
    return this.closed;
  }
}
