/**
 * Which errors escaping workflow code fail the execution instead of the workflow task: the worker's
 * `workflowFailureErrorTypes` (class names, for this workflow type) and the workflow's own
 * `setWorkflowOptions({ failureExceptionTypes })` (classes, matched with `instanceof`). Including
 * `'Error'` or `Error` matches every error.
 *
 * @module
 */
import type { WorkflowDefinitionOptions } from '../workflow-definition-options.js';
import { workflowDefinitionOptionsOf } from '../workflow-definition-options.js';
import type { Activator } from './activator.js';

/** What a run matches errors against; absent on runs with neither setting. */
export interface FailureExceptionTypes {
  readonly names: readonly string[];
  readonly classes: readonly (abstract new (...args: never[]) => unknown)[];
}

/**
 * Reads the workflow function's definition options (calling a getter once, in the run's context)
 * and records the run's failure exception types with the names the worker sent.
 */
export function installFailureExceptionTypes(activator: Activator, names: readonly string[] | undefined): void {
  const options: WorkflowDefinitionOptions | undefined = workflowDefinitionOptionsOf(activator.workflow);
  const classes = options?.failureExceptionTypes ?? [];
  if (!Array.isArray(classes) || classes.some((c) => typeof c !== 'function')) {
    throw new TypeError('setWorkflowOptions: failureExceptionTypes must be an array of error classes');
  }
  if ((names?.length ?? 0) + classes.length === 0) return;
  activator.failureExceptionTypes = { names: names ?? [], classes };
}

/** Whether `error` is one the run was configured to fail the execution with. */
export function isConfiguredFailureException(activator: Activator, error: unknown): boolean {
  const types = activator.failureExceptionTypes;
  if (types === undefined) return false;
  if (types.classes.includes(Error)) return true;
  if (types.classes.some((type) => error instanceof type)) return true;
  if (types.names.includes('Error')) return true;
  if (typeof error !== 'object' || error === null) return false;
  for (let ctor: unknown = error.constructor; typeof ctor === 'function' && ctor !== Function.prototype; ctor = Object.getPrototypeOf(ctor)) {
    if (ctor.name !== '' && types.names.includes(ctor.name)) return true;
  }
  return false;
}
