/**
 * The contract between the worker and the workflow runtime inside the sandbox: activations (jobs)
 * in, completions (commands) out. Every value here is a plain, structured-cloneable object — it
 * crosses a `worker_threads` boundary — so there are no classes, no functions and no Longs:
 * durations and times are milliseconds (numbers), payloads are `{ metadata, data }` byte records and
 * failures are plain `temporal.api.failure.v1.Failure` shapes.
 *
 * The worker's history state machines turn history events into jobs and match the commands that come
 * back against the command events recorded in history; the runtime turns jobs into calls of workflow
 * code and records what the code asked for as commands. Each command kind that resolves later carries
 * a `seq` (its own counter per kind, starting at 1, exactly as the official TypeScript SDK numbers
 * them), and the job that resolves it carries the same `seq`.
 *
 * Types only: nothing here exists at run time.
 *
 * @module
 */
import type { Priority } from '../../common/priority.js';
import type { Payload, ProtoFailure, ProtoRetryPolicy } from '../../common/proto-types.js';

/** A map of named payloads (headers, memo, search attributes). */
export type PayloadMap = Record<string, Payload>;

// ─── Activations (worker → sandbox) ─────────────────────────────────────────────────────────────

/** One step of a run: the jobs derived from the history since the previous activation. */
export interface WorkflowActivation {
  runId: string;
  /** Workflow time for this activation: the WorkflowTaskStarted event's time, in epoch ms. */
  timestampMs: number;
  /** True while the jobs come from history that was already processed by a previous worker. */
  isReplaying: boolean;
  /** Events in history up to and including the current WorkflowTaskStarted event. */
  historyLength: number;
  historySizeBytes: number;
  continueAsNewSuggested: boolean;
  /**
   * In the order the runtime must apply them: initializeWorkflow, notifyHasPatch, updateRandomSeed,
   * signals and updates, then every resolution in history order, then queries (queries, when
   * present, are the only jobs of their activation).
   */
  jobs: ActivationJob[];
}

export type ActivationJob =
  | InitializeWorkflowJob
  | FireTimerJob
  | ResolveActivityJob
  | SignalWorkflowJob
  | QueryWorkflowJob
  | CancelWorkflowJob
  | DoUpdateJob
  | NotifyHasPatchJob
  | UpdateRandomSeedJob
  | ResolveChildWorkflowExecutionStartJob
  | ResolveChildWorkflowExecutionJob
  | ResolveSignalExternalWorkflowJob
  | ResolveRequestCancelExternalWorkflowJob;

/** Parent or root execution of a run. */
export interface ExecutionRef {
  namespace: string;
  workflowId: string;
  runId: string;
}

/** Starts the run: everything `workflowInfo()` reports, from WorkflowExecutionStarted. */
export interface InitializeWorkflowJob {
  kind: 'initializeWorkflow';
  workflowType: string;
  workflowId: string;
  namespace: string;
  taskQueue: string;
  arguments: Payload[];
  headers: PayloadMap;
  /** Decimal string of an unsigned 64-bit seed for Math.random and uuid4 (derived from the first run id). */
  randomnessSeed: string;
  identity: string;
  attempt: number;
  firstExecutionRunId: string;
  continuedFromExecutionRunId?: string;
  parent?: ExecutionRef;
  root?: ExecutionRef;
  cronSchedule?: string;
  cronScheduleToScheduleIntervalMs?: number;
  workflowExecutionTimeoutMs?: number;
  /** Epoch ms when the whole execution chain times out. */
  workflowExecutionExpirationTimeMs?: number;
  workflowRunTimeoutMs?: number;
  workflowTaskTimeoutMs: number;
  retryPolicy?: ProtoRetryPolicy;
  memo: PayloadMap;
  searchAttributes: PayloadMap;
  lastCompletionResult?: Payload[];
  continuedFailure?: ProtoFailure;
  /** Epoch ms of the WorkflowExecutionStarted event. */
  startTimeMs: number;
  /** Epoch ms when this run started (same as startTimeMs unless the server reports otherwise). */
  runStartTimeMs: number;
  /** Only the fields that are set. */
  priority?: Priority;
  /**
   * Error class names that fail the execution instead of the task (the worker's
   * `workflowFailureErrorTypes` for this workflow type; not from history).
   */
  failureExceptionTypeNames?: string[];
}

