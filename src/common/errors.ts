/**
 * Error classes that are not failures of a workflow or activity: client-side lookups, SDK misuse
 * and determinism violations. All are branded so `instanceof` works across realms.
 *
 * @module
 */
import { TemporalFailure } from './failure.js';
import { markErrorClass } from './type-helpers.js';

export { PayloadConverterError, ValueError } from './value-error.js';

/**
 * An operation is illegal in the current state of an object, e.g. using a resource after closing it.
 *
 * @example
 * ```ts
 * if (this.closed) throw new IllegalStateError('Connection is closed');
 * ```
 */
export class IllegalStateError extends Error {}
markErrorClass(IllegalStateError, 'IllegalStateError');

/**
 * The server does not know the workflow: a wrong id, a closed run (for some calls), or a run that
 * was deleted after its retention period.
 */
export class WorkflowNotFoundError extends Error {
  constructor(
    message: string,
    public readonly workflowId: string,
    public readonly runId: string | undefined
  ) {
    super(message);
  }
}
markErrorClass(WorkflowNotFoundError, 'WorkflowNotFoundError');

/** The server does not know the namespace. */
export class NamespaceNotFoundError extends Error {
  constructor(public readonly namespace: string) {
    super(`Namespace not found: '${namespace}'`);
  }
}
markErrorClass(NamespaceNotFoundError, 'NamespaceNotFoundError');

/**
 * Starting a workflow was rejected because one with the same id is running (conflict policy FAIL),
 * or a closed one exists and the id reuse policy forbids reuse.
 */
export class WorkflowExecutionAlreadyStartedError extends TemporalFailure {
  constructor(
    message: string,
    public readonly workflowId: string,
    public readonly workflowType: string
  ) {
    super(message);
  }
}
markErrorClass(WorkflowExecutionAlreadyStartedError, 'WorkflowExecutionAlreadyStartedError');

/** Base class of errors raised by the workflow runtime about workflow code. */
export class WorkflowError extends Error {}
markErrorClass(WorkflowError, 'WorkflowError');

/**
 * Workflow code did something non-deterministic (constructed a `WeakRef`, produced commands that do
 * not match the history being replayed, ...).
 */
export class DeterminismViolationError extends WorkflowError {}
markErrorClass(DeterminismViolationError, 'DeterminismViolationError');

/**
 * Thrown from an activity to tell the worker that the activity will be completed later, from
 * elsewhere, through the client's async completion API.
 *
 * @example
 * ```ts
 * export async function approve(): Promise<never> { await notifyHuman(); throw new CompleteAsyncError(); }
 * ```
 */
export class CompleteAsyncError extends Error {}
markErrorClass(CompleteAsyncError, 'CompleteAsyncError');
