/** SignalExternalWorkflowExecution and RequestCancelExternalWorkflowExecution commands. */
import type { ProtoTypes } from '../../proto/index.js';
import { invalidArgument } from '../errors.js';
import { CancelExternalFailedCause, EventType, SignalExternalFailedCause } from './enums.js';
import { requestCancelRun, signalRun } from './lifecycle.js';
import type { Run } from './run.js';
import { scheduleWorkflowTask } from './workflow-task.js';

type ISignalAttrs = ProtoTypes.temporal.api.command.v1.ISignalExternalWorkflowExecutionCommandAttributes;
type ICancelAttrs = ProtoTypes.temporal.api.command.v1.IRequestCancelExternalWorkflowExecutionCommandAttributes;

/** Timer kinds: deliver the signal / cancel request of an Initiated event (asynchronously). */
export const SIGNAL_EXTERNAL_TIMER = 'signal-external';
export const CANCEL_EXTERNAL_TIMER = 'cancel-external';

export function initiateSignalExternal(run: Run, a: ISignalAttrs, completedEventId: number): void {
  if (!a.execution?.workflowId) throw invalidArgument('WorkflowId is not set on SignalExternalWorkflowExecutionCommand.');
  if (!a.signalName) throw invalidArgument('SignalName is not set on SignalExternalWorkflowExecutionCommand.');
  const id = run.addEvent(EventType.EVENT_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED, {
    namespace: a.namespace || run.namespace,
    workflowExecution: a.execution,
    signalName: a.signalName,
    input: a.input,
    control: a.control,
    childWorkflowOnly: a.childWorkflowOnly,
    header: a.header,
    workflowTaskCompletedEventId: completedEventId,
  });
  run.tx.addTimer(run, run.tx.now, SIGNAL_EXTERNAL_TIMER, { i: id });
}

export function initiateCancelExternal(run: Run, a: ICancelAttrs, completedEventId: number): void {
  if (!a.workflowId) throw invalidArgument('WorkflowId is not set on RequestCancelExternalWorkflowExecutionCommand.');
  const id = run.addEvent(EventType.EVENT_TYPE_REQUEST_CANCEL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED, {
    namespace: a.namespace || run.namespace,
    workflowExecution: { workflowId: a.workflowId, runId: a.runId },
    control: a.control,
    childWorkflowOnly: a.childWorkflowOnly,
    reason: a.reason,
    workflowTaskCompletedEventId: completedEventId,
  });
  run.tx.addTimer(run, run.tx.now, CANCEL_EXTERNAL_TIMER, { i: id });
}

/** The target of an external command: its current (or given) run, if open and allowed. */
function target(run: Run, namespace: string, workflowId: string, runId: string, childOnly: boolean): Run | undefined {
  const tx = run.tx;
  if (!tx.store.getNamespace(namespace)) return undefined;
  const t = runId ? tx.loadRun(namespace, runId) : tx.currentRun(namespace, workflowId);
  if (!t || !t.isOpen || t.state.workflowId !== workflowId) return undefined;
  if (childOnly && t.state.parentRunId !== run.state.runId) return undefined;
  return t;
}

export function deliverSignalExternal(run: Run, data: Record<string, unknown>): void {
  if (!run.isOpen) return;
  const initiatedEventId = Number(data.i);
  const a = run.tx.store.readEvent(run.namespace, run.state.runId, initiatedEventId)?.signalExternalWorkflowExecutionInitiatedEventAttributes;
  if (!a) return;
  const namespace = a.namespace || run.namespace;
  const execution = { workflowId: a.workflowExecution?.workflowId ?? '', runId: a.workflowExecution?.runId ?? '' };
  const t = target(run, namespace, execution.workflowId, execution.runId, Boolean(a.childWorkflowOnly));
  if (t) {
    signalRun(t, {
      signalName: a.signalName ?? '',
      input: a.input,
      header: a.header,
      identity: '',
      requestId: `${run.state.runId}:${initiatedEventId}`,
      external: { workflowId: run.state.workflowId, runId: run.state.runId },
    });
    run.addExternalEvent(EventType.EVENT_TYPE_EXTERNAL_WORKFLOW_EXECUTION_SIGNALED, {
      initiatedEventId,
      namespace,
      workflowExecution: execution,
      control: a.control,
    });
  } else {
    run.addExternalEvent(EventType.EVENT_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_FAILED, {
      cause: run.tx.store.getNamespace(namespace)
        ? SignalExternalFailedCause.SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_FAILED_CAUSE_EXTERNAL_WORKFLOW_EXECUTION_NOT_FOUND
        : SignalExternalFailedCause.SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_FAILED_CAUSE_NAMESPACE_NOT_FOUND,
      workflowTaskCompletedEventId: a.workflowTaskCompletedEventId,
      namespace,
      workflowExecution: execution,
      initiatedEventId,
      control: a.control,
    });
  }
  scheduleWorkflowTask(run);
}

export function deliverCancelExternal(run: Run, data: Record<string, unknown>): void {
  if (!run.isOpen) return;
  const initiatedEventId = Number(data.i);
  const a = run.tx.store.readEvent(run.namespace, run.state.runId, initiatedEventId)
    ?.requestCancelExternalWorkflowExecutionInitiatedEventAttributes;
  if (!a) return;
  const namespace = a.namespace || run.namespace;
  const execution = { workflowId: a.workflowExecution?.workflowId ?? '', runId: a.workflowExecution?.runId ?? '' };
  const t = target(run, namespace, execution.workflowId, execution.runId, Boolean(a.childWorkflowOnly));
  if (t) {
    requestCancelRun(t, a.reason ?? '', '', {
      initiatedEventId,
      execution: { workflowId: run.state.workflowId, runId: run.state.runId },
    });
    run.addExternalEvent(EventType.EVENT_TYPE_EXTERNAL_WORKFLOW_EXECUTION_CANCEL_REQUESTED, {
      initiatedEventId,
      namespace,
      workflowExecution: execution,
    });
  } else {
    run.addExternalEvent(EventType.EVENT_TYPE_REQUEST_CANCEL_EXTERNAL_WORKFLOW_EXECUTION_FAILED, {
      cause: CancelExternalFailedCause.CANCEL_EXTERNAL_WORKFLOW_EXECUTION_FAILED_CAUSE_EXTERNAL_WORKFLOW_EXECUTION_NOT_FOUND,
      workflowTaskCompletedEventId: a.workflowTaskCompletedEventId,
      namespace,
      workflowExecution: execution,
      initiatedEventId,
      control: a.control,
    });
  }
  scheduleWorkflowTask(run);
}