export interface FireTimerJob {
  kind: 'fireTimer';
  seq: number;
}

/** How an activity (or local activity) ended, or that a local activity must retry after a backoff. */
export type ActivityResolution =
  | { status: 'completed'; result?: Payload }
  | { status: 'failed'; failure: ProtoFailure }
  | { status: 'cancelled'; failure: ProtoFailure }
  /** Local activities only: schedule the next attempt after a durable timer of `backoffMs`. */
  | { status: 'backoff'; attempt: number; backoffMs: number; originalScheduleTimeMs: number };

export interface ResolveActivityJob {
  kind: 'resolveActivity';
  seq: number;
  isLocal: boolean;
  result: ActivityResolution;
}

export interface SignalWorkflowJob {
  kind: 'signalWorkflow';
  signalName: string;
  input: Payload[];
  identity: string;
  headers: PayloadMap;
}

export interface QueryWorkflowJob {
  kind: 'queryWorkflow';
  /** Echoed in the respondToQuery command; `'legacy_query'` for a legacy (non-attached) query. */
  queryId: string;
  queryType: string;
  arguments: Payload[];
  headers: PayloadMap;
}

export interface CancelWorkflowJob {
  kind: 'cancelWorkflow';
  reason: string;
}

export interface DoUpdateJob {
  kind: 'doUpdate';
  /** The update id the client chose. */
  id: string;
  /** Echoed in the updateResponse command. */
  protocolInstanceId: string;
  name: string;
  input: Payload[];
  headers: PayloadMap;
  identity: string;
  /** False on replay of an update that history shows was accepted: skip the validator. */
  runValidator: boolean;
}

export interface NotifyHasPatchJob {
  kind: 'notifyHasPatch';
  patchId: string;
}

export interface UpdateRandomSeedJob {
  kind: 'updateRandomSeed';
  randomnessSeed: string;
}

export type ChildWorkflowStartResolution =
  | { status: 'succeeded'; runId: string }
  | { status: 'failed'; workflowId: string; workflowType: string; cause: 'WORKFLOW_ALREADY_EXISTS' }
  | { status: 'cancelled'; failure: ProtoFailure };

export interface ResolveChildWorkflowExecutionStartJob {
  kind: 'resolveChildWorkflowExecutionStart';
  seq: number;
  result: ChildWorkflowStartResolution;
}

export type ChildWorkflowResolution =
  | { status: 'completed'; result?: Payload }
  | { status: 'failed'; failure: ProtoFailure }
  | { status: 'cancelled'; failure: ProtoFailure };

export interface ResolveChildWorkflowExecutionJob {
  kind: 'resolveChildWorkflowExecution';
  seq: number;
  result: ChildWorkflowResolution;
}

export interface ResolveSignalExternalWorkflowJob {
  kind: 'resolveSignalExternalWorkflow';
  seq: number;
  /** Set when the signal could not be delivered. */
  failure?: ProtoFailure;
}

export interface ResolveRequestCancelExternalWorkflowJob {
  kind: 'resolveRequestCancelExternalWorkflow';
  seq: number;
  failure?: ProtoFailure;
}

// ─── Completions (sandbox → worker) ─────────────────────────────────────────────────────────────

/** What one activation produced. */
export type ActivationCompletion =
  | { runId: string; successful: SuccessfulCompletion }
  /** The activation threw (a bug in workflow code or a nondeterminism): fail the workflow task. */
  | { runId: string; failed: { failure: ProtoFailure } };

