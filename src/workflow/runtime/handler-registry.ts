/**
 * The signal, query and update handlers a run registered, the messages waiting for a handler, and
 * the handler executions still running.
 *
 * @module
 */
import type {
  DefaultQueryHandler,
  DefaultSignalHandler,
  DefaultUpdateHandler,
  HandlerUnfinishedPolicy,
} from '../interfaces.js';
import type { DoUpdateJob, SignalWorkflowJob } from './protocol.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyHandler = (...args: any[]) => any;

export interface SignalHandlerEntry {
  handler: AnyHandler;
  description?: string;
  unfinishedPolicy: HandlerUnfinishedPolicy;
}

export interface QueryHandlerEntry {
  handler: AnyHandler;
  description?: string;
}

export interface UpdateHandlerEntry {
  handler: AnyHandler;
  validator?: AnyHandler;
  description?: string;
  unfinishedPolicy: HandlerUnfinishedPolicy;
}

/** A signal or update handler execution that has not finished yet. */
export interface HandlerExecution {
  name: string;
  unfinishedPolicy: HandlerUnfinishedPolicy;
  id?: string;
}

/** Handlers and message buffers of one run. */
export class HandlerRegistry {
  readonly signals = new Map<string, SignalHandlerEntry>();
  readonly queries = new Map<string, QueryHandlerEntry>();
  readonly updates = new Map<string, UpdateHandlerEntry>();
  defaultSignal?: DefaultSignalHandler;
  defaultQuery?: DefaultQueryHandler;
  defaultUpdate?: DefaultUpdateHandler;
  /** Signals that arrived before a handler for them existed, in arrival order. */
  readonly bufferedSignals: SignalWorkflowJob[] = [];
  /** Updates that arrived before a handler existed; rejected at the end of their activation. */
  readonly bufferedUpdates: DoUpdateJob[] = [];
  readonly signalsInProgress = new Map<number, HandlerExecution>();
  readonly updatesInProgress = new Map<string, HandlerExecution>();
  nextSignalExecution = 0;

  /** Removes and returns the first buffered signal that now has a handler (any, with a default handler). */
  takeDispatchableSignal(): SignalWorkflowJob | undefined {
    const index = this.defaultSignal
      ? 0
      : this.bufferedSignals.findIndex((job) => this.signals.has(job.signalName));
    if (index < 0 || index >= this.bufferedSignals.length) return undefined;
    return this.bufferedSignals.splice(index, 1)[0];
  }

  /** Removes and returns the first buffered update that now has a handler (any, with a default handler). */
  takeDispatchableUpdate(): DoUpdateJob | undefined {
    const index = this.defaultUpdate ? 0 : this.bufferedUpdates.findIndex((job) => this.updates.has(job.name));
    if (index < 0 || index >= this.bufferedUpdates.length) return undefined;
    return this.bufferedUpdates.splice(index, 1)[0];
  }
}
