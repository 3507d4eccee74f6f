/** Worker options: {@link WorkerOptions} → {@link compileWorkerOptions} → {@link CompiledWorkerOptions}. */
import { availableParallelism, hostname } from 'node:os';
import { getHeapStatistics } from 'node:v8';
import { Connection } from '../client/connection.js';
import { msToNumber, ValueError, type DataConverter, type Duration } from '../common/index.js';
import type { Logger } from '../common/logger.js';
import { DefaultLogger } from '../common/logger.js';
import type { ActivityInboundCallsInterceptor, ActivityInterceptorsFactory } from './activity/interceptors.js';
import type { Context as ActivityContext } from '../activity/context.js';
import type { ClientInterceptors } from '../client/interceptors.js';
import { optionNamesProblem } from '../common/closest-name.js';
import { validateSinks, type InjectedSinks } from './sinks.js';
import {
  checkWorkerOptionNames,
  compilePollerBehavior,
  compileRate,
  compileTuner,
  compileWorkflowFailureErrorTypes,
} from './worker-option-checks.js';

/** Workflow code given already bundled (see `bundleWorkflowCode`): the code itself or a file holding it. */
export type WorkflowBundleOption = { code: string; sourceMap?: string } | { codePath: string; sourceMapPath?: string };

/**
 * Creates an activity inbound interceptor per execution.
 *
 * @deprecated Use {@link WorkerInterceptors.activity} factories.
 */
export type ActivityInboundCallsInterceptorFactory = (ctx: ActivityContext) => ActivityInboundCallsInterceptor;

/** Interceptors the worker applies. */
export interface WorkerInterceptors {
  /** Modules (paths) bundled into the sandbox that export `interceptors()` for workflows. */
  workflowModules?: string[];
  /**
   * Activity interceptor factories, called once per activity execution (local activities included)
   * with its context; the first is the outermost.
   *
   * @example
   * ```ts
   * interceptors: { activity: [(ctx) => ({ inbound: { execute: (input, next) => next({ ...input, args: [...input.args, ctx.info.attempt] }) } })] }
   * ```
   */
  activity?: ActivityInterceptorsFactory[];
  /** @deprecated Use {@link activity}. Inbound interceptor factories, outside those of `activity` (as the official worker orders them). */
  activityInbound?: ActivityInboundCallsInterceptorFactory[];
  /**
   * Interceptors of the Client activities get as `Context.client`.
   *
   * @example
   * ```ts
   * interceptors: { client: { workflow: [new TracingWorkflowClientInterceptor()] } }
   * ```
   */
  client?: ClientInterceptors;
}

