/**
 * Options of the {@link ActivityWorker}: {@link ActivityWorkerOptions} → {@link compileActivityWorkerOptions}
 * → {@link CompiledActivityWorkerOptions}.
 *
 * @module
 */
import { hostname } from 'node:os';
import type { Client } from '../../client/client.js';
import type { Connection } from '../../client/connection.js';
import { defaultDataConverter } from '../../common/data-converter.js';
import type { LoadedDataConverter } from '../../common/data-converter.js';
import { msToNumber } from '../../common/duration.js';
import type { Duration } from '../../common/duration.js';
import { DefaultLogger } from '../../common/logger.js';
import type { Logger } from '../../common/logger.js';
import type { MetricMeter } from '../../common/metrics.js';
import type { WorkerMetrics } from '../metrics/worker-metrics.js';
import type { ActivityInterceptorsFactory } from './interceptors.js';
import type { WorkflowService } from './rpc.js';

/** What an {@link ActivityWorker} needs; only `taskQueue`, `activities` and a connection are required. */
export interface ActivityWorkerOptions {
  /**
   * The connection to the server. Its `workflowService` is used for every call, and shutdown
   * cancels the polls in flight through it. Give this or {@link workflowService}.
   */
  connection?: Pick<Connection, 'workflowService' | 'callWith'>;
  /**
   * The WorkflowService stub (`connection.workflowService`), when no {@link connection} is given.
   * Without a connection, shutdown waits for polls in flight to return (at most one long poll).
   */
  workflowService?: WorkflowService;
  /** @default 'default' */
  namespace?: string;
  /** The task queue to poll. */
  taskQueue: string;
  /** Sent with every poll and response. @default `${process.pid}@${os.hostname()}` */
  identity?: string;
  /**
   * Activity functions by type name (an `import * as activities` namespace works: entries that are
   * not functions are ignored). A function registered as `default` runs activities whose type has
   * no function of its own.
   */
  activities: Record<string, unknown>;
  /** Activities that may run at once. @default 100 */
  maxConcurrentActivityTaskExecutions?: number;
  /** Polls that may be in flight at once (each holds a free slot). @default min(10, maxConcurrentActivityTaskExecutions) */
  maxConcurrentActivityTaskPolls?: number;
  /** Longest interval between heartbeats sent to the server. @default 60 seconds */
  maxHeartbeatThrottleInterval?: Duration;
  /** Heartbeat throttle interval when the activity has no heartbeat timeout. @default 30 seconds */
  defaultHeartbeatThrottleInterval?: Duration;
  /**
   * How long after an activity's start-to-close or heartbeat timeout the worker cancels it itself
   * (reason `TIMED_OUT`), in case the server's own timeout did not reach it.
   *
   * @default 5 seconds
   */
  localTimeoutBuffer?: Duration;
  /** Payload converter, failure converter and codecs. @default the default converters, no codecs */
  dataConverter?: LoadedDataConverter;
  /** @default a {@link DefaultLogger} at INFO */
  logger?: Logger;
  /** Where the worker's activity metrics go (the Worker passes its recorder). */
  metrics?: WorkerMetrics;
  /** The meter behind `Context.metricMeter` for custom activity metrics. */
  metricMeter?: MetricMeter;
  /** The Client behind `Context.client`, made on first use. @default none (`Context.client` throws) */
  client?: () => Client;
  /** Activity interceptors, outermost first. @default [] */
  interceptors?: ActivityInterceptorsFactory[];
  /** Most activities this worker starts per second: polls start at most this often. @default no limit */
  maxActivitiesPerSecond?: number;
  /** Sent with every poll: the most activities per second the server dispatches from the queue. @default no limit */
  maxTaskQueueActivitiesPerSecond?: number;
}

/** {@link ActivityWorkerOptions} validated, with defaults applied. */
export interface CompiledActivityWorkerOptions {
  readonly workflowService: WorkflowService;
  readonly withAbortSignal?: <T>(signal: AbortSignal, fn: () => Promise<T>) => Promise<T>;
  readonly namespace: string;
  readonly taskQueue: string;
  readonly identity: string;
  readonly activities: ReadonlyMap<string, (...args: unknown[]) => unknown>;
  readonly maxConcurrentActivityTaskExecutions: number;
  readonly maxConcurrentActivityTaskPolls: number;
  readonly maxHeartbeatThrottleIntervalMs: number;
  readonly defaultHeartbeatThrottleIntervalMs: number;
  readonly localTimeoutBufferMs: number;
  readonly dataConverter: LoadedDataConverter;
  readonly logger: Logger;
  readonly metrics?: WorkerMetrics;
  readonly metricMeter?: MetricMeter;
  readonly client?: () => Client;
  readonly interceptors: readonly ActivityInterceptorsFactory[];
  readonly maxActivitiesPerSecond?: number;
  readonly maxTaskQueueActivitiesPerSecond?: number;
}

function requireString(value: unknown, name: string): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw new TypeError(`ActivityWorker option ${name} must be a non-empty string, got ${String(value)}`);
  }
  return value;
}

function positiveInteger(value: number | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1) {
    throw new TypeError(`ActivityWorker option ${name} must be a positive integer, got ${String(value)}`);
  }
  return value;
}

function positiveRate(value: number | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new TypeError(`ActivityWorker option ${name} must be a positive number (per second), got ${String(value)}`);
  }
  return value;
}

