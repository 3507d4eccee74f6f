/**
 * Polling the request channel between the main thread and a sandbox thread while a history is
 * being replayed.
 *
 * A replayed history is a chain of activations, each needing the completion of the one before, so
 * replay runs at the speed of the round trip between the two threads. Waking a thread that sleeps in
 * its event loop costs tens of microseconds on each side (on virtual machines more than replaying
 * the activation itself), so after a replaying activation each side polls the channel with
 * `receiveMessageOnPort` for a short while before going back to its event loop: the main thread
 * for the completion it waits for, the sandbox thread for the next activation. Live activations do
 * not poll, so a worker that is waiting on the server uses no CPU for it.
 *
 * Polling only pays while each thread has a core to itself. When the machine is busier than that,
 * the other side is often not even running, polls run out, and they would only take CPU from the
 * threads doing the work; so each side backs off: after two polls in a row that ran out it skips the
 * next 2 chances to poll, after three the next 4, … up to 64, and it polls every time again after a
 * poll that succeeded.
 *
 * @module
 */
import { performance } from 'node:perf_hooks';
import { receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import type { ThreadRequest } from './thread-messages.js';

/**
 * How long one poll lasts at most, in milliseconds: a few activations' worth, so a replay rarely
 * sleeps, while a side that waits for something slower gives the core back soon.
 */
export const REPLAY_POLL_MS = 0.5;

/** The longest back-off, as a power of two of skipped polls (2^6 = 64). */
const MAX_BACKOFF_EXPONENT = 6;

/** Whether `request` is an activation of a run that is replaying history (after which both sides poll). */
export function isReplayingActivation(request: { type: ThreadRequest['type']; activation?: { isReplaying: boolean } }): boolean {
  return request.type === 'activate' && request.activation?.isReplaying === true;
}

/**
 * Hands the messages arriving on `port` to `onMessage` until `done()` holds or
 * {@link REPLAY_POLL_MS} have passed, and says whether `done()` held. Messages taken here are not
 * emitted as `'message'` events; their order is kept.
 *
 * @example
 * ```ts
 * const answered = pollPort(port, () => reply !== undefined, (message) => (reply = message));
 * ```
 */
export function pollPort(port: MessagePort, done: () => boolean, onMessage: (message: unknown) => void): boolean {
  // `performance` is imported: the global one is a getter that runs on every read.
  const deadline = performance.now() + REPLAY_POLL_MS;
  while (!done()) {
    if (performance.now() >= deadline) return false;
    const received = receiveMessageOnPort(port);
    if (received !== undefined) onMessage(received.message);
  }
  return true;
}

/**
 * One side's polling with back-off (see the module doc).
 *
 * @example
 * ```ts
 * const poller = new ReplayPoller();
 * poller.poll(port, () => answered, handle); // after sending a replaying activation
 * ```
 */
export class ReplayPoller {
  private misses = 0;
  private skips = 0;

  /** Polls (see {@link pollPort}) unless backing off; returns whether `done()` held. */
  poll(port: MessagePort, done: () => boolean, onMessage: (message: unknown) => void): boolean {
    if (this.skips > 0) {
      this.skips--;
      return false;
    }
    if (pollPort(port, done, onMessage)) {
      this.misses = 0;
      return true;
    }
    this.misses = Math.min(this.misses + 1, MAX_BACKOFF_EXPONENT + 1);
    // A single miss (a slow activation, a garbage collection) costs nothing more; misses in a row back off.
    this.skips = this.misses === 1 ? 0 : 2 ** (this.misses - 1);
    return false;
  }
}
