/**
 * Types of the workflow API: what `workflowInfo()` returns, handler signatures and handler options.
 * Names and shapes match `@temporalio/workflow`.
 *
 * @module
 */
import type { Priority, RetryPolicy, SearchAttributes, TypedSearchAttributes } from '../common/index.js';
import { HandlerUnfinishedPolicy } from '../common/workflow-policies.js';

/** The parent of a child workflow run. */
export interface ParentWorkflowInfo {
  workflowId: string;
  runId: string;
  namespace: string;
}

/** The root of a chain of child workflows (the top-level workflow). */
export interface RootWorkflowInfo {
  workflowId: string;
  runId: string;
}

/** Information that is not deterministic, or only meaningful to the SDK: use with care. */
export interface UnsafeWorkflowInfo {
  /**
   * The current time in epoch ms as seen by the sandbox's `Date` (inside the duraflow sandbox this is
   * the workflow time of the current activation, not the wall clock).
   */
  readonly now: () => number;
  /** Whether the current activation replays history already processed by a previous worker. */
  readonly isReplaying: boolean;
  /** Like {@link isReplaying}, but false during queries and update validators (live, read-only code). */
  readonly isReplayingHistoryEvents: boolean;
}

export type { Priority };

/**
 * Information about the current workflow run. A frozen snapshot: call `workflowInfo()` again to see
 * changes (history length, upserted search attributes and memo, ...).
 */
export interface WorkflowInfo {
  readonly workflowId: string;
  readonly runId: string;
  /** The workflow function's name. */
  readonly workflowType: string;
  /** Decoded search attributes (legacy shape: every value is an array). */
  readonly searchAttributes: SearchAttributes;
  readonly typedSearchAttributes: TypedSearchAttributes;
  readonly memo?: Record<string, unknown>;
  readonly parent?: ParentWorkflowInfo;
  readonly root?: RootWorkflowInfo;
  /** Result of the previous run of a cron workflow (or the run this one continued from). */
  readonly lastResult?: unknown;
  /** Failure of the previous run of a retried or cron workflow. */
  readonly lastFailure?: Error;
  /** Events in history up to the current workflow task. */
  readonly historyLength: number;
  /** Size of history in bytes (0 when the server did not say). */
  readonly historySize: number;
  /** The server suggests continuing as new (history too long or too large). */
  readonly continueAsNewSuggested: boolean;
  readonly taskQueue: string;
  readonly namespace: string;
  readonly firstExecutionRunId: string;
  /** The run id before any reset; duraflow reports the current run id (resets are not modelled). */
  readonly originalExecutionRunId: string;
  readonly continuedFromExecutionRunId?: string;
  /** When the workflow execution (the whole chain) started. */
  readonly startTime: Date;
  /** When this run started. */
  readonly runStartTime: Date;
  readonly executionTimeoutMs?: number;
  readonly executionExpirationTime?: Date;
  readonly runTimeoutMs?: number;
  readonly taskTimeoutMs: number;
  readonly retryPolicy?: RetryPolicy;
  /** Starts at 1 and grows with each retry of the workflow. */
  readonly attempt: number;
  readonly cronSchedule?: string;
  /** Milliseconds between the previous cron run's scheduled time and this one's. */
  readonly cronScheduleToScheduleInterval?: number;
  readonly priority?: Priority;
  readonly unsafe: UnsafeWorkflowInfo;
}

/** The update a handler is running for, as returned by `currentUpdateInfo()`. */
export interface UpdateInfo {
  readonly id: string;
  readonly name: string;
}

export { HandlerUnfinishedPolicy };

/** Receives every signal that has no handler of its own. */
export type DefaultSignalHandler = (signalName: string, ...args: unknown[]) => void | Promise<void>;
/** Receives every update that has no handler of its own. */
export type DefaultUpdateHandler = (updateName: string, ...args: unknown[]) => Promise<unknown> | unknown;
/** Answers every query that has no handler of its own. */
export type DefaultQueryHandler = (queryName: string, ...args: unknown[]) => unknown;

/** A synchronous update validator: throw to reject the update before it is accepted. */
export type UpdateValidator<Args extends unknown[]> = (...args: Args) => void;

/** Options of `setHandler` for a query. */
export interface QueryHandlerOptions {
  description?: string;
}

/** Options of `setHandler` for a signal. */
export interface SignalHandlerOptions {
  description?: string;
  /** @default HandlerUnfinishedPolicy.WARN_AND_ABANDON */
  unfinishedPolicy?: HandlerUnfinishedPolicy;
}

/** Options of `setHandler` for an update. */
export interface UpdateHandlerOptions<Args extends unknown[]> {
  validator?: UpdateValidator<Args>;
  description?: string;
  /** @default HandlerUnfinishedPolicy.WARN_AND_ABANDON */
  unfinishedPolicy?: HandlerUnfinishedPolicy;
}
