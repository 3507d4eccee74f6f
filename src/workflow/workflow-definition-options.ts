/**
 * Options attached to a workflow function where it is defined (`setWorkflowOptions`).
 *
 * @module
 */

/** Options a workflow function carries (see {@link setWorkflowOptions}). */
export interface WorkflowDefinitionOptions {
  /**
   * Accepted so that official code carries over; no effect: duraflow's worker does not use Worker
   * Versioning, and the official worker ignores it on unversioned workers too.
   */
  versioningBehavior?: 'PINNED' | 'AUTO_UPGRADE';
  /**
   * Error classes that fail the workflow execution (or, thrown by an update handler, the update)
   * instead of the workflow task when they escape the workflow function or a signal or update
   * handler; subclasses match. `Error` matches every error (nondeterminism errors excepted: see the
   * worker's `workflowFailureErrorTypes`). `TemporalFailure`s and cancellation always fail the
   * execution anyway.
   */
  failureExceptionTypes?: Array<new (...args: any[]) => Error>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** The options, or a function returning them, called once just before the workflow function first runs. */
export type WorkflowDefinitionOptionsOrGetter = WorkflowDefinitionOptions | (() => WorkflowDefinitionOptions);

const OPTIONS = 'workflowDefinitionOptions';

/**
 * Attaches options to a workflow function. Call it next to the function's definition (module top
 * level); a getter may call `workflowInfo()`.
 *
 * @example
 * ```ts
 * import { setWorkflowOptions } from 'duraflow/workflow';
 *
 * class InvalidOrderError extends Error {}
 * setWorkflowOptions({ failureExceptionTypes: [InvalidOrderError] }, placeOrder);
 * export async function placeOrder(order: Order): Promise<string> {
 *   if (!order.items.length) throw new InvalidOrderError('no items'); // fails the execution, not the task
 *   return 'placed';
 * }
 * ```
 */
export function setWorkflowOptions<A extends unknown[], R>(options: WorkflowDefinitionOptionsOrGetter, fn: (...args: A) => Promise<R>): void {
  if (typeof fn !== 'function') throw new TypeError(`setWorkflowOptions: the second argument must be the workflow function, got ${typeof fn}`);
  if (typeof options !== 'function' && (typeof options !== 'object' || options === null)) {
    throw new TypeError(`setWorkflowOptions: options must be an object or a function returning one, got ${options === null ? 'null' : typeof options}`);
  }
  Object.defineProperty(fn, OPTIONS, { value: options, configurable: true, enumerable: false, writable: true });
}

/** What {@link defineWorkflowOptions} attaches. */
export interface WorkflowDefinitionConfig {
  /** Options evaluated for each execution (as {@link setWorkflowOptions} takes them). */
  workflowDefinitionOptions?: WorkflowDefinitionOptionsOrGetter;
  /** Static metadata; duraflow does not support `typeInfo` (typed payload conversion) yet and refuses it. */
  staticOptions?: { typeInfo?: never };
}

/**
 * Attaches options to a workflow function, in the official SDK's newer form.
 *
 * @example
 * ```ts
 * defineWorkflowOptions(placeOrder, { workflowDefinitionOptions: { failureExceptionTypes: [InvalidOrderError] } });
 * ```
 */
export function defineWorkflowOptions<A extends unknown[], R>(fn: (...args: A) => Promise<R>, config: WorkflowDefinitionConfig): void {
  if (typeof config !== 'object' || config === null) throw new TypeError('defineWorkflowOptions: config must be an object');
  if ((config.staticOptions as { typeInfo?: unknown } | undefined)?.typeInfo !== undefined) {
    throw new TypeError('defineWorkflowOptions: staticOptions.typeInfo (typed payload conversion) is not supported by duraflow yet');
  }
  if (config.workflowDefinitionOptions !== undefined) setWorkflowOptions(config.workflowDefinitionOptions, fn);
  else if (typeof fn !== 'function') throw new TypeError(`defineWorkflowOptions: the first argument must be the workflow function, got ${typeof fn}`);
}

/** A workflow function's options (calling the getter), or undefined. */
export function workflowDefinitionOptionsOf(fn: unknown): WorkflowDefinitionOptions | undefined {
  if (typeof fn !== 'function') return undefined;
  const given = (fn as unknown as Record<string, unknown>)[OPTIONS] as WorkflowDefinitionOptionsOrGetter | undefined;
  const options = typeof given === 'function' ? given() : given;
  if (options === undefined) return undefined;
  if (typeof options !== 'object' || options === null) throw new TypeError('setWorkflowOptions: the options getter must return an object');
  return options;
}
