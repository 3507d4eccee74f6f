/**
 * UpdateWorkflowExecutionOptions: a running workflow's priority, changed by field mask as Temporal's
 * history service does it — a WorkflowExecutionOptionsUpdated event (which workers may ignore), the
 * new priority for the run's later tasks, and its pending workflow task queued again under it. No
 * change, no event. Versioning overrides and time-skipping configs are refused (not supported by the
 * dev server).
 *
 * @module
 */
import { status } from '@grpc/grpc-js';
import { decodePriority } from '../../common/priority.js';
import { invalidArgument, requireField, RpcError, workflowCompleted } from '../errors.js';
import { TaskKind } from '../store/store.js';
import type { Engine } from './engine.js';
import { EventType } from './enums.js';
import { maskedPriority, PRIORITY_MASK_FIELDS, validatePriority } from './priority.js';
import type { IUpdateWorkflowExecutionOptionsRequest, IUpdateWorkflowExecutionOptionsResponse } from './proto-types.js';
import type { Run } from './run.js';
import { stickyQueueOf } from './sticky.js';

/** Applies the request to the open run it names and answers with the run's options. */
export function updateWorkflowExecutionOptions(engine: Engine, namespace: string, req: IUpdateWorkflowExecutionOptionsRequest): IUpdateWorkflowExecutionOptionsResponse {
  requireField(req.workflowExecution?.workflowId, 'WorkflowId');
  if (!req.updateMask) throw invalidArgument('UpdateMask is required');
  const options = req.workflowExecutionOptions;
  if (!options) throw invalidArgument('WorkflowExecutionOptions is required');
  const paths = (req.updateMask.paths ?? []).map((p) => p.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`));
  for (const path of paths) {
    if (path === 'versioning_override' || path.startsWith('versioning_override.') || path === 'time_skipping_config' || path.startsWith('time_skipping_config.')) {
      throw new RpcError(status.UNIMPLEMENTED, `Updating ${path} is not supported by the duraflow dev server.`);
    }
    if (path !== 'priority' && !(path in PRIORITY_MASK_FIELDS)) throw invalidArgument(`error parsing UpdateMask: proto: invalid path "${path}" for message "temporal.api.workflow.v1.WorkflowExecutionOptions"`);
  }
  validatePriority(options.priority);
  return engine.write((tx) => {
    const run = tx.resolveRun(namespace, req.workflowExecution);
    if (!run.isOpen) throw workflowCompleted();
    const priority = maskedPriority(run.state.priority, decodePriority(options.priority), paths);
    if (JSON.stringify(priority ?? {}) !== JSON.stringify(run.state.priority ?? {})) {
      if (priority) run.state.priority = priority;
      else delete run.state.priority;
      run.addExternalEvent(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_OPTIONS_UPDATED, { priority, identity: req.identity ?? '' }, tx.now, { workerMayIgnore: true });
      requeueWorkflowTask(run);
    }
    return { workflowExecutionOptions: { priority: run.state.priority } };
  });
}

/** Queues the run's scheduled (not started) workflow task again, so it is dispatched by the new priority. */
function requeueWorkflowTask(run: Run): void {
  const wft = run.state.wft;
  if (!wft || wft.startedEventId !== 0) return;
  const { store } = run.tx;
  for (const queue of new Set([stickyQueueOf(run.state), run.state.taskQueue])) {
    if (queue === '') continue;
    for (const row of store.tasksOnQueue(run.namespace, queue, TaskKind.Workflow)) {
      if (row.runId !== run.state.runId || row.ref !== wft.scheduledEventId) continue;
      store.deleteTask(row.id);
      run.tx.addTask(run, TaskKind.Workflow, row.taskQueue, row.ref, row.attempt);
    }
  }
}
