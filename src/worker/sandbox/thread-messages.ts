/**
 * Messages between the sandbox host (main thread) and a sandbox thread. Types only.
 *
 * @module
 */
import type { MessagePort } from 'node:worker_threads';
import type { ProtoFailure } from '../../common/proto-types.js';
import type { ActivationCompletion, SinkCall, WorkflowActivation } from '../../workflow/runtime/protocol.js';
import type { NondeterminismDetails } from '../workflow/errors.js';
import type { RunIdentity } from '../workflow/event-jobs.js';
import type { CachedScriptLocation } from './code-cache-location.js';
import type { SerializedError } from './serialized-error.js';

/** What a thread is started with (`workerData`). */
export interface ThreadData {
  /** The thread's end of the channel that carries the scripts, every request and every {@link ThreadMessage}. */
  port: MessagePort;
  /** SES's script and its code cache file. */
  ses: CachedScriptLocation;
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

/**
 * Requests, one at a time per thread; the thread answers each with a {@link ThreadResult} of the same id.
 * Any request may carry `discard`: runs evicted since the last request, which the thread drops first.
 */
export type ThreadRequest = (
  | { id: number; type: 'activate'; activation: WorkflowActivation }
  | ({ id: number } & ReplayRequest)
  | { id: number; type: 'commandStack'; runId: string; index: number }
  /** Only carries `discard` (sent when no other request followed the evictions). */
  | { id: number; type: 'discard' }
) & { discard?: string[] };

/** Replay a whole history in the thread (see thread-replay.ts); answered with a {@link ReplayOutcome}. */
export interface ReplayRequest {
  type: 'replay';
  /** The run's identity, as the state machines are created with. */
  run: RunIdentity;
  /** The history, binary protobuf `History`. */
  history: Uint8Array;
}

/**
 * How a replay in the thread ended (an invalid history rejects instead). `sinkCalls` are those of
 * every activation that ran, in order; stacks are as the thread saw them (not source-mapped).
 */
export type ReplayOutcome =
  | { kind: 'replayed'; sinkCalls: SinkCall[] }
  /** Workflow code failed an activation (a workflow task failure). */
  | { kind: 'failed'; failure: ProtoFailure; sinkCalls: SinkCall[] }
  /** The code's commands did not match history; `stack` is where the command involved was issued. */
  | { kind: 'nondeterminism'; details: NondeterminismDetails; stack: string | undefined; sinkCalls: SinkCall[] };

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
