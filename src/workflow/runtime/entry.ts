/**
 * The sandbox entry point: the only module the worker calls into. It implements
 * {@link WorkflowRuntimeModule} as module-level functions acting on the run this module instance
 * belongs to (one module instance per run inside the sandbox; `initRuntime` replaces the run when
 * one instance serves several runs, as in unit tests).
 *
 * Per activation the host calls `activate`, then alternately drains microtasks (a macrotask
 * barrier) and calls `tryUnblockConditions` until it returns 0, then `concludeActivation`.
 *
 * @example
 * ```ts
 * runtime.initRuntime({ workflows, interceptorModules: [] });
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
import { registerBuiltinQueries } from './builtin-queries.js';
import { concludeActivation as conclude } from './conclude.js';
import { unblockConditions } from './conditions.js';
import { maybeGetActivator, setActivator } from './current.js';
import type { ActivationCompletion, WorkflowActivation, WorkflowRuntimeModule } from './protocol.js';
import { installConverters } from './workflow-lifecycle.js';

let pendingBundle: RuntimeBundle | undefined;

function validateBundle(bundle: RuntimeBundle): void {
  if (bundle === null || typeof bundle !== 'object') throw new TypeError('initRuntime expects the bundle exports object');
  if (bundle.workflows === null || typeof bundle.workflows !== 'object') {
    throw new TypeError('initRuntime: bundle.workflows must be the workflows module (an object of functions)');
  }
  if (!Array.isArray(bundle.interceptorModules)) throw new TypeError('initRuntime: bundle.interceptorModules must be an array');
}

function runActivator(): Activator {
  const activator = maybeGetActivator();
  if (activator === undefined) throw new IllegalStateError('No workflow run: call initRuntime and activate first');
  return activator;
}

/**
 * Prepares a fresh run (forgetting any previous one). The run itself starts with the first
 * activation, whose initializeWorkflow job names the workflow type.
 */
export function initRuntime(bundle: RuntimeBundle): void {
  validateBundle(bundle);
  setActivator(undefined);
  pendingBundle = bundle;
}

/** Applies an activation's jobs; errors fail the workflow task (reported by `concludeActivation`). */
export function activate(activation: WorkflowActivation): void {
  let activator = maybeGetActivator();
  if (activator === undefined) {
    if (pendingBundle === undefined) throw new IllegalStateError('activate called before initRuntime');
    activator = new Activator(pendingBundle, activation.runId);
    pendingBundle = undefined;
    installConverters(activator);
    registerBuiltinQueries(activator);
    setActivator(activator);
  } else if (activator.runId !== activation.runId) {
    throw new IllegalStateError(`activate: this runtime holds run ${activator.runId}, got an activation for ${activation.runId}`);
  }
  applyActivation(activator, activation);
}

/** Resolves the pending conditions whose predicate now holds; returns how many. */
export function tryUnblockConditions(): number {
  const activator = maybeGetActivator();
  return activator === undefined ? 0 : unblockConditions(activator);
}

/** The activation's commands and sink calls, or the error that fails the workflow task. */
export function concludeActivation(): ActivationCompletion {
  return conclude(runActivator());
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

/** The stack of the workflow code that issued command `index` of the last concluded activation. */
export function commandStack(index: number): string | undefined {
  return maybeGetActivator()?.lastOrigins[index]?.stack;
}

/** Releases the run: pending operations never settle; further API calls fail. */
export function dispose(): void {
  const activator = maybeGetActivator();
  if (activator === undefined) return;
  activator.disposed = true;
  try {
    composeInterceptors(activator.interceptors.internals, 'dispose', () => undefined)({});
  } finally {
    for (const map of Object.values(activator.completions)) map.clear();
    activator.blockedConditions.clear();
    activator.context.dispose();
    setActivator(undefined);
  }
}

/** Compile-time check that this module implements the sandbox contract. */
const _contract: WorkflowRuntimeModule = {
  initRuntime,
  activate,
  tryUnblockConditions,
  concludeActivation,
  handleUnhandledRejection,
  commandStack,
  dispose,
};
void _contract;
