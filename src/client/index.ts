/**
 * The duraflow client: a gRPC connection to a Temporal server (Temporal Cluster, Temporal Cloud or
 * duraflow's dev server), and the workflow, schedule and async-completion clients built on it.
 * Names and behaviour match `@temporalio/client`, so code migrates by changing imports.
 *
 * @example
 * ```ts
 * import { Client, Connection } from 'duraflow/client';
 * const client = new Client({ connection: await Connection.connect({ address: 'localhost:7233' }) });
 * const handle = await client.workflow.start('greet', { taskQueue: 'main', workflowId: 'greet-1', args: ['Ada'] });
 * console.log(await handle.result());
 * await client.connection.close();
 * ```
 * @module
 */
export { Connection, type GrpcMetadata as Metadata } from './connection.js';
export {
  compileConnectionOptions,
  LOCAL_TARGET,
  TEMPORAL_CLIENT_VERSION,
  type ConnectionOptions,
  type CompiledConnectionOptions,
  type TLSConfig,
} from './connection-options.js';
export { defaultGrpcRetryOptions, isRetryableError, makeGrpcRetryInterceptor, type BackoffOptions, type GrpcRetryOptions } from './grpc-retry.js';
export { ConnectionError } from './errors.js';
export { Client, type ClientOptions } from './client.js';
export {
  WorkflowClient,
  type WorkflowClientOptions,
  type WorkflowHandleWithFirstExecutionRunId,
  type WorkflowHandleWithSignaledRunId,
  type WorkflowHandleWithStartDetails,
} from './workflow-client.js';
export type { WorkflowHandle, GetWorkflowHandleOptions, WorkflowExecutionDescription } from './workflow-handle.js';
export { WorkflowUpdateStage, type WorkflowUpdateHandle, type WorkflowUpdateOptions } from './update-handle.js';
export { WithStartWorkflowOperation, type WorkflowUpdateWithStartOptions } from './update-with-start.js';
export {
  compileWorkflowOptions,
  WorkflowIdConflictPolicy,
  WorkflowIdReusePolicy,
  type CompiledWorkflowOptions,
  type WithWorkflowArgs,
  type WorkflowOptions,
  type WorkflowSignalWithStartOptions,
  type WorkflowStartOptions,
} from './workflow-options.js';
export {
  composeInterceptors,
  type ClientInterceptors,
  type CreateScheduleInput,
  type CreateScheduleOutput,
  type Headers,
  type Next,
  type ScheduleClientInterceptor,
  type WorkflowCancelInput,
  type WorkflowClientCallsInterceptorFactory,
  type WorkflowClientCallsInterceptorFactoryInput,
  type WorkflowClientInterceptor,
  type WorkflowClientInterceptors,
  type WorkflowDescribeInput,
  type WorkflowExecution,
  type WorkflowQueryInput,
  type WorkflowSignalInput,
  type WorkflowSignalWithStartInput,
  type WorkflowStartInput,
  type WorkflowStartOutput,
  type WorkflowStartUpdateInput,
  type WorkflowStartUpdateOutput,
  type WorkflowStartUpdateWithStartInput,
  type WorkflowStartUpdateWithStartOutput,
  type WorkflowTerminateInput,
} from './interceptors.js';
export {
  ScheduleAlreadyRunning,
  ScheduleClient,
  ScheduleNotFoundError,
  type ScheduleClientOptions,
  type ScheduleHandle,
} from './schedule-client.js';
export {
  DAYS_OF_WEEK,
  MONTHS,
  ScheduleOverlapPolicy,
  type Backfill,
  type CalendarSpec,
  type CalendarSpecDescription,
  type CompiledScheduleAction,
  type CompiledScheduleOptions,
  type CompiledScheduleUpdateOptions,
  type DayOfWeek,
  type IntervalSpec,
  type IntervalSpecDescription,
  type ListScheduleOptions,
  type LooseRange,
  type Month,
  type Range,
  type ScheduleDescription,
  type ScheduleDescriptionAction,
  type ScheduleDescriptionStartWorkflowAction,
  type ScheduleExecutionActionResult,
  type ScheduleExecutionResult,
  type ScheduleExecutionStartWorkflowActionResult,
  type ScheduleOptions,
  type ScheduleOptionsAction,
  type ScheduleOptionsStartWorkflowAction,
  type ScheduleSpec,
  type ScheduleSpecDescription,
  type ScheduleSummary,
  type ScheduleSummaryStartWorkflowAction,
  type ScheduleUpdateOptions,
} from './schedule-types.js';
export {
  ActivityCancelledError,
  ActivityCompletionError,
  ActivityNotFoundError,
  ActivityPausedError,
  ActivityResetError,
  AsyncCompletionClient,
  type AsyncCompletionClientOptions,
  type FullActivityId,
} from './async-completion-client.js';
export { QueryRejectCondition } from './handle-context.js';
export type {
  AsyncWorkflowListIterable,
  CountWorkflowExecution,
  HistoryAndWorkflowId,
  ListOptions,
  RawWorkflowExecutionInfo,
  WorkflowExecutionInfo,
  WorkflowExecutionStatusName,
} from './list.js';
export {
  defineQuery,
  defineSignal,
  defineUpdate,
  type QueryDefinition,
  type SignalDefinition,
  type UpdateDefinition,
  type Workflow,
  type WorkflowResultType,
} from '../common/definitions.js';
export {
  QueryNotRegisteredError,
  QueryRejectedError,
  ServiceError,
  WorkflowContinuedAsNewError,
  WorkflowFailedError,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
} from './workflow-client-errors.js';
export {
  ActivityFailure,
  ApplicationFailure,
  CancelledFailure,
  ChildWorkflowFailure,
  CompleteAsyncError,
  HandlerUnfinishedPolicy,
  IllegalStateError,
  NamespaceNotFoundError,
  PayloadConverterError,
  ServerFailure,
  TemporalFailure,
  TerminatedFailure,
  TimeoutFailure,
  ValueError,
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  defaultPayloadConverter,
} from '../common/index.js';
export type { Priority } from '../common/priority.js';
export { isGrpcCancelledError, isGrpcDeadlineError, isGrpcServiceError, isServerErrorResponse } from './grpc-errors.js';
export { HealthService, OperatorService, TestService, WorkflowService } from './services.js';
