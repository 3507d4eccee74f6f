/**
 * Information about the current run: `workflowInfo`, `currentUpdateInfo`, `inWorkflowContext`, and
 * the run's current details.
 *
 * @module
 */
import type { UpdateInfo, WorkflowInfo } from './interfaces.js';
import { assertInWorkflowContext, maybeGetActivator } from './runtime/current.js';

/**
 * A snapshot of the current run's information. Call it again for fresh values rather than keeping
 * the object: history length, search attributes and memo change during the run.
 *
 * @example
 * ```ts
 * const { workflowId, attempt } = workflowInfo();
 * ```
 */
export function workflowInfo(): WorkflowInfo {
  return assertInWorkflowContext('Workflow.workflowInfo(...) may only be used from a Workflow Execution.').info;
}

/**
 * The update whose handler is running the calling code, if any.
 *
 * @example
 * ```ts
 * log.info('handling', { updateId: currentUpdateInfo()?.id });
 * ```
 */
export function currentUpdateInfo(): UpdateInfo | undefined {
  const activator = assertInWorkflowContext('Workflow.currentUpdateInfo(...) may only be used from a Workflow Execution.');
  return activator.context.current().update;
}

/**
 * Whether the calling code runs inside a workflow run.
 *
 * @example
 * ```ts
 * const logger = inWorkflowContext() ? log : console;
 * ```
 */
export function inWorkflowContext(): boolean {
  return maybeGetActivator() !== undefined;
}

/**
 * The run's current details (shown by UIs through the workflow metadata query).
 *
 * @example
 * ```ts
 * const details = getCurrentDetails();
 * ```
 */
export function getCurrentDetails(): string {
  return assertInWorkflowContext('getCurrentDetails() may only be used from a Workflow Execution.').currentDetails;
}

/**
 * Sets the run's current details.
 *
 * @example
 * ```ts
 * setCurrentDetails('waiting for approval');
 * ```
 */
export function setCurrentDetails(details: string): void {
  const activator = assertInWorkflowContext('setCurrentDetails() may only be used from a Workflow Execution.');
  if (typeof details !== 'string') throw new TypeError('Current details must be a string');
  activator.currentDetails = details;
}