/** Options of {@link Worker.create}; names and defaults follow `@temporalio/worker`. */
export interface WorkerOptions {
  /** The connection to the server. @default a connection to `localhost:7233` */
  connection?: Connection;
  /** @default 'default' */
  namespace?: string;
  /** The task queue to poll (required). */
  taskQueue: string;
  /** Reported to the server with every poll and response. @default `${process.pid}@${hostname}` */
  identity?: string;
  /** Path of the module exporting the workflow functions; bundled at create. */
  workflowsPath?: string;
  /** Pre-built workflow code (instead of `workflowsPath`). */
  workflowBundle?: WorkflowBundleOption;
  /** Activity implementations by name. At least one of activities and workflows is required. */
  activities?: object;
  interceptors?: WorkerInterceptors;
  /**
   * Functions workflow code calls through `proxySinks()`, by sink and function name; each runs on the
   * main thread after the activation, with the calling workflow's info. Calls made while replaying
   * are skipped unless the function sets `callDuringReplay`.
   *
   * @example
   * ```ts
   * sinks: { alerts: { send: { fn: (info, text) => pager.send(`${info.workflowId}: ${text}`) } } }
   * ```
   */
  sinks?: InjectedSinks;
  /** Converters (bundled into the sandbox by path) and codecs (run on the main thread). */
  dataConverter?: DataConverter;
  /**
   * Runs kept in memory between tasks; 0 disables caching (every task replays its history). With
   * caching on, the worker also polls its own sticky queue, where the server sends the next tasks of
   * the runs it caches, with only their new events.
   * @default by heap size, like the official SDK
   */
  maxCachedWorkflows?: number;
  /**
   * Workflow tasks processed at once. With caching on it is at most `maxCachedWorkflows` and at least
   * 2 (one poll of each queue, normal and sticky), as in the official SDK.
   * @default 40
   */
  maxConcurrentWorkflowTaskExecutions?: number;
  /** Activities run at once. @default 100 */
  maxConcurrentActivityTaskExecutions?: number;
  /** Local activity attempts run at once. @default 100 */
  maxConcurrentLocalActivityExecutions?: number;
  /** Concurrent workflow task long polls. @default min(10, maxConcurrentWorkflowTaskExecutions) */
  maxConcurrentWorkflowTaskPolls?: number;
  /**
   * With caching on, `maxConcurrentWorkflowTaskPolls` × this ratio (rounded down, at least 1) polls go
   * to the normal task queue and the rest (at least 1) to the worker's sticky queue. With the
   * defaults that is 2 normal and 8 sticky polls; with `maxConcurrentWorkflowTaskPolls: 1` there are
   * still 2 polls, one of each. A number from 0 to 1.
   * @default 0.2
   */
  nonStickyToStickyPollRatio?: number;
  /**
   * How long a workflow task may wait on this worker's sticky queue before the server times it out
   * and moves it to the normal queue, where any worker may take it (with the full history).
   * @format number of milliseconds or {@link https://www.npmjs.com/package/ms | ms-formatted string}
   * @default '10s'
   */
  stickyQueueScheduleToStartTimeout?: Duration;
  /** Concurrent activity task long polls. @default min(10, maxConcurrentActivityTaskExecutions) */
  maxConcurrentActivityTaskPolls?: number;
  /** How long shutdown waits for running activities before cancelling them with CancelledFailure('WORKER_SHUTDOWN'). @default 0 */
  shutdownGraceTime?: Duration;
  /** After this long in shutdown, `run()` stops waiting for work in flight and rejects with a GracefulShutdownPeriodExpiredError. @default none */
  shutdownForceTime?: Duration;
  /**
   * Most sandbox threads running workflow code: one starts with the worker, another when a new run
   * arrives while every running one is busy and has been saturated (event loop ≥ 80 % busy) for the
   * last second. @default min(2, available cores)
   */
  workflowThreadPoolSize?: number;
  /** An activation taking longer than this fails as a potential deadlock. @default '5s' */
  isolateExecutionTimeout?: Duration;
  /** Removes the activation time limit (for stepping through workflow code in a debugger). @default false, or true if TEMPORAL_DEBUG is set */
  debugMode?: boolean;
  /** Heartbeat throttle when the activity has no heartbeat timeout. @default '30s' */
  defaultHeartbeatThrottleInterval?: Duration;
  /** Longest heartbeat throttle interval. @default '60s' */
  maxHeartbeatThrottleInterval?: Duration;
  /** Bundler options used with `workflowsPath`. */
  bundlerOptions?: { ignoreModules?: string[] };
  /** Where the worker logs (workflow `log` calls and activity `log` calls included). @default a console logger at INFO */
  logger?: Logger;
  /** Signals that shut the worker down gracefully while `run()` is active. @default ['SIGINT', 'SIGTERM', 'SIGQUIT', 'SIGUSR2'] */
  shutdownSignals?: NodeJS.Signals[];
  /**
   * Slot counts per task kind, as the official `tuner` option gives them; only fixed-size slot
   * suppliers are supported. Cannot be combined with the `maxConcurrent…Executions` options.
   *
   * @example
   * ```ts
   * tuner: {
   *   workflowTaskSlotSupplier: { type: 'fixed-size', numSlots: 20 },
   *   activityTaskSlotSupplier: { type: 'fixed-size', numSlots: 50 },
   *   localActivityTaskSlotSupplier: { type: 'fixed-size', numSlots: 50 },
   *   nexusTaskSlotSupplier: { type: 'fixed-size', numSlots: 1 },
   * }
   * ```
   */
  tuner?: WorkerTuner;
  /** How many workflow task polls run at once; only `simple-maximum` is supported. Cannot be combined with `maxConcurrentWorkflowTaskPolls`. */
  workflowTaskPollerBehavior?: PollerBehavior;
  /** How many activity task polls run at once; only `simple-maximum` is supported. Cannot be combined with `maxConcurrentActivityTaskPolls`. */
  activityTaskPollerBehavior?: PollerBehavior;
  /**
   * Whether to poll the activity task queue. When false, the worker's activities run only as local
   * activities of its workflows.
   * @default true
   */
  enableNonLocalActivities?: boolean;
  /**
   * Most activities of one workflow task the worker asks the server to dispatch to it eagerly (in the
   * task completion's response, saving a poll), each with an activity slot reserved. 0 disables
   * eager dispatch, as does either activities-per-second limit.
   * @default 3
   */
  maxEagerActivityReservationsPerWorkflowTask?: number;
  /**
   * Most activities this worker starts per second (local activities not counted): activity polls
   * start at most this often. A positive number. @default no limit
   */
  maxActivitiesPerSecond?: number;
  /**
   * Most activities per second the server dispatches from the task queue, to all its workers; sent
   * with every activity poll (the last poll's value wins, as in Temporal). A positive number.
   * @default no limit
   */
  maxTaskQueueActivitiesPerSecond?: number;
  /**
   * Error class names, per workflow type or for all (`'*'`), that fail the workflow execution instead
   * of the workflow task when workflow code throws an error of that class (or of a class extending
   * it; matched by name along the error's class chain). `'NondeterminismError'`
   * makes a nondeterminism error fail the execution; `'Error'` matches every error. The workflow-side
   * equivalent is `setWorkflowOptions({ failureExceptionTypes })`; an error matching either fails
   * the execution.
   *
   * @example
   * ```ts
   * workflowFailureErrorTypes: { '*': ['NondeterminismError'], orderWorkflow: ['ValidationError'] }
   * ```
   */
  workflowFailureErrorTypes?: Record<string, string[]>;
  /**
   * Whether `__enhanced_stack_trace` answers include the source of the user's files they name (from
   * the bundle's source map).
   * @default false
   */
  showStackTraceSources?: boolean;
  /**
   * Accepted so that official options carry over. duraflow always gives each run its own
   * Compartment over one shared, frozen SDK runtime per thread, which is what `true` asks for in
   * memory terms while keeping module state per run.
   */
  reuseV8Context?: boolean;
  /** Accepted so that official options carry over; ignored (as the official worker ignores it now). */
  enableSDKTracing?: boolean;
  /**
   * Accepted so that official options carry over: duraflow's worker never fails a task for payload
   * size itself; the server enforces its limits either way.
   */
  disablePayloadErrorLimit?: boolean;
  /** Accepted so that official options carry over; no effect (duraflow runs no Nexus services). */
  maxConcurrentNexusTaskExecutions?: number;
  /** Accepted so that official options carry over; no effect (duraflow runs no Nexus services). */
  maxConcurrentNexusTaskPolls?: number;
  /** Accepted so that official options carry over; no effect (duraflow runs no Nexus services). */
  nexusTaskPollerBehavior?: PollerBehavior;
}

