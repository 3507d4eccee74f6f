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
import { BUILTIN_QUERY_HANDLERS } from './builtin-queries.js';
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

const NONE: readonly never[] = Object.freeze([]);

/** A signal or update handler execution that has not finished yet. */
export interface HandlerExecution {
  name: string;
  unfinishedPolicy: HandlerUnfinishedPolicy;
  id?: string;
}

/**
 * Handlers and message buffers of one run. Its maps and buffers are made on first use: a cached run
 * that never sees an update or a signal (most of them) does not hold them.
 */
export class HandlerRegistry {
  #signals: Map<string, SignalHandlerEntry> | undefined;
  #queries: Map<string, QueryHandlerEntry> | undefined;
  #updates: Map<string, UpdateHandlerEntry> | undefined;
  #bufferedSignals: SignalWorkflowJob[] | undefined;
  #bufferedUpdates: DoUpdateJob[] | undefined;
  #signalsInProgress: Map<number, HandlerExecution> | undefined;
  #updatesInProgress: Map<string, HandlerExecution> | undefined;
  defaultSignal?: DefaultSignalHandler;
  defaultQuery?: DefaultQueryHandler;
  defaultUpdate?: DefaultUpdateHandler;
  nextSignalExecution = 0;

  get signals(): Map<string, SignalHandlerEntry> {
    return (this.#signals ??= new Map());
  }

  /** The query handlers the workflow registered (the built-in ones are not in it: see {@link query}). */
  get queries(): Map<string, QueryHandlerEntry> {
    return (this.#queries ??= new Map());
  }

  /** The handler of query `name`: the workflow's, or a built-in one. */
  query(name: string): QueryHandlerEntry | undefined {
    return this.#queries?.get(name) ?? BUILTIN_QUERY_HANDLERS.find(([builtin]) => builtin === name)?.[1];
  }

  /** Every query handler, the built-in ones first, then the workflow's in registration order. */
  queryEntries(): Array<readonly [string, Readonly<QueryHandlerEntry>]> {
    return [...BUILTIN_QUERY_HANDLERS, ...(this.#queries ?? [])];
  }

  get updates(): Map<string, UpdateHandlerEntry> {
    return (this.#updates ??= new Map());
  }

  /** Signals that arrived before a handler for them existed, in arrival order. */
  get bufferedSignals(): SignalWorkflowJob[] {
    return (this.#bufferedSignals ??= []);
  }

  /** Updates that arrived before a handler existed; rejected at the end of their activation. */
  get bufferedUpdates(): DoUpdateJob[] {
    return (this.#bufferedUpdates ??= []);
  }

  get signalsInProgress(): Map<number, HandlerExecution> {
    return (this.#signalsInProgress ??= new Map());
  }

  get updatesInProgress(): Map<string, HandlerExecution> {
    return (this.#updatesInProgress ??= new Map());
  }

  /** Whether no signal or update handler is running. */
  allFinished(): boolean {
    return (this.#signalsInProgress?.size ?? 0) === 0 && (this.#updatesInProgress?.size ?? 0) === 0;
  }

  /** Forgets the running handler executions (the workflow ended; they are abandoned). */
  abandonExecutions(): void {
    this.#signalsInProgress?.clear();
    this.#updatesInProgress?.clear();
  }

  /** Removes and returns the buffered updates. */
  takeBufferedUpdates(): readonly DoUpdateJob[] {
    return this.#bufferedUpdates?.splice(0) ?? NONE;
  }

  /** Removes and returns the first buffered signal that now has a handler (any, with a default handler). */
  takeDispatchableSignal(): SignalWorkflowJob | undefined {
    const buffered = this.#bufferedSignals;
    if (buffered === undefined) return undefined;
    const index = this.defaultSignal ? 0 : buffered.findIndex((job) => this.#signals?.has(job.signalName));
    if (index < 0 || index >= buffered.length) return undefined;
    return buffered.splice(index, 1)[0];
  }

  /** Removes and returns the first buffered update that now has a handler (any, with a default handler). */
  takeDispatchableUpdate(): DoUpdateJob | undefined {
    const buffered = this.#bufferedUpdates;
    if (buffered === undefined) return undefined;
    const index = this.defaultUpdate ? 0 : buffered.findIndex((job) => this.#updates?.has(job.name));
    if (index < 0 || index >= buffered.length) return undefined;
    return buffered.splice(index, 1)[0];
  }
}
