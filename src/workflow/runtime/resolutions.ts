/**
 * Jobs that settle what workflow code is waiting on: timers, activities, child workflows, and
 * signals and cancellations sent to other workflows.
 *
 * @module
 */
import { IllegalStateError, WorkflowExecutionAlreadyStartedError } from '../../common/index.js';
import { LocalActivityDoBackoff } from '../errors.js';
import type { Activator, Completion, CompletionKind } from './activator.js';
import type {
  FireTimerJob,
  ResolveActivityJob,
  ResolveChildWorkflowExecutionJob,
  ResolveChildWorkflowExecutionStartJob,
  ResolveRequestCancelExternalWorkflowJob,
  ResolveSignalExternalWorkflowJob,
} from './protocol.js';

function requireCompletion(activator: Activator, kind: CompletionKind, seq: number, job: string): Completion {
  const completion = activator.completions.take(kind, seq);
  if (completion === undefined) throw new IllegalStateError(`${job}: no pending operation with seq ${seq}`);
  return completion;
}

/** A timer fired. A timer cancelled by the workflow may still fire: that is ignored. */
export function fireTimer(activator: Activator, job: FireTimerJob): void {
  activator.completions.take('timer', job.seq)?.resolve(undefined);
}

/** An activity (or local activity) ended, or a local activity must retry after a backoff. */
export function resolveActivity(activator: Activator, job: ResolveActivityJob): void {
  const { resolve, reject, context } = requireCompletion(activator, 'activity', job.seq, 'resolveActivity');
  const { result } = job;
  switch (result.status) {
    case 'completed':
      resolve(result.result ? activator.payloadConverter.fromPayload(result.result, context) : undefined);
      return;
    case 'failed':
    case 'cancelled':
      reject(activator.failureToError(result.failure, context));
      return;
    case 'backoff':
      reject(new LocalActivityDoBackoff(result.attempt, result.backoffMs, result.originalScheduleTimeMs));
      return;
    default:
      throw new TypeError(`resolveActivity: unknown status ${(result as { status: unknown }).status}`);
  }
}

/** A child workflow started, or could not be started. */
export function resolveChildWorkflowExecutionStart(activator: Activator, job: ResolveChildWorkflowExecutionStartJob): void {
  const { seq, result } = job;
  const { resolve, reject, context } = requireCompletion(activator, 'childWorkflowStart', seq, 'resolveChildWorkflowExecutionStart');
  if (result.status === 'succeeded') {
    resolve(result.runId);
    return;
  }
  // The child will never complete: its completion promise follows the start's rejection.
  activator.completions.delete('childWorkflowComplete', seq);
  if (result.status === 'failed') {
    if (result.cause !== 'WORKFLOW_ALREADY_EXISTS') throw new IllegalStateError(`Unknown child start failure cause: ${String(result.cause)}`);
    reject(new WorkflowExecutionAlreadyStartedError('Workflow execution already started', result.workflowId, result.workflowType));
  } else if (result.status === 'cancelled') {
    reject(activator.failureToError(result.failure, context));
  } else {
    throw new TypeError(`resolveChildWorkflowExecutionStart: unknown status ${(result as { status: unknown }).status}`);
  }
}

/** A child workflow ended. */
export function resolveChildWorkflowExecution(activator: Activator, job: ResolveChildWorkflowExecutionJob): void {
  const { resolve, reject, context } = requireCompletion(activator, 'childWorkflowComplete', job.seq, 'resolveChildWorkflowExecution');
  const { result } = job;
  if (result.status === 'completed') {
    resolve(result.result ? activator.payloadConverter.fromPayload(result.result, context) : undefined);
  } else if (result.status === 'failed' || result.status === 'cancelled') {
    reject(activator.failureToError(result.failure, context));
  } else {
    throw new TypeError(`resolveChildWorkflowExecution: unknown status ${(result as { status: unknown }).status}`);
  }
}

/** A signal to another workflow was delivered, or failed. */
export function resolveSignalExternalWorkflow(activator: Activator, job: ResolveSignalExternalWorkflowJob): void {
  const { resolve, reject, context } = requireCompletion(activator, 'signalWorkflow', job.seq, 'resolveSignalExternalWorkflow');
  if (job.failure) reject(activator.failureToError(job.failure, context));
  else resolve(undefined);
}

/** A cancellation request to another workflow was delivered, or failed. */
export function resolveRequestCancelExternalWorkflow(activator: Activator, job: ResolveRequestCancelExternalWorkflowJob): void {
  const { resolve, reject, context } = requireCompletion(activator, 'cancelWorkflow', job.seq, 'resolveRequestCancelExternalWorkflow');
  if (job.failure) reject(activator.failureToError(job.failure, context));
  else resolve(undefined);
}
