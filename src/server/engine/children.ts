/** Child workflows: StartChildWorkflowExecution, reporting the final run's close, parent close policies. */
import { decodePriority } from '../../common/priority.js';
import { mergePriority, validatePriority } from './priority.js';
import { status } from '@grpc/grpc-js';
import type { ProtoTypes } from '../../proto/index.js';
import { invalidArgument, RpcError } from '../errors.js';
import { EventType, ExecutionStatus, ParentClosePolicy, StartChildFailedCause, TaskQueueKind } from './enums.js';
import { requestCancelRun, terminateRun } from './lifecycle.js';
import { PENDING_STARTED_ID, type Run } from './run.js';
import { startWorkflow } from './start.js';
import type { ChildState } from './state.js';
import { scheduleWorkflowTask } from './workflow-task.js';

type IStartChildAttrs = ProtoTypes.temporal.api.command.v1.IStartChildWorkflowExecutionCommandAttributes;

/** Timer kind: start the child of an Initiated event (asynchronously, like Temporal's transfer tasks). */
export const START_CHILD_TIMER = 'start-child';

/** Handles the StartChildWorkflowExecution command: the Initiated event and a start task. */
export function initiateChild(run: Run, a: IStartChildAttrs, completedEventId: number): void {
  const s = run.state;
  if (!a.workflowId) throw invalidArgument('WorkflowId is not set on StartChildWorkflowExecutionCommand.');
  if (!a.workflowType?.name) throw invalidArgument(`WorkflowType is not set on StartChildWorkflowExecutionCommand. WorkflowId=${a.workflowId}`);
  validatePriority(a.priority);
  const namespace = a.namespace || s.namespace;
  const parentClosePolicy = a.parentClosePolicy || ParentClosePolicy.PARENT_CLOSE_POLICY_TERMINATE;
  const initiatedEventId = run.addEvent(EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED, {
    ...a,
    namespace,
    taskQueue: { name: a.taskQueue?.name || s.taskQueue, kind: TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
    parentClosePolicy,
    workflowTaskCompletedEventId: completedEventId,
  });
  s.children[String(initiatedEventId)] = {
    initiatedEventId,
    namespace,
    workflowId: a.workflowId,
    workflowType: a.workflowType.name,
    runId: '',
    startedEventId: 0,
    parentClosePolicy,
  };
  run.tx.addTimer(run, run.tx.now, START_CHILD_TIMER, { i: initiatedEventId });
}

/** The start task of a child: start it, or record why it could not start. */
export function startChild(parent: Run, data: Record<string, unknown>): void {
  const child = parent.state.children[String(data.i)];
  if (!parent.isOpen || !child || child.runId) return;
  const a = parent.tx.store.readEvent(parent.namespace, parent.state.runId, child.initiatedEventId)
    ?.startChildWorkflowExecutionInitiatedEventAttributes;
  if (!a) return;
  const common = { namespace: child.namespace, initiatedEventId: child.initiatedEventId, workflowType: { name: child.workflowType } };
  let runId: string;
  try {
    if (!parent.tx.store.getNamespace(child.namespace)) throw new RpcError(status.NOT_FOUND, 'namespace');
    runId = startWorkflow(parent.tx, child.namespace, {
      workflowId: a.workflowId,
      workflowType: a.workflowType,
      taskQueue: a.taskQueue,
      input: a.input,
      workflowExecutionTimeout: a.workflowExecutionTimeout,
      workflowRunTimeout: a.workflowRunTimeout,
      workflowTaskTimeout: a.workflowTaskTimeout,
      workflowIdReusePolicy: a.workflowIdReusePolicy,
      retryPolicy: a.retryPolicy,
      cronSchedule: a.cronSchedule,
      header: a.header,
      memo: a.memo,
      searchAttributes: a.searchAttributes,
      priority: mergePriority(parent.state.priority, decodePriority(a.priority)),
      requestId: `${parent.state.runId}:${child.initiatedEventId}`,
    }, undefined, {
      namespace: parent.namespace,
      workflowId: parent.state.workflowId,
      runId: parent.state.runId,
      initiatedEventId: child.initiatedEventId,
      rootWorkflowId: parent.state.rootWorkflowId,
      rootRunId: parent.state.rootRunId,
    }).runId;
  } catch (error) {
    if (!(error instanceof RpcError) || (error.code !== status.ALREADY_EXISTS && error.code !== status.NOT_FOUND)) throw error;
    parent.addExternalEvent(EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_FAILED, {
      ...common,
      workflowId: child.workflowId,
      cause:
        error.code === status.ALREADY_EXISTS
          ? StartChildFailedCause.START_CHILD_WORKFLOW_EXECUTION_FAILED_CAUSE_WORKFLOW_ALREADY_EXISTS
          : StartChildFailedCause.START_CHILD_WORKFLOW_EXECUTION_FAILED_CAUSE_NAMESPACE_NOT_FOUND,
      control: a.control,
      workflowTaskCompletedEventId: a.workflowTaskCompletedEventId,
    });
    delete parent.state.children[String(child.initiatedEventId)];
    scheduleWorkflowTask(parent);
    return;
  }
  child.runId = runId;
  child.startedEventId =
    parent.addExternalEvent(EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_STARTED, {
      ...common,
      workflowExecution: { workflowId: child.workflowId, runId },
      header: a.header,
    }) || PENDING_STARTED_ID;
  scheduleWorkflowTask(parent);
}

const CHILD_CLOSE_EVENT: Record<number, number> = {
  [ExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED]: EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_COMPLETED,
  [ExecutionStatus.WORKFLOW_EXECUTION_STATUS_FAILED]: EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_FAILED,
  [ExecutionStatus.WORKFLOW_EXECUTION_STATUS_CANCELED]: EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_CANCELED,
  [ExecutionStatus.WORKFLOW_EXECUTION_STATUS_TIMED_OUT]: EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_TIMED_OUT,
  [ExecutionStatus.WORKFLOW_EXECUTION_STATUS_TERMINATED]: EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_TERMINATED,
};

/** A child chain's final run closed: tell the parent (if it still waits for it). */
export function notifyParent(run: Run, closeAttributes: Record<string, unknown>): void {
  const s = run.state;
  if (!s.parentWorkflowId || !s.parentRunId) return;
  const parent = run.tx.loadRun(s.parentNamespace ?? s.namespace, s.parentRunId);
  const child = parent?.state.children[String(s.parentInitiatedEventId)];
  const eventType = CHILD_CLOSE_EVENT[s.status];
  if (!parent || !parent.isOpen || !child || !eventType) return;
  parent.addExternalEvent(eventType, {
    result: closeAttributes.result,
    failure: closeAttributes.failure,
    details: closeAttributes.details,
    retryState: closeAttributes.retryState,
    namespace: child.namespace,
    workflowExecution: { workflowId: child.workflowId, runId: child.runId },
    workflowType: { name: child.workflowType },
    initiatedEventId: child.initiatedEventId,
    startedEventId: child.startedEventId,
  });
  delete parent.state.children[String(child.initiatedEventId)];
  scheduleWorkflowTask(parent);
}

/** The parent closed: apply each started child's parent close policy to the child's current run. */
export function applyParentClosePolicies(run: Run): void {
  for (const child of Object.values(run.state.children) as ChildState[]) {
    if (!child.runId || child.parentClosePolicy === ParentClosePolicy.PARENT_CLOSE_POLICY_ABANDON) continue;
    const current = run.tx.currentRun(child.namespace, child.workflowId);
    if (!current || !current.isOpen || current.state.firstExecutionRunId !== child.runId) continue;
    if (child.parentClosePolicy === ParentClosePolicy.PARENT_CLOSE_POLICY_REQUEST_CANCEL) {
      requestCancelRun(current, 'by parent close policy', '');
    } else {
      terminateRun(current, 'by parent close policy', undefined, '');
    }
  }
}
