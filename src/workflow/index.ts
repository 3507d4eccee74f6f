/**
 * `duraflow/workflow`: the API workflow code imports. Workflows are plain exported async functions
 * run deterministically in the worker's sandbox; they call activities, sleep on durable timers, wait
 * on conditions, react to signals, queries and updates, and start child workflows. Names and
 * signatures match `@temporalio/workflow`, so workflows migrate by changing the import.
 *
 * Only this module (and `duraflow/common`) may be imported by workflow code: it touches no Node API
 * and no host global when loaded.
 *
 * @example
 * ```ts
 * import { condition, defineSignal, proxyActivities, setHandler, sleep } from 'duraflow/workflow';
 * import type * as activities from './activities.js';
 *
 * const { charge, ship } = proxyActivities<typeof activities>({ startToCloseTimeout: '1 minute' });
 * export const approve = defineSignal<[string]>('approve');
 *
 * export async function order(id: string): Promise<string> {
 *   let approvedBy: string | undefined;
 *   setHandler(approve, (by) => void (approvedBy = by));
 *   if (!(await condition(() => approvedBy !== undefined, '1 day'))) return 'expired';
 *   await charge(id);
 *   await sleep('1 hour');
 *   return ship(id);
 * }
 * ```
 * @module
 */

// Failures, errors and helpers shared with the rest of the SDK
export {
  ActivityFailure,
  ApplicationFailure,
  ApplicationFailureCategory,
  CancelledFailure,
  ChildWorkflowFailure,
  CompleteAsyncError,
  defaultPayloadConverter,
  defineSearchAttributeKey,
  DeterminismViolationError,
  IllegalStateError,
  isCancellation,
  NamespaceNotFoundError,
  NexusOperationFailure,
  PayloadConverterError,
  RetryState,
  rootCause,
  SearchAttributeType,
  ServerFailure,
  TemporalFailure,
  TerminatedFailure,
  TimeoutFailure,
  TimeoutType,
  TypedSearchAttributes,
  ValueError,
  WorkflowError,
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
} from '../common/index.js';
export type {
  ApplicationFailureOptions,
  Duration,
  Payload,
  PayloadConverter,
  QueryDefinition,
  RetryPolicy,
  SearchAttributes,
  SearchAttributeUpdatePair,
  SearchAttributeValue,
  SignalDefinition,
  UpdateDefinition,
  Workflow,
  WorkflowResultType,
} from '../common/index.js';
export { defineQuery, defineSignal, defineUpdate } from '../common/definitions.js';

// Activities
export {
  NotAnActivityMethod,
  proxyActivities,
  proxyLocalActivities,
  scheduleActivity,
  scheduleLocalActivity,
} from './activities.js';
export type {
  ActivityFunctionWithOptions,
  ActivityInterfaceFor,
  LocalActivityFunctionWithOptions,
  LocalActivityInterfaceFor,
  UntypedActivities,
} from './activities.js';
export { ActivityCancellationType } from './activity-options.js';
export type { ActivityOptions, LocalActivityOptions } from './activity-options.js';

export { LocalActivityDoBackoff } from './errors.js';

// Timers, conditions, cancellation
export { sleep } from './timers.js';
export { condition } from './condition.js';
export { CancellationScope } from './cancellation-scope.js';
export { AsyncLocalStorage } from './async-local-storage.js';
export type { CancellationScopeOptions } from './cancellation-scope.js';
export { Trigger } from './trigger.js';

// Signals, queries, updates
export {
  allHandlersFinished,
  setDefaultQueryHandler,
  setDefaultSignalHandler,
  setDefaultUpdateHandler,
  setHandler,
} from './handlers.js';
export type { Handler } from './handlers.js';
export { enhancedStackTraceQuery, stackTraceQuery, workflowMetadataQuery } from './builtin-query-definitions.js';

// Run information
export { currentUpdateInfo, getCurrentDetails, inWorkflowContext, setCurrentDetails, workflowInfo } from './workflow-info.js';
export { HandlerUnfinishedPolicy } from './interfaces.js';
export type {
  DefaultQueryHandler,
  DefaultSignalHandler,
  DefaultUpdateHandler,
  ParentWorkflowInfo,
  Priority,
  QueryHandlerOptions,
  RootWorkflowInfo,
  SignalHandlerOptions,
  UnsafeWorkflowInfo,
  UpdateHandlerOptions,
  UpdateInfo,
  UpdateValidator,
  WorkflowInfo,
} from './interfaces.js';

// Child and external workflows, continue-as-new
export { addDefaultWorkflowOptions, executeChild, startChild } from './child-workflow.js';
export type { ChildWorkflowHandle, ChildWorkflowOptionsWithArgs } from './child-workflow.js';
export {
  ChildWorkflowCancellationType,
  ParentClosePolicy,
  WorkflowIdConflictPolicy,
  WorkflowIdReusePolicy,
} from './child-workflow-options.js';
export type { ChildWorkflowOptions, ChildWorkflowOptionsWithDefaults } from './child-workflow-options.js';
export { getExternalWorkflowHandle } from './external-workflow.js';
export type { ExternalWorkflowHandle } from './external-workflow.js';
export { ContinueAsNew, continueAsNew, makeContinueAsNewFunc } from './continue-as-new.js';
export type { ContinueAsNewOptions } from './continue-as-new.js';

// Versioning, search attributes, memo, randomness
export { deprecatePatch, patched } from './patches.js';
export { defineWorkflowOptions, setWorkflowOptions } from './workflow-definition-options.js';
export type { WorkflowDefinitionConfig, WorkflowDefinitionOptions, WorkflowDefinitionOptionsOrGetter } from './workflow-definition-options.js';
export { upsertMemo, upsertSearchAttributes } from './upsert.js';
export { uuid4 } from './uuid.js';

// Logging and sinks
export { log } from './logs.js';
export type { WorkflowLogger } from './logs.js';
export { proxySinks } from './sinks.js';
export type { Sink, SinkFunction, Sinks } from './sinks.js';
export { metricMeter, METRICS_SINK_NAME, type WorkflowMetricsSink } from './metrics.js';

// Interceptors
export type {
  ActivateInput,
  ActivityInput,
  ConcludeActivationInput,
  ContinueAsNewInput,
  GetLogAttributesInput,
  Headers,
  LocalActivityInput,
  Next,
  QueryInput,
  SignalInput,
  SignalWorkflowInput,
  StartChildWorkflowExecutionInput,
  TimerInput,
  TimerOptions,
  UpdateInput,
  WorkflowExecuteInput,
  WorkflowInboundCallsInterceptor,
  WorkflowInterceptors,
  WorkflowInterceptorsFactory,
  WorkflowInternalsInterceptor,
  WorkflowOutboundCallsInterceptor,
} from './interceptors.js';