export interface SuccessfulCompletion {
  /** In the order the workflow code issued them; nothing after a terminal (complete/fail/cancel/CAN) command. */
  commands: WorkflowCommand[];
  /** Calls the workflow made to sinks (including `log`) during this activation, to run on the worker's main thread. */
  sinkCalls: SinkCall[];
}

/** A call to a sink function, recorded in the sandbox and replayed on the worker's main thread. */
export interface SinkCall {
  ifaceName: string;
  fnName: string;
  args: unknown[];
  /** Whether the call was made while the run was replaying (log calls are dropped then). */
  isReplaying: boolean;
  /** workflowInfo() fields useful to the sink: workflowId, runId, workflowType, namespace, taskQueue. */
  workflowInfo: { workflowId: string; runId: string; workflowType: string; namespace: string; taskQueue: string };
}

export type WorkflowCommand =
  | StartTimerCommand
  | CancelTimerCommand
  | ScheduleActivityCommand
  | RequestCancelActivityCommand
  | ScheduleLocalActivityCommand
  | RequestCancelLocalActivityCommand
  | RespondToQueryCommand
  | UpdateResponseCommand
  | CompleteWorkflowExecutionCommand
  | FailWorkflowExecutionCommand
  | CancelWorkflowExecutionCommand
  | ContinueAsNewWorkflowExecutionCommand
  | SetPatchMarkerCommand
  | StartChildWorkflowExecutionCommand
  | CancelChildWorkflowExecutionCommand
  | RequestCancelExternalWorkflowExecutionCommand
  | SignalExternalWorkflowExecutionCommand
  | CancelSignalWorkflowCommand
  | UpsertWorkflowSearchAttributesCommand
  | ModifyWorkflowPropertiesCommand;

export interface StartTimerCommand {
  kind: 'startTimer';
  seq: number;
  startToFireTimeoutMs: number;
  summary?: Payload;
}

export interface CancelTimerCommand {
  kind: 'cancelTimer';
  seq: number;
}

/** temporal.api.enums.v1 has no enum for this: it is SDK-side behaviour. */
export type ActivityCancellationTypeName = 'TRY_CANCEL' | 'WAIT_CANCELLATION_COMPLETED' | 'ABANDON';

export interface ScheduleActivityCommand {
  kind: 'scheduleActivity';
  seq: number;
  activityId: string;
  activityType: string;
  taskQueue: string;
  arguments: Payload[];
  headers: PayloadMap;
  scheduleToCloseTimeoutMs?: number;
  scheduleToStartTimeoutMs?: number;
  startToCloseTimeoutMs?: number;
  heartbeatTimeoutMs?: number;
  retryPolicy?: ProtoRetryPolicy;
  cancellationType: ActivityCancellationTypeName;
  doNotEagerlyExecute: boolean;
  summary?: Payload;
  /** Only the fields that are set. */
  priority?: Priority;
}

export interface RequestCancelActivityCommand {
  kind: 'requestCancelActivity';
  seq: number;
}

export interface ScheduleLocalActivityCommand {
  kind: 'scheduleLocalActivity';
  seq: number;
  activityId: string;
  activityType: string;
  attempt: number;
  originalScheduleTimeMs?: number;
  arguments: Payload[];
  headers: PayloadMap;
  scheduleToCloseTimeoutMs?: number;
  scheduleToStartTimeoutMs?: number;
  startToCloseTimeoutMs?: number;
  retryPolicy?: ProtoRetryPolicy;
  localRetryThresholdMs: number;
  cancellationType: ActivityCancellationTypeName;
  summary?: string;
}

export interface RequestCancelLocalActivityCommand {
  kind: 'requestCancelLocalActivity';
  seq: number;
}

export interface RespondToQueryCommand {
  kind: 'respondToQuery';
  queryId: string;
  /** Exactly one of `result` (success, possibly undefined-encoded) and `failure`. */
  result?: Payload;
  failure?: ProtoFailure;
}