/** How many polls of a kind run at once (the official type; duraflow supports `simple-maximum`). */
export type PollerBehavior =
  | { type: 'simple-maximum'; /** @default the `maxConcurrent…Polls` default */ maximum?: number }
  | { type: 'autoscaling'; minimum?: number; maximum?: number; initial?: number };

/** A fixed number of slots for one kind of task. */
export interface FixedSizeSlotSupplier {
  type: 'fixed-size';
  numSlots: number;
}

/** Slot suppliers per task kind (the official `TunerHolder`, with fixed-size suppliers). */
export interface WorkerTuner {
  workflowTaskSlotSupplier?: FixedSizeSlotSupplier;
  activityTaskSlotSupplier?: FixedSizeSlotSupplier;
  localActivityTaskSlotSupplier?: FixedSizeSlotSupplier;
  /** Accepted; no effect (duraflow runs no Nexus services). */
  nexusTaskSlotSupplier?: FixedSizeSlotSupplier;
}

export interface CompiledWorkerOptions {
  readonly connection: Connection;
  readonly ownsConnection: boolean;
  readonly namespace: string;
  readonly taskQueue: string;
  readonly identity: string;
  readonly workflowsPath?: string;
  readonly workflowBundle?: WorkflowBundleOption;
  readonly activities: Record<string, (...args: unknown[]) => unknown>;
  readonly workflowInterceptorModules: string[];
  readonly activityInterceptors: ActivityInterceptorsFactory[];
  /** The interceptors of the activities' `Context.client`. */
  readonly clientInterceptors: ClientInterceptors | undefined;
  readonly sinks: InjectedSinks;
  readonly dataConverter: DataConverter;
  readonly maxCachedWorkflows: number;
  readonly maxConcurrentWorkflowTaskExecutions: number;
  readonly maxConcurrentActivityTaskExecutions: number;
  readonly maxConcurrentLocalActivityExecutions: number;
  readonly maxConcurrentWorkflowTaskPolls: number;
  readonly maxConcurrentActivityTaskPolls: number;
  readonly nonStickyToStickyPollRatio: number;
  readonly stickyQueueScheduleToStartTimeoutMs: number;
  readonly shutdownGraceTimeMs: number;
  readonly shutdownForceTimeMs?: number;
  readonly workflowThreadPoolSize: number;
  readonly activationTimeoutMs: number;
  readonly defaultHeartbeatThrottleIntervalMs: number;
  readonly maxHeartbeatThrottleIntervalMs: number;
  readonly ignoreModules: string[];
  readonly logger: Logger;
  readonly shutdownSignals: NodeJS.Signals[];
  /** Whether the worker polls workflow tasks (it has workflow code). */
  readonly hasWorkflows: boolean;
  /** Whether the worker polls activity tasks (it has activities and `enableNonLocalActivities`). */
  readonly pollsActivities: boolean;
  /** 0 when either activities-per-second limit is set. */
  readonly maxEagerActivityReservationsPerWorkflowTask: number;
  readonly maxActivitiesPerSecond?: number;
  readonly maxTaskQueueActivitiesPerSecond?: number;
  readonly workflowFailureErrorTypes: Readonly<Record<string, readonly string[]>>;
  readonly showStackTraceSources: boolean;
}

