/**
 * The run the workflow API acts on: the run whose activation is in progress (set by the runtime's
 * `activate`, cleared by `concludeActivation`). One runtime serves every run of a sandbox thread, and
 * activations never overlap, so one holder is enough.
 *
 * @module
 */
import { IllegalStateError } from '../../common/index.js';
import type { Activator } from './activator.js';

let current: Activator | undefined;

/** Installs (or, with `undefined`, removes) the current run's activator. */
export function setActivator(activator: Activator | undefined): void {
  current = activator;
}

/** The current run's activator, if code runs inside a workflow. */
export function maybeGetActivator(): Activator | undefined {
  return current;
}

/**
 * The current run's activator.
 *
 * @throws IllegalStateError with `message` outside a workflow run
 */
export function assertInWorkflowContext(message: string): Activator {
  if (current === undefined) throw new IllegalStateError(message);
  return current;
}

/** {@link assertInWorkflowContext} with a generic message, for internals. */
export function getActivator(): Activator {
  return assertInWorkflowContext('Workflow uninitialized: this may only be used from a Workflow Execution');
}
