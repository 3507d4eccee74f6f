/**
 * The parts of {@link compileWorkerOptions} that deal with the official worker's option set: names
 * duraflow does not know (a misspelling, or an official option duraflow does not support) are
 * refused with a message saying which and why, instead of being silently ignored; and the official
 * shapes that carry numbers duraflow already has (`tuner` with fixed-size slots, simple-maximum
 * poller behaviors) are read into them.
 *
 * @module
 */
import { optionNamesProblem } from '../common/closest-name.js';
import { ValueError } from '../common/index.js';
import { describeValue, isRecord } from '../common/type-helpers.js';
import type { PollerBehavior, WorkerOptions } from './worker-options.js';

/** Every option name duraflow's worker reads (the compiler checks the list is complete). */
const KNOWN_OPTIONS: Record<keyof WorkerOptions, true> = {
  connection: true, namespace: true, taskQueue: true, identity: true, workflowsPath: true, workflowBundle: true,
  activities: true, interceptors: true, sinks: true, dataConverter: true, maxCachedWorkflows: true,
  maxConcurrentWorkflowTaskExecutions: true, maxConcurrentActivityTaskExecutions: true,
  maxConcurrentLocalActivityExecutions: true, maxConcurrentWorkflowTaskPolls: true, nonStickyToStickyPollRatio: true,
  stickyQueueScheduleToStartTimeout: true, maxConcurrentActivityTaskPolls: true, shutdownGraceTime: true,
  shutdownForceTime: true, workflowThreadPoolSize: true, isolateExecutionTimeout: true, debugMode: true,
  defaultHeartbeatThrottleInterval: true, maxHeartbeatThrottleInterval: true, bundlerOptions: true, logger: true,
  shutdownSignals: true, tuner: true, workflowTaskPollerBehavior: true, activityTaskPollerBehavior: true,
  enableNonLocalActivities: true, maxEagerActivityReservationsPerWorkflowTask: true, maxActivitiesPerSecond: true,
  maxTaskQueueActivitiesPerSecond: true, workflowFailureErrorTypes: true, showStackTraceSources: true,
  reuseV8Context: true, enableSDKTracing: true, disablePayloadErrorLimit: true, maxConcurrentNexusTaskExecutions: true,
  maxConcurrentNexusTaskPolls: true, nexusTaskPollerBehavior: true,
};

/** Official worker options duraflow does not support, and what to know about each. */
const UNSUPPORTED_OPTIONS: Record<string, string> = {
  buildId: 'Worker Versioning (build ids and worker deployments) is not supported by duraflow yet',
  useVersioning: 'Worker Versioning (build ids and worker deployments) is not supported by duraflow yet',
  workerDeploymentOptions: 'Worker Versioning (build ids and worker deployments) is not supported by duraflow yet',
  nexusServices: 'Nexus is not supported by duraflow yet',
  plugins: 'worker plugins are not supported by duraflow yet; apply their options and interceptors directly',
  patchActivationCallback: 'patch activation callbacks are not supported by duraflow',
};

/**
 * Refuses option names duraflow does not read: an official option it does not support (with the
 * reason), or an unknown name (with the closest known one, if any).
 *
 * @example
 * ```ts
 * checkWorkerOptionNames({ taskQueue: 'q', maxConcurentActivityTaskExecutions: 5 });
 * // ValueError: Unknown Worker option 'maxConcurentActivityTaskExecutions'; did you mean 'maxConcurrentActivityTaskExecutions'?
 * ```
 */
export function checkWorkerOptionNames(options: object): void {
  const problem = optionNamesProblem(options, KNOWN_OPTIONS, UNSUPPORTED_OPTIONS, (name) => `Worker option '${name}'`);
  if (problem !== undefined) throw new ValueError(problem);
}

/** The per-kind slot counts a {@link WorkerTuner} gives; absent kinds keep their `maxConcurrent…` option. */
export interface TunedSlots {
  workflowTasks?: number;
  activityTasks?: number;
  localActivities?: number;
}

const SLOT_SUPPLIERS = {
  workflowTaskSlotSupplier: 'workflowTasks',
  activityTaskSlotSupplier: 'activityTasks',
  localActivityTaskSlotSupplier: 'localActivities',
  nexusTaskSlotSupplier: undefined,
} as const;

/**
 * Reads a `tuner` of fixed-size slot suppliers into slot counts. Resource-based and custom slot
 * suppliers are refused (not supported yet), as is a tuner given together with a
 * `maxConcurrent…Executions` option (as the official worker refuses it).
 */
export function compileTuner(options: WorkerOptions): TunedSlots {
  const tuner: unknown = options.tuner;
  if (tuner === undefined) return {};
  for (const name of ['maxConcurrentWorkflowTaskExecutions', 'maxConcurrentActivityTaskExecutions', 'maxConcurrentLocalActivityExecutions'] as const) {
    if (options[name] !== undefined) throw new ValueError(`Worker options 'tuner' and '${name}' cannot both be set`);
  }
  if (!isRecord(tuner)) throw new ValueError(`Worker option 'tuner' must be an object of slot suppliers, got ${describeValue(tuner)}`);
  if ('tunerOptions' in tuner || 'controller' in tuner) {
    throw new ValueError("Worker option 'tuner': resource-based tuners are not supported by duraflow yet; use fixed-size slot suppliers");
  }
  const problem = optionNamesProblem(tuner, SLOT_SUPPLIERS, {}, (name) => `Worker option 'tuner.${name}'`);
  if (problem !== undefined) throw new ValueError(problem);
  const slots: TunedSlots = {};
  for (const [key, kind] of Object.entries(SLOT_SUPPLIERS)) {
    const supplier = tuner[key];
    if (supplier === undefined) continue;
    const numSlots = fixedSlots(supplier, `tuner.${key}`);
    if (kind !== undefined) slots[kind] = numSlots;
  }
  return slots;
}