/** The official default cache size for the heap this process has (about 600 runs per GiB beyond 200 MiB). */
export function defaultMaxCachedWorkflows(): number {
  const heapMiB = getHeapStatistics().heap_size_limit / 1024 / 1024;
  return Math.max(Math.floor((Math.max(heapMiB - 200, 0) * 600) / 1024), 10);
}

/** Validates {@link WorkerOptions} and fills in defaults. */
export function compileWorkerOptions(options: WorkerOptions): CompiledWorkerOptions {
  if (typeof options !== 'object' || options === null) throw new ValueError('Worker options must be an object');
  checkWorkerOptionNames(options);
  const taskQueue = requireName(options.taskQueue, 'taskQueue');
  const namespace = options.namespace === undefined ? 'default' : requireName(options.namespace, 'namespace');
  if (options.workflowsPath !== undefined && options.workflowBundle !== undefined) {
    throw new ValueError('Give either workflowsPath or workflowBundle, not both');
  }
  if (options.workflowsPath !== undefined) requireName(options.workflowsPath, 'workflowsPath');
  const activities = compileActivities(options.activities);
  const hasWorkflows = options.workflowsPath !== undefined || options.workflowBundle !== undefined;
  if (!hasWorkflows && Object.keys(activities).length === 0) throw noWork(options.activities);
  const pollsActivities = Object.keys(activities).length > 0 && flag(options.enableNonLocalActivities, 'enableNonLocalActivities', true);
  if (!hasWorkflows && !pollsActivities) {
    throw new ValueError("Worker has no workflows and 'enableNonLocalActivities' is false: it would have nothing to do");
  }
  const debugMode = options.debugMode ?? Boolean(process.env.TEMPORAL_DEBUG);
  for (const name of ['reuseV8Context', 'enableSDKTracing', 'disablePayloadErrorLimit'] as const) flag(options[name], name, false);
  return {
    connection: options.connection ?? Connection.lazy(),
    ownsConnection: options.connection === undefined,
    namespace,
    taskQueue,
    identity: options.identity === undefined ? `${process.pid}@${hostname()}` : requireName(options.identity, 'identity'),
    workflowsPath: options.workflowsPath,
    workflowBundle: options.workflowBundle,
    activities,
    workflowInterceptorModules: compileWorkflowInterceptorModules(options.interceptors),
    activityInterceptors: compileActivityInterceptors(options.interceptors),
    clientInterceptors: options.interceptors?.client,
    sinks: validateSinks(options.sinks),
    dataConverter: options.dataConverter ?? {},
    ...compileConcurrency(options),
    ...compileActivityRates(options),
    nonStickyToStickyPollRatio: ratio(options.nonStickyToStickyPollRatio, 'nonStickyToStickyPollRatio', 0.2),
    stickyQueueScheduleToStartTimeoutMs: duration(options.stickyQueueScheduleToStartTimeout, 'stickyQueueScheduleToStartTimeout', 10_000),
    shutdownGraceTimeMs: duration(options.shutdownGraceTime, 'shutdownGraceTime', 0),
    shutdownForceTimeMs: options.shutdownForceTime === undefined ? undefined : duration(options.shutdownForceTime, 'shutdownForceTime', 0),
    workflowThreadPoolSize: count(options.workflowThreadPoolSize, 'workflowThreadPoolSize', Math.min(2, availableParallelism()), 1),
    activationTimeoutMs: debugMode ? 0 : duration(options.isolateExecutionTimeout, 'isolateExecutionTimeout', 5_000),
    defaultHeartbeatThrottleIntervalMs: duration(options.defaultHeartbeatThrottleInterval, 'defaultHeartbeatThrottleInterval', 30_000),
    maxHeartbeatThrottleIntervalMs: duration(options.maxHeartbeatThrottleInterval, 'maxHeartbeatThrottleInterval', 60_000),
    ignoreModules: compileBundlerOptions(options.bundlerOptions),
    logger: options.logger ?? new DefaultLogger('INFO'),
    shutdownSignals: options.shutdownSignals ?? ['SIGINT', 'SIGTERM', 'SIGQUIT', 'SIGUSR2'],
    hasWorkflows,
    pollsActivities,
    workflowFailureErrorTypes: compileWorkflowFailureErrorTypes(options.workflowFailureErrorTypes),
    showStackTraceSources: flag(options.showStackTraceSources, 'showStackTraceSources', false),
  };
}

