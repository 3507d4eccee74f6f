/**
 * Ending a workflow execution: `cancel` (the workflow can clean up), `terminate` (it ends at once,
 * with `--reason` recorded in its history) and `delete` (terminated if still open, then removed with
 * its history).
 *
 * @example
 * ```sh
 * duraflow workflow cancel --workflow-id order-1
 * duraflow workflow terminate --workflow-id order-1 --reason "duplicate order"
 * duraflow workflow delete --workflow-id order-1
 * ```
 */
import { BATCH_TARGET_FLAGS, defaultReason, isBatch, startBatch } from './batch-commands.js';
import { withClient } from './client-flags.js';
import type { CommandArgs, CommandDef } from './command.js';
import { workflowRef } from './workflow-inspect.js';
import { serviceCall } from './rpc.js';

async function cancel(args: CommandArgs): Promise<void> {
  if (isBatch(args)) {
    return startBatch(args, 'cancel', args.values.reason ?? defaultReason(), (identity) => ({ cancellationOperation: { identity } }));
  }
  const ref = workflowRef(args);
  await withClient(args, async (client, ctx) => {
    await client.workflow.getHandle(ref.workflowId, ref.runId).cancel();
    if (ctx.printer.json) ctx.printer.document({ workflowId: ref.workflowId, runId: ref.runId, cancelRequested: true });
    else ctx.printer.line('Canceled workflow');
  });
}

async function terminate(args: CommandArgs): Promise<void> {
  const reason = args.values.reason ?? defaultReason();
  if (isBatch(args)) return startBatch(args, 'terminate', reason, (identity) => ({ terminationOperation: { identity } }));
  const ref = workflowRef(args);
  await withClient(args, async (client, ctx) => {
    await client.workflow.getHandle(ref.workflowId, ref.runId).terminate(reason);
    if (ctx.printer.json) ctx.printer.document({ workflowId: ref.workflowId, runId: ref.runId, terminated: true, reason });
    else ctx.printer.line('Workflow terminated');
  });
}

async function deleteWorkflow(args: CommandArgs): Promise<void> {
  if (isBatch(args)) {
    return startBatch(args, 'delete', args.values.reason ?? defaultReason(), (identity) => ({ deletionOperation: { identity } }));
  }
  const ref = workflowRef(args);
  await withClient(args, async (client, ctx) => {
    const workflowExecution = { workflowId: ref.workflowId, runId: ref.runId ?? '' };
    await serviceCall('DeleteWorkflowExecution', ctx.namespace, () => client.workflowService.deleteWorkflowExecution({ namespace: ctx.namespace, workflowExecution }), ref);
    if (ctx.printer.json) ctx.printer.document({ workflowId: ref.workflowId, runId: ref.runId, deleted: true });
    else ctx.printer.line('Workflow deleted');
  });
}

export const WORKFLOW_CANCEL: CommandDef = {
  name: 'cancel',
  summary: 'Request cancellation of a workflow execution',
  examples: ['duraflow workflow cancel --workflow-id order-1', `duraflow workflow cancel --query "WorkflowType = 'order'" --yes`],
  flags: BATCH_TARGET_FLAGS,
  run: cancel,
};

export const WORKFLOW_TERMINATE: CommandDef = {
  name: 'terminate',
  summary: 'Terminate a workflow execution at once',
  examples: [
    'duraflow workflow terminate --workflow-id order-1 --reason "duplicate order"',
    `duraflow workflow terminate --query "ExecutionStatus = 'Running' AND WorkflowType = 'order'" --yes`,
  ],
  flags: BATCH_TARGET_FLAGS,
  run: terminate,
};

export const WORKFLOW_DELETE: CommandDef = {
  name: 'delete',
  summary: 'Delete a workflow execution and its history (terminating it first if it is running)',
  examples: ['duraflow workflow delete --workflow-id order-1', `duraflow workflow delete --query "ExecutionStatus = 'Completed'" --yes`],
  flags: BATCH_TARGET_FLAGS,
  run: deleteWorkflow,
};
