/**
 * Handles to other workflows: signal and cancel them from workflow code.
 *
 * @module
 */
import type { SignalDefinition } from '../common/index.js';
import { CancellationScope } from './cancellation-scope.js';
import { patched } from './patches.js';
import type { Activator } from './runtime/activator.js';
import { assertInWorkflowContext } from './runtime/current.js';
import { signalWorkflow } from './signal-workflow.js';
import { captureOrigin } from './runtime/origin.js';

/** A handle to another workflow execution, from within a workflow. */
export interface ExternalWorkflowHandle {
  readonly workflowId: string;
  readonly runId?: string;
  /** Requests cancellation of the workflow; resolves once the server accepted the request. */
  cancel(): Promise<void>;
  /** Sends a signal; resolves once it was delivered. */
  signal<Args extends unknown[] = [], Name extends string = string>(def: SignalDefinition<Args, Name> | string, ...args: Args): Promise<void>;
}

/** Histories from SDKs before 0.22 did not link external cancellations to the cancellation scope. */
const EXTERNAL_WF_CANCEL_PATCH = '__temporal_internal_connect_external_handle_cancel_to_scope';

function requestCancel(activator: Activator, workflowId: string, runId: string | undefined): Promise<void> {
  const origin = captureOrigin('cancel');
  return new Promise<void>((resolve, reject) => {
    const scope = CancellationScope.current();
    if (scope.cancellable) {
      scope.cancelRequested.catch((err: unknown) => {
        if (patched(EXTERNAL_WF_CANCEL_PATCH)) reject(err);
      });
    }
    if (scope.consideredCancelled && patched(EXTERNAL_WF_CANCEL_PATCH)) return;
    const seq = activator.nextSeqs.cancelWorkflow++;
    const workflowExecution = { namespace: activator.info.namespace, workflowId, runId };
    activator.pushCommand({ kind: 'requestCancelExternalWorkflowExecution', seq, workflowExecution, reason: '' }, origin);
    const context = { type: 'workflow' as const, namespace: activator.info.namespace, workflowId };
    activator.completions.set('cancelWorkflow', seq, { resolve, reject, origin, context });
  });
}

/**
 * A handle to signal or cancel workflow `workflowId` (optionally a specific run).
 *
 * @example
 * ```ts
 * const other = getExternalWorkflowHandle('order-42');
 * await other.signal(cancelOrder, 'customer request');
 * await other.cancel();
 * ```
 */
export function getExternalWorkflowHandle(workflowId: string, runId?: string): ExternalWorkflowHandle {
  const activator = assertInWorkflowContext(
    'Workflow.getExternalWorkflowHandle(...) may only be used from a Workflow Execution. Consider using Client.workflow.getHandle(...) instead.'
  );
  if (typeof workflowId !== 'string' || workflowId.length === 0) throw new TypeError('workflowId must be a non-empty string');
  return {
    workflowId,
    runId,
    cancel: () => requestCancel(activator, workflowId, runId),
    signal: (def, ...args) =>
      signalWorkflow(activator, { type: 'external', workflowExecution: { workflowId, runId } }, def as SignalDefinition<unknown[]>, args),
  };
}