type Concurrency = Pick<
  CompiledWorkerOptions,
  | 'maxCachedWorkflows'
  | 'maxConcurrentWorkflowTaskExecutions'
  | 'maxConcurrentActivityTaskExecutions'
  | 'maxConcurrentLocalActivityExecutions'
  | 'maxConcurrentWorkflowTaskPolls'
  | 'maxConcurrentActivityTaskPolls'
>;

/** Slots and polls per task kind, from the `maxConcurrent…` options or their official `tuner` and poller behavior forms. */
function compileConcurrency(options: WorkerOptions): Concurrency {
  const tuned = compileTuner(options);
  const maxCachedWorkflows = count(options.maxCachedWorkflows, 'maxCachedWorkflows', defaultMaxCachedWorkflows(), 0);
  const wftExecutions = tuned.workflowTasks ?? count(options.maxConcurrentWorkflowTaskExecutions, 'maxConcurrentWorkflowTaskExecutions', 40, 1);
  // With caching, a sticky and a normal poll must be able to wait at once: at least 2 slots.
  const wftSlots = maxCachedWorkflows > 0 ? Math.max(2, Math.min(wftExecutions, maxCachedWorkflows)) : wftExecutions;
  const activitySlots = tuned.activityTasks ?? count(options.maxConcurrentActivityTaskExecutions, 'maxConcurrentActivityTaskExecutions', 100, 1);
  const wftPolls = compilePollerBehavior(options.workflowTaskPollerBehavior, options.maxConcurrentWorkflowTaskPolls, 'workflowTaskPollerBehavior', 'maxConcurrentWorkflowTaskPolls');
  const activityPolls = compilePollerBehavior(options.activityTaskPollerBehavior, options.maxConcurrentActivityTaskPolls, 'activityTaskPollerBehavior', 'maxConcurrentActivityTaskPolls');
  compilePollerBehavior(options.nexusTaskPollerBehavior, options.maxConcurrentNexusTaskPolls, 'nexusTaskPollerBehavior', 'maxConcurrentNexusTaskPolls');
  count(options.maxConcurrentNexusTaskExecutions, 'maxConcurrentNexusTaskExecutions', 1, 1);
  count(options.maxConcurrentNexusTaskPolls, 'maxConcurrentNexusTaskPolls', 1, 1);
  return {
    maxCachedWorkflows,
    maxConcurrentWorkflowTaskExecutions: wftSlots,
    maxConcurrentActivityTaskExecutions: activitySlots,
    maxConcurrentLocalActivityExecutions: tuned.localActivities ?? count(options.maxConcurrentLocalActivityExecutions, 'maxConcurrentLocalActivityExecutions', 100, 1),
    maxConcurrentWorkflowTaskPolls: count(wftPolls, 'maxConcurrentWorkflowTaskPolls', Math.min(10, wftSlots), 1),
    maxConcurrentActivityTaskPolls: count(activityPolls, 'maxConcurrentActivityTaskPolls', Math.min(10, activitySlots), 1),
  };
}

