/**
 * The sandbox entry point: the only module the worker calls into. It implements
 * {@link WorkflowRuntimeModule} for every run of a sandbox thread: the runtime (and the rest of
 * duraflow/workflow) is evaluated once per thread, each run is an {@link Activator} registered by
 * `createRun`, and `activate` makes the activation's run the current one (what the workflow API acts
 * on) until `concludeActivation`.
 *
 * Per activation the host calls `activate`, then alternately drains microtasks (a macrotask
 * barrier) and calls `tryUnblockConditions` until it returns 0, then `concludeActivation`.
 *
 * @example
 * ```ts
 * runtime.createRun('run-1', { workflows, interceptorModules: [] });
 * runtime.activate(activation);
 * do await new Promise(setImmediate); while (runtime.tryUnblockConditions() > 0);
 * const completion = runtime.concludeActivation();
 * ```
 * @module
 */
import { IllegalStateError } from '../../common/index.js';
import { UnhandledRejectionError } from '../errors.js';
import { composeInterceptors } from '../interceptors.js';
import { applyActivation } from './activate.js';
import { Activator, type RuntimeBundle } from './activator.js';
import { concludeActivation as conclude } from './conclude.js';
import { unblockConditions } from './conditions.js';
import { maybeGetActivator, setActivator } from './current.js';
import type { ActivationCompletion, WorkflowActivation, WorkflowRuntimeModule } from './protocol.js';
import { installConverters } from './workflow-lifecycle.js';

/** The runs of this thread: created, not yet disposed. */
const runs = new Map<string, Activator>();

function validateBundle(bundle: RuntimeBundle): void {
  if (bundle === null || typeof bundle !== 'object') throw new TypeError('createRun expects the bundle exports object');
  if (bundle.workflows === null || typeof bundle.workflows !== 'object') {
    throw new TypeError('createRun: bundle.workflows must be the workflows module (an object of functions)');
  }
  if (!Array.isArray(bundle.interceptorModules)) throw new TypeError('createRun: bundle.interceptorModules must be an array');
}

function activatingRun(): Activator {
  const activator = maybeGetActivator();
  if (activator === undefined) throw new IllegalStateError('No activation in progress: call activate first');
  return activator;
}

/** Registers a run (replacing a previous run with the same id) before its first activation. */
export function createRun(runId: string, bundle: RuntimeBundle): void {
  if (typeof runId !== 'string' || runId === '') throw new TypeError('createRun: runId must be a non-empty string');
  validateBundle(bundle);
  if (runs.has(runId)) dispose(runId);
  const activator = new Activator(bundle, runId);
  installConverters(activator);
  runs.set(runId, activator);
}

/**
 * Makes the activation's run current and applies its jobs; errors fail the workflow task (reported
 * by `concludeActivation`).
 */
export function activate(activation: WorkflowActivation): void {
  const activator = runs.get(activation?.runId);
  if (activator === undefined) throw new IllegalStateError(`activate: no run ${String(activation?.runId)} (call createRun first)`);
  setActivator(activator);
  applyActivation(activator, activation);
}

/** Resolves the activating run's pending conditions whose predicate now holds; returns how many. */
export function tryUnblockConditions(): number {
  const activator = maybeGetActivator();
  return activator === undefined ? 0 : unblockConditions(activator);
}

/** The activation's commands and sink calls, or the error that fails the workflow task; ends the activation. */
export function concludeActivation(): ActivationCompletion {
  try {
    return conclude(activatingRun());
  } finally {
    setActivator(undefined);
  }
}

/** A promise rejected in workflow code and nobody handled it: the workflow task fails. */
export function handleUnhandledRejection(error: unknown): void {
  const activator = maybeGetActivator();
  if (activator === undefined || activator.disposed) return;
  activator.recordTaskError(new UnhandledRejectionError(`Unhandled Promise rejection: ${describeReason(error)}`, error));
}

function describeReason(error: unknown): string {
  try {
    return String(error);
  } catch {
    return Object.prototype.toString.call(error);
  }
}

/** The stack of the workflow code that issued command `index` of the run's last concluded activation. */
export function commandStack(runId: string, index: number): string | undefined {
  return runs.get(runId)?.lastOrigins[index]?.stack;
}

/** Releases the run: pending operations never settle; further API calls fail. */
export function dispose(runId: string): void {
  const activator = runs.get(runId);
  if (activator === undefined) return;
  runs.delete(runId);
  activator.disposed = true;
  const previous = maybeGetActivator();
  // Interceptors' dispose hooks run as the run's code.
  setActivator(activator);
  try {
    composeInterceptors(activator.interceptors.internals, 'dispose', () => undefined)({});
  } finally {
    activator.completions.clear();
    activator.blockedConditions.clear();
    activator.context.dispose();
    setActivator(previous === activator ? undefined : previous);
  }
}

/** Compile-time check that this module implements the sandbox contract. */
const _contract: WorkflowRuntimeModule = {
  createRun,
  activate,
  tryUnblockConditions,
  concludeActivation,
  handleUnhandledRejection,
  commandStack,
  dispose,
};
void _contract;
