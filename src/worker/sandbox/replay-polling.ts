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
 * @module
 */
import { receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import type { ThreadRequest } from './thread-messages.js';

/**
 * How long one side polls, in milliseconds: a few activations' worth, so a replay rarely sleeps,
 * while a side that waits for something slower gives the core back soon.
 */
export const REPLAY_POLL_MS = 0.5;

/** Whether `request` is an activation of a run that is replaying history (after which both sides poll). */
export function isReplayingActivation(request: { type: ThreadRequest['type']; activation?: { isReplaying: boolean } }): boolean {
  return request.type === 'activate' && request.activation?.isReplaying === true;
}

/**
 * Hands the messages arriving on `port` to `onMessage` until `done()` holds or
 * {@link REPLAY_POLL_MS} have passed. Messages taken here are not emitted as `'message'` events;
 * their order is kept.
 *
 * @example
 * ```ts
 * pollPort(port, () => answered, (message) => handle(message));
 * ```
 */
export function pollPort(port: MessagePort, done: () => boolean, onMessage: (message: unknown) => void): void {
  const deadline = performance.now() + REPLAY_POLL_MS;
  while (!done() && performance.now() < deadline) {
    const received = receiveMessageOnPort(port);
    if (received !== undefined) onMessage(received.message);
  }
}
