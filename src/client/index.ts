/**
 * The duraflow client: a gRPC connection to a Temporal server (Temporal Cluster, Temporal Cloud or
 * duraflow's dev server). The workflow, schedule and async-completion clients build on it.
 *
 * @example
 * ```ts
 * import { Connection } from 'duraflow/client';
 * const connection = await Connection.connect({ address: 'localhost:7233' });
 * console.log((await connection.workflowService.getSystemInfo({})).serverVersion);
 * await connection.close();
 * ```
 * @module
 */
export { Connection } from './connection.js';
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
} from './workflow-client.js';
export type { WorkflowHandle, GetWorkflowHandleOptions, WorkflowExecutionDescription } from './workflow-handle.js';
export type { WorkflowUpdateHandle, WorkflowUpdateOptions, WorkflowUpdateStage } from './update-handle.js';
export {
  WorkflowIdConflictPolicy,
  WorkflowIdReusePolicy,
  type WorkflowOptions,
  type WorkflowSignalWithStartOptions,
  type WorkflowStartOptions,
} from './workflow-options.js';
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
} from './workflow-client-errors.js';
export {
  ActivityFailure,
  ApplicationFailure,
  CancelledFailure,
  NamespaceNotFoundError,
  TerminatedFailure,
  TimeoutFailure,
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
} from '../common/index.js';
