/**
 * Messages between the sandbox host (main thread) and a sandbox thread. Types only.
 *
 * @module
 */
import type { MessagePort } from 'node:worker_threads';
import type { ActivationCompletion, WorkflowActivation } from '../../workflow/runtime/protocol.js';
import type { SerializedError } from './serialized-error.js';

/** What a thread is started with (`workerData`). */
export interface ThreadData {
  /** The thread's end of the channel that carries the scripts, every request and every {@link ThreadMessage}. */
  port: MessagePort;
}

/**
 * The first message to a thread: it locks itself down while these are still being prepared (the
 * runtime script loaded, the bundle built), then evaluates them and says it is ready.
 */
export interface ThreadScripts {
  /** The wrapped workflow bundle, held once per thread so V8's eval cache keeps hitting. */
  code: string;
  /** The wrapped workflow runtime script, evaluated once per thread. */
  runtimeCode: string;
}

/** Requests, one at a time per thread; the thread answers each with a {@link ThreadResult} of the same id. */
export type ThreadRequest =
  | { id: number; type: 'activate'; activation: WorkflowActivation }
  | { id: number; type: 'commandStack'; runId: string; index: number }
  | { id: number; type: 'dispose'; runId: string };

/** The answer to an `activate` request. */
export interface ActivateResult {
  completion: ActivationCompletion;
  /** False when the run does not exist after the activation (creating it failed). */
  alive: boolean;
}

/** Messages from a thread. */
export type ThreadMessage =
  | { type: 'ready' }
  | { type: 'startFailed'; error: SerializedError }
  | { type: 'result'; id: number; ok: true; value: unknown }
  | { type: 'result'; id: number; ok: false; error: SerializedError }
  /** Something the host should log (e.g. a promise rejection outside any activation). */
  | { type: 'log'; level: 'warn' | 'error'; message: string; runId?: string };
