/**
 * The duraflow worker: runs workflow code deterministically inside an SES sandbox against histories
 * from a Temporal server (or duraflow's dev server), and runs activities. Names and options follow
 * `@temporalio/worker`, so a worker migrates by changing imports.
 *
 * @example
 * ```ts
 * import { NativeConnection, Worker } from 'duraflow/worker';
 * import * as activities from './activities.js';
 *
 * const connection = await NativeConnection.connect({ address: 'localhost:7233' });
 * const worker = await Worker.create({
 *   connection,
 *   taskQueue: 'hello',
 *   workflowsPath: new URL('./workflows.js', import.meta.url).pathname,
 *   activities,
 * });
 * await worker.run();
 * ```
 * @module
 */
export { Worker, type State, type WorkerStatus } from './worker.js';
export {
  compileWorkerOptions,
  defaultMaxCachedWorkflows,
  type CompiledWorkerOptions,
  type ActivityInboundCallsInterceptorFactory,
  type FixedSizeSlotSupplier,
  type PollerBehavior,
  type WorkerTuner,
  type WorkerInterceptors,
  type WorkerOptions,
  type WorkflowBundleOption,
} from './worker-options.js';
export { ReplayError, type ReplayHistoryInput, type ReplayResult, type ReplayWorkerOptions } from './replay.js';
export {
  CombinedWorkerRunError,
  GracefulShutdownPeriodExpiredError,
  PromiseCompletionTimeoutError,
  type CombinedWorkerRunErrorCause,
} from './worker-errors.js';
export type { RunUntilOptions } from './run-until.js';
export type { InjectedSink, InjectedSinkFunction, InjectedSinks, SinkWorkflowInfo } from './sinks.js';
export type {
  ActivityExecuteInput,
  ActivityInboundCallsInterceptor,
  ActivityInterceptors,
  ActivityInterceptorsFactory,
  ActivityOutboundCallsInterceptor,
} from './activity/index.js';
export { NativeConnection, type NativeConnectionOptions } from './native-connection.js';
export { bundleWorkflowCode } from './bundler/index.js';
export { historyFromJSON } from './replay/history-input.js';
export { DefaultLogger, type Logger, type LogLevel } from '../common/logger.js';
export {
  MetricsBuffer,
  Runtime,
  WorkerMetrics,
  WorkflowMetricsSinkHandler,
  type RuntimeOptions,
} from './metrics/index.js';
export { IllegalStateError, defaultPayloadConverter } from '../common/index.js';