export interface UpdateResponseCommand {
  kind: 'updateResponse';
  protocolInstanceId: string;
  /** Exactly one of these. */
  accepted?: true;
  rejected?: ProtoFailure;
  completed?: Payload;
  /** Completion failed: the update handler threw. */
  failed?: ProtoFailure;
}

export interface CompleteWorkflowExecutionCommand {
  kind: 'completeWorkflowExecution';
  result?: Payload;
}

export interface FailWorkflowExecutionCommand {
  kind: 'failWorkflowExecution';
  failure: ProtoFailure;
}

export interface CancelWorkflowExecutionCommand {
  kind: 'cancelWorkflowExecution';
}

export interface ContinueAsNewWorkflowExecutionCommand {
  kind: 'continueAsNewWorkflowExecution';
  workflowType: string;
  taskQueue: string;
  arguments: Payload[];
  workflowRunTimeoutMs?: number;
  workflowTaskTimeoutMs?: number;
  memo?: PayloadMap;
  headers: PayloadMap;
  searchAttributes?: PayloadMap;
  retryPolicy?: ProtoRetryPolicy;
}

export interface SetPatchMarkerCommand {
  kind: 'setPatchMarker';
  patchId: string;
  deprecated: boolean;
}

/** `temporal.api.enums.v1.ParentClosePolicy` names without the prefix. */
export type ParentClosePolicyName = 'TERMINATE' | 'ABANDON' | 'REQUEST_CANCEL';
/** SDK-side behaviour when a child's cancellation is requested. */
export type ChildWorkflowCancellationTypeName =
  | 'ABANDON'
  | 'TRY_CANCEL'
  | 'WAIT_CANCELLATION_COMPLETED'
  | 'WAIT_CANCELLATION_REQUESTED';
/** `temporal.api.enums.v1.WorkflowIdReusePolicy` names without the prefix. */
export type WorkflowIdReusePolicyName =
  | 'ALLOW_DUPLICATE'
  | 'ALLOW_DUPLICATE_FAILED_ONLY'
  | 'REJECT_DUPLICATE'
  | 'TERMINATE_IF_RUNNING';

export interface StartChildWorkflowExecutionCommand {
  kind: 'startChildWorkflowExecution';
  seq: number;
  namespace: string;
  workflowId: string;
  workflowType: string;
  taskQueue: string;
  input: Payload[];
  workflowExecutionTimeoutMs?: number;
  workflowRunTimeoutMs?: number;
  workflowTaskTimeoutMs?: number;
  parentClosePolicy: ParentClosePolicyName;
  workflowIdReusePolicy?: WorkflowIdReusePolicyName;
  retryPolicy?: ProtoRetryPolicy;
  cronSchedule?: string;
  headers: PayloadMap;
  memo?: PayloadMap;
  searchAttributes?: PayloadMap;
  cancellationType: ChildWorkflowCancellationTypeName;
  /** Only the fields that are set. */
  priority?: Priority;
}

export interface CancelChildWorkflowExecutionCommand {
  kind: 'cancelChildWorkflowExecution';
  childWorkflowSeq: number;
  reason: string;
}

export interface RequestCancelExternalWorkflowExecutionCommand {
  kind: 'requestCancelExternalWorkflowExecution';
  seq: number;
  workflowExecution: { namespace: string; workflowId: string; runId?: string };
  reason: string;
}

export interface SignalExternalWorkflowExecutionCommand {
  kind: 'signalExternalWorkflowExecution';
  seq: number;
  /** Exactly one of these: an arbitrary execution, or a child started by this run. */
  workflowExecution?: { namespace: string; workflowId: string; runId?: string };
  childWorkflowId?: string;
  signalName: string;
  args: Payload[];
  headers: PayloadMap;
}