function fixedSlots(supplier: unknown, name: string): number {
  if (!isRecord(supplier) || typeof supplier['type'] !== 'string') {
    throw new ValueError(`Worker option '${name}' must be a slot supplier ({ type: 'fixed-size', numSlots }), got ${describeValue(supplier)}`);
  }
  if (supplier['type'] !== 'fixed-size') {
    throw new ValueError(`Worker option '${name}': ${supplier['type']} slot suppliers are not supported by duraflow yet; use { type: 'fixed-size', numSlots }`);
  }
  const numSlots = supplier['numSlots'];
  if (typeof numSlots !== 'number' || !Number.isInteger(numSlots) || numSlots < 1) {
    throw new ValueError(`Worker option '${name}.numSlots' must be an integer ≥ 1, got ${describeValue(numSlots)}`);
  }
  return numSlots;
}

/**
 * The poll count a poller behavior sets: a simple-maximum behavior's `maximum` (undefined: the
 * default), or `polls` (the older `maxConcurrent…Polls` option) when no behavior is given. Autoscaling is refused:
 * it needs the server's poller scaling decisions, which duraflow does not use yet.
 */
export function compilePollerBehavior(behavior: PollerBehavior | undefined, polls: number | undefined, name: string, pollsName: string): number | undefined {
  if (behavior === undefined) return polls;
  if (polls !== undefined) throw new ValueError(`Worker options '${name}' and '${pollsName}' cannot both be set`);
  const value: unknown = behavior;
  if (!isRecord(value) || (value['type'] !== 'simple-maximum' && value['type'] !== 'autoscaling')) {
    throw new ValueError(`Worker option '${name}' must be { type: 'simple-maximum', maximum? } or { type: 'autoscaling', … }, got ${describeValue(value)}`);
  }
  if (value['type'] === 'autoscaling') {
    throw new ValueError(`Worker option '${name}': autoscaling pollers are not supported by duraflow yet; use { type: 'simple-maximum', maximum }`);
  }
  const maximum = value['maximum'];
  if (maximum === undefined) return undefined;
  if (typeof maximum !== 'number' || !Number.isInteger(maximum) || maximum < 1) {
    throw new ValueError(`Worker option '${name}.maximum' must be an integer ≥ 1, got ${describeValue(maximum)}`);
  }
  return maximum;
}

/**
 * `workflowFailureErrorTypes`, checked: workflow type names (or `'*'`) to lists of error type names.
 *
 * @example
 * ```ts
 * compileWorkflowFailureErrorTypes({ '*': ['NondeterminismError'] }); // { '*': ['NondeterminismError'] }
 * ```
 */
export function compileWorkflowFailureErrorTypes(value: unknown): Readonly<Record<string, readonly string[]>> {
  if (value === undefined) return {};
  if (!isRecord(value) || Array.isArray(value)) {
    throw new ValueError(`Worker option 'workflowFailureErrorTypes' must be an object of workflow type (or '*') to error type names, got ${describeValue(value)}`);
  }
  const result: Record<string, readonly string[]> = {};
  for (const [workflowType, names] of Object.entries(value)) {
    if (!Array.isArray(names) || names.some((n) => typeof n !== 'string' || n === '')) {
      throw new ValueError(`Worker option 'workflowFailureErrorTypes.${workflowType}' must be an array of error type names, got ${describeValue(names)}`);
    }
    result[workflowType] = Object.freeze([...(names as string[])]);
  }
  return Object.freeze(result);
}

/**
 * The error type names of `workflowFailureErrorTypes` that apply to a workflow type: the `'*'` list
 * and the type's own; undefined when none.
 *
 * @example
 * ```ts
 * failureExceptionTypeNamesFor('order', { '*': ['NondeterminismError'], order: ['ValidationError'] });
 * // ['NondeterminismError', 'ValidationError']
 * ```
 */
export function failureExceptionTypeNamesFor(
  workflowType: string,
  errorTypes: Readonly<Record<string, readonly string[]>> | undefined,
): readonly string[] | undefined {
  if (errorTypes === undefined) return undefined;
  const names = new Set([...(errorTypes['*'] ?? []), ...(errorTypes[workflowType] ?? [])]);
  return names.size === 0 ? undefined : [...names];
}

/** Whether these names make a nondeterminism error fail the execution (as the official worker reads them). */
export function failsOnNondeterminism(names: readonly string[] | undefined): boolean {
  return names !== undefined && names.some((n) => n === 'NondeterminismError' || n === 'DeterminismViolationError' || n === 'Error');
}

/** A positive rate (per second), or undefined. */
export function compileRate(value: unknown, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new ValueError(`Worker option '${name}' must be a positive number (per second), got ${describeValue(value)}`);
  }
  return value;
}
