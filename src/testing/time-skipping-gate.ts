/**
 * Releases the time-skipping test server's lock while something in this process waits on server
 * time (a workflow result, `env.sleep`), and takes it back when the last waiter is done.
 *
 * The test server counts locks and rejects an unlock without a matching lock, so two concurrent
 * waits must not both unlock: waits are counted here, per connection, and only the first one in
 * unlocks and the last one out locks. The unlock/lock calls are sent one after another, in the
 * order the count changed.
 *
 * @module
 */
import type { Connection } from '../client/index.js';

type TestService = Connection['testService'];

/** Counts the waits of one connection and turns the first/last into UnlockTimeSkipping/LockTimeSkipping. */
export class TimeSkippingGate {
  private waiters = 0;
  /** The last unlock or lock sent; the next one is sent after it settles. */
  private tail: Promise<void> = Promise.resolve();

  constructor(private readonly testService: TestService) {}

  /**
   * Runs `fn` with time skipping allowed.
   *
   * @example
   * ```ts
   * const result = await gate.run(() => handle.result());
   * ```
   */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    await this.enter();
    try {
      return await fn();
    } finally {
      await this.exit();
    }
  }

  private async enter(): Promise<void> {
    this.waiters++;
    if (this.waiters > 1) return;
    try {
      await this.send(() => this.testService.unlockTimeSkipping({}));
    } catch (error) {
      this.waiters--;
      throw new Error(`Could not release the test server's time-skipping lock: ${(error as Error)?.message ?? String(error)}`, { cause: error });
    }
  }

  private async exit(): Promise<void> {
    this.waiters--;
    if (this.waiters > 0) return;
    await this.send(() => this.testService.lockTimeSkipping({}));
  }

  private send(call: () => Promise<unknown>): Promise<void> {
    const sent = this.tail.then(async () => {
      await call();
    });
    this.tail = sent.catch(() => undefined);
    return sent;
  }
}

const gates = new WeakMap<Connection, TimeSkippingGate>();

/**
 * The gate of `connection` (one per connection, shared by every client on it).
 *
 * @example
 * ```ts
 * await timeSkippingGate(connection).run(() => connection.testService.sleep({ duration }));
 * ```
 */
export function timeSkippingGate(connection: Connection): TimeSkippingGate {
  let gate = gates.get(connection);
  if (gate === undefined) {
    gate = new TimeSkippingGate(connection.testService);
    gates.set(connection, gate);
  }
  return gate;
}