function durationMs(value: Duration | undefined, name: string, fallback: number, allowZero = false): number {
  if (value === undefined) return fallback;
  let ms: number;
  try {
    ms = msToNumber(value);
  } catch (error) {
    throw new TypeError(`ActivityWorker option ${name} is not a valid duration: ${String(value)}`, { cause: error });
  }
  if (!(ms > 0 || (allowZero && ms === 0))) {
    throw new TypeError(`ActivityWorker option ${name} must be ${allowZero ? 'zero or more' : 'positive'}, got ${String(value)}`);
  }
  return ms;
}

function compileActivities(activities: unknown): Map<string, (...args: unknown[]) => unknown> {
  if (typeof activities !== 'object' || activities === null) {
    throw new TypeError('ActivityWorker option activities must be an object of activity functions by type name');
  }
  // Like the official worker, values that are not functions are skipped, so that a module's
  // namespace (`import * as activities`) can be passed even if it also exports constants.
  const map = new Map<string, (...args: unknown[]) => unknown>();
  for (const [name, fn] of Object.entries(activities)) {
    if (typeof fn === 'function') map.set(name, fn as (...args: unknown[]) => unknown);
  }
  return map;
}

function compileService(options: ActivityWorkerOptions): Pick<CompiledActivityWorkerOptions, 'workflowService' | 'withAbortSignal'> {
  const { connection } = options;
  const workflowService = options.workflowService ?? connection?.workflowService;
  if (typeof workflowService !== 'object' || workflowService === null) {
    throw new TypeError('ActivityWorker needs a connection (or its workflowService) to reach the server');
  }
  // The poll is the one call `fn` starts, so `callWith` suffices (no AsyncLocalStorage, as for workflow-task polls).
  const withAbortSignal = connection ? <T>(abortSignal: AbortSignal, fn: () => Promise<T>): Promise<T> => connection.callWith({ abortSignal }, fn) : undefined;
  return { workflowService, withAbortSignal };
}

function compileConverterAndLogger(options: ActivityWorkerOptions): Pick<CompiledActivityWorkerOptions, 'dataConverter' | 'logger'> {
  const dataConverter = options.dataConverter ?? defaultDataConverter;
  const { payloadConverter, failureConverter, payloadCodecs } = dataConverter as Partial<LoadedDataConverter>;
  if (typeof payloadConverter?.toPayload !== 'function' || typeof failureConverter?.errorToFailure !== 'function' || !Array.isArray(payloadCodecs)) {
    throw new TypeError('ActivityWorker option dataConverter must be a loaded data converter: { payloadConverter, failureConverter, payloadCodecs }');
  }
  const logger = options.logger ?? new DefaultLogger('INFO');
  const methods = ['log', 'trace', 'debug', 'info', 'warn', 'error'] as const;
  if (methods.some((m) => typeof (logger as Partial<Logger>)[m] !== 'function')) {
    throw new TypeError(`ActivityWorker option logger must implement ${methods.join(', ')}`);
  }
  return { dataConverter, logger };
}

/**
 * Validates options and applies defaults.
 *
 * @throws TypeError naming the first invalid option.
 * @example
 * ```ts
 * const compiled = compileActivityWorkerOptions({ connection, taskQueue: 'orders', activities });
 * ```
 */
export function compileActivityWorkerOptions(options: ActivityWorkerOptions): CompiledActivityWorkerOptions {
  if (typeof options !== 'object' || options === null) throw new TypeError('ActivityWorker options must be an object');
  const maxExecutions = positiveInteger(options.maxConcurrentActivityTaskExecutions, 'maxConcurrentActivityTaskExecutions', 100);
  const maxPolls = positiveInteger(options.maxConcurrentActivityTaskPolls, 'maxConcurrentActivityTaskPolls', Math.min(10, maxExecutions));
  if (maxPolls > maxExecutions) {
    throw new TypeError(
      `ActivityWorker option maxConcurrentActivityTaskPolls (${maxPolls}) may not exceed maxConcurrentActivityTaskExecutions (${maxExecutions})`
    );
  }
  const interceptors = options.interceptors ?? [];
  if (!Array.isArray(interceptors) || interceptors.some((f) => typeof f !== 'function')) {
    throw new TypeError('ActivityWorker option interceptors must be an array of interceptor factory functions');
  }
  return {
    ...compileService(options),
    ...compileConverterAndLogger(options),
    namespace: requireString(options.namespace ?? 'default', 'namespace'),
    taskQueue: requireString(options.taskQueue, 'taskQueue'),
    identity: requireString(options.identity ?? `${process.pid}@${hostname()}`, 'identity'),
    activities: compileActivities(options.activities),
    maxConcurrentActivityTaskExecutions: maxExecutions,
    maxConcurrentActivityTaskPolls: maxPolls,
    maxHeartbeatThrottleIntervalMs: durationMs(options.maxHeartbeatThrottleInterval, 'maxHeartbeatThrottleInterval', 60_000),
    defaultHeartbeatThrottleIntervalMs: durationMs(options.defaultHeartbeatThrottleInterval, 'defaultHeartbeatThrottleInterval', 30_000),
    localTimeoutBufferMs: durationMs(options.localTimeoutBuffer, 'localTimeoutBuffer', 5_000, true),
    interceptors,
    metrics: options.metrics,
    metricMeter: options.metricMeter,
    client: options.client,
    maxActivitiesPerSecond: positiveRate(options.maxActivitiesPerSecond, 'maxActivitiesPerSecond'),
    maxTaskQueueActivitiesPerSecond: positiveRate(options.maxTaskQueueActivitiesPerSecond, 'maxTaskQueueActivitiesPerSecond'),
  };
}