/** The activity rate limits, and the eager reservations they allow (none under a rate limit, as in the official worker). */
function compileActivityRates(options: WorkerOptions): Pick<CompiledWorkerOptions, 'maxEagerActivityReservationsPerWorkflowTask' | 'maxActivitiesPerSecond' | 'maxTaskQueueActivitiesPerSecond'> {
  const maxActivitiesPerSecond = compileRate(options.maxActivitiesPerSecond, 'maxActivitiesPerSecond');
  const maxTaskQueueActivitiesPerSecond = compileRate(options.maxTaskQueueActivitiesPerSecond, 'maxTaskQueueActivitiesPerSecond');
  const eager = count(options.maxEagerActivityReservationsPerWorkflowTask, 'maxEagerActivityReservationsPerWorkflowTask', 3, 0);
  const limited = maxActivitiesPerSecond !== undefined || maxTaskQueueActivitiesPerSecond !== undefined;
  return { maxEagerActivityReservationsPerWorkflowTask: limited ? 0 : eager, maxActivitiesPerSecond, maxTaskQueueActivitiesPerSecond };
}

/** `bundlerOptions.ignoreModules`; the official webpack-specific options are refused with the reason. */
function compileBundlerOptions(bundlerOptions: WorkerOptions['bundlerOptions']): string[] {
  if (bundlerOptions === undefined) return [];
  const given = bundlerOptions as Record<string, unknown>;
  if (given['webpackConfigHook'] !== undefined) {
    throw new ValueError("Worker option 'bundlerOptions.webpackConfigHook' is not supported: duraflow bundles workflow code with esbuild, not webpack");
  }
  const preload = given['preloadModules'];
  if (Array.isArray(preload) && preload.length > 0) {
    throw new ValueError("Worker option 'bundlerOptions.preloadModules' is not supported: duraflow evaluates workflow modules per run, so their state is never shared");
  }
  const ignoreModules: unknown = bundlerOptions.ignoreModules ?? [];
  if (!Array.isArray(ignoreModules) || ignoreModules.some((m) => typeof m !== 'string')) {
    throw new ValueError("Worker option 'bundlerOptions.ignoreModules' must be an array of module names");
  }
  return ignoreModules as string[];
}

function flag(value: unknown, name: string, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw new ValueError(`Worker option '${name}' must be true or false, got ${JSON.stringify(value)}`);
  return value;
}

function requireName(value: unknown, name: string): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw new ValueError(`Worker option '${name}' must be a non-empty string, got ${JSON.stringify(value)}`);
  }
  return value;
}

function count(value: number | undefined, name: string, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < min) {
    throw new ValueError(`Worker option '${name}' must be an integer ≥ ${min}, got ${String(value)}`);
  }
  return value;
}

function ratio(value: number | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 1) {
    throw new ValueError(`Worker option '${name}' must be a number from 0 to 1, got ${String(value)}`);
  }
  return value;
}