export interface CancelSignalWorkflowCommand {
  kind: 'cancelSignalWorkflow';
  seq: number;
}

export interface UpsertWorkflowSearchAttributesCommand {
  kind: 'upsertWorkflowSearchAttributes';
  searchAttributes: PayloadMap;
}

export interface ModifyWorkflowPropertiesCommand {
  kind: 'modifyWorkflowProperties';
  upsertedMemo: PayloadMap;
}

// ─── The bundle and the runtime module, as the sandbox host sees them ────────────────────────────

/**
 * What evaluating the workflow runtime script returns, once per sandbox thread: the runtime entry
 * module, and every duraflow module workflow code may import (`duraflow/workflow`, `duraflow/common`
 * and every file they import), keyed by their path below the package's compiled root (for example
 * `workflow/index.js`). Workflow bundles import these instead of carrying their own copies, so the
 * SDK is evaluated once per thread and shared by its runs.
 */
export interface WorkflowRuntimeScriptExports {
  runtime: WorkflowRuntimeModule;
  modules: Record<string, unknown>;
}

/** The global through which a run's workflow bundle reaches the runtime script's modules. */
export const SDK_MODULES_GLOBAL = '__duraflowModules';

/**
 * The global through which the runtime script (only it, not the runs) reaches the sandbox thread's
 * {@link CaptureOrigin}. Outside a sandbox thread it is absent and origins are plain `Error`s.
 */
export const CAPTURE_ORIGIN_GLOBAL = '__duraflowCaptureOrigin';

/**
 * Records where workflow code issued a command: an Error whose stack starts at the caller of
 * `below`. The sandbox thread's version captures the stack once; SES's tamed `Error` constructor
 * captures it twice, which made it the costliest step of scheduling an activity.
 */
export type CaptureOrigin = (message: string, below: (...args: never[]) => unknown) => Error;

/**
 * What evaluating the workflow bundle in a run's Compartment returns: the user's modules that the
 * bundler wired in (their module state is the run's own).
 */
export interface WorkflowBundleExports {
  /** The user's workflows module: every exported function is a workflow type. */
  workflows: Record<string, unknown>;
  /** Modules exporting `interceptors()` (workflowInterceptorModules), in order. */
  interceptorModules: Record<string, unknown>[];
  /** The module at payloadConverterPath, if any (it exports `payloadConverter`). */
  payloadConverterModule?: Record<string, unknown>;
  /** The module at failureConverterPath, if any (it exports `failureConverter`). */
  failureConverterModule?: Record<string, unknown>;
}

/**
 * `src/workflow/runtime/entry.ts`: the only surface through which the sandbox host drives runs. One
 * instance serves every run of a thread. The host creates a run with its bundle's exports, then per
 * activation: set the run's clock and random seed, `activate`, then repeatedly (drain microtasks with
 * a macrotask barrier, `tryUnblockConditions`) until it returns 0, then `concludeActivation`. Only
 * one activation is in progress at a time.
 */
export interface WorkflowRuntimeModule {
  /** Registers a run (replacing one with the same id) before its first activation. */
  createRun(runId: string, bundle: WorkflowBundleExports): void;
  /** Applies the activation's jobs to its run (synchronously starting whatever they resolve or start). */
  activate(activation: WorkflowActivation): void;
  /** Re-evaluates the activating run's pending `condition()` predicates; returns how many were unblocked. */
  tryUnblockConditions(): number;
  /** Collects the commands and sink calls the activation produced, ending it. */
  concludeActivation(): ActivationCompletion;
  /** A promise rejection nobody handled during the activation in progress (reported by the host). */
  handleUnhandledRejection(error: unknown): void;
  /** The raw `Error#stack` captured where the run issued command `index` of its last activation. */
  commandStack(runId: string, index: number): string | undefined;
  /** The run is leaving the cache: settle nothing further, release what it holds. */
  dispose(runId: string): void;
}