/**
 * How the workflow task polls split between the normal queue and the sticky queue (caching on): the
 * normal queue gets `max(1, floor(polls × ratio))`, the sticky queue the rest but at least 1.
 *
 * @example
 * ```ts
 * splitWorkflowTaskPolls(10, 0.2); // { normal: 2, sticky: 8 }
 * ```
 */
export function splitWorkflowTaskPolls(polls: number, nonStickyToStickyRatio: number): { normal: number; sticky: number } {
  const normal = Math.max(1, Math.floor(polls * nonStickyToStickyRatio));
  return { normal, sticky: Math.max(1, polls - normal) };
}

function duration(value: Duration | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  let ms: number;
  try {
    ms = msToNumber(value);
  } catch (error) {
    throw new ValueError(`Worker option '${name}' is not a valid duration: ${JSON.stringify(value)}`, { cause: error });
  }
  if (ms < 0) throw new ValueError(`Worker option '${name}' must not be negative, got ${JSON.stringify(value)}`);
  return ms;
}

function compileActivities(activities: object | undefined): Record<string, (...args: unknown[]) => unknown> {
  if (activities === undefined) return {};
  if (typeof activities !== 'object' || activities === null) throw new ValueError('Worker option \'activities\' must be an object of functions');
  const result: Record<string, (...args: unknown[]) => unknown> = {};
  // Like the official worker, values that are not functions are skipped, so `import * as activities` works
  // with modules that also export constants.
  for (const [name, fn] of Object.entries(activities)) {
    if (typeof fn === 'function') result[name] = fn as (...args: unknown[]) => unknown;
  }
  return result;
}

/** Why a worker with no workflows and no activity functions cannot be created. */
function noWork(activities: object | undefined): ValueError {
  const given = Object.entries(activities ?? {});
  if (given.length === 0) return new ValueError('Worker needs workflows (workflowsPath or workflowBundle) or activities, or both');
  const kinds = given.map(([name, value]) => `${name}: ${typeof value}`).join(', ');
  return new ValueError(`Worker option 'activities' holds no functions (${kinds}), and there are no workflows`);
}

const KNOWN_INTERCEPTORS: Record<keyof WorkerInterceptors, true> = { workflowModules: true, activity: true, activityInbound: true, client: true };
const UNSUPPORTED_INTERCEPTORS: Record<string, string> = { nexus: 'Nexus is not supported by duraflow yet' };

/** `interceptors.workflowModules`, checked (the interceptors object itself too, and its names). */
function compileWorkflowInterceptorModules(interceptors: WorkerInterceptors | undefined): string[] {
  if (interceptors !== undefined && (typeof interceptors !== 'object' || interceptors === null)) {
    throw new ValueError(`Worker option 'interceptors' must be an object ({ workflowModules, activity, client }), got ${String(interceptors)}`);
  }
  const problem = interceptors && optionNamesProblem(interceptors, KNOWN_INTERCEPTORS, UNSUPPORTED_INTERCEPTORS, (name) => `Worker option 'interceptors.${name}'`);
  if (problem) throw new ValueError(problem);
  const modules: unknown = interceptors?.workflowModules ?? [];
  if (!Array.isArray(modules) || modules.some((m) => typeof m !== 'string' || m === '')) {
    throw new ValueError("Worker option 'interceptors.workflowModules' must be an array of module paths");
  }
  return modules as string[];
}

/** The activity interceptor factories, the deprecated inbound-only ones first (outermost), as the official worker orders them. */
function compileActivityInterceptors(interceptors: WorkerInterceptors | undefined): ActivityInterceptorsFactory[] {
  const factories = interceptors?.activity ?? [];
  const inbound = interceptors?.activityInbound ?? [];
  if (!Array.isArray(factories) || factories.some((f) => typeof f !== 'function')) {
    throw new ValueError("Worker option 'interceptors.activity' must be an array of interceptor factory functions");
  }
  if (!Array.isArray(inbound) || inbound.some((f) => typeof f !== 'function')) {
    throw new ValueError("Worker option 'interceptors.activityInbound' must be an array of interceptor factory functions");
  }
  return [...inbound.map((factory): ActivityInterceptorsFactory => (ctx) => ({ inbound: factory(ctx) })), ...factories];
}
