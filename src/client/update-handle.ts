/** Workflow updates: start (waiting for a stage), poll for the outcome, and the update handle. */
import { randomUUID } from 'node:crypto';
import type { ProtoTypes } from '../proto/index.js';
import { temporal } from '../proto/index.js';
import type { HandleContext } from './handle-context.js';
import { callService, WorkflowUpdateFailedError } from './workflow-client-errors.js';

type Outcome = ProtoTypes.temporal.api.update.v1.IOutcome;
const Stage = temporal.api.enums.v1.UpdateWorkflowExecutionLifecycleStage;

/** Options of `executeUpdate` / `startUpdate`. */
export interface WorkflowUpdateOptions {
  args?: unknown[];
  /** Defaults to a random UUID. */
  updateId?: string;
}

/** The stage `startUpdate` waits for before returning a handle. */
export type WorkflowUpdateStage = 'ACCEPTED' | 'COMPLETED';

/** A handle to one update of one workflow execution. */
export interface WorkflowUpdateHandle<Ret> {
  readonly updateId: string;
  readonly workflowId: string;
  readonly workflowRunId?: string;
  /** The update's result; throws WorkflowUpdateFailedError when the handler failed. */
  result(): Promise<Ret>;
}

interface UpdateTarget {
  workflowId: string;
  runId?: string;
  firstExecutionRunId?: string;
}

async function outcomeValue<Ret>(ctx: HandleContext, outcome: Outcome): Promise<Ret> {
  if (outcome.failure) {
    throw new WorkflowUpdateFailedError('Workflow Update failed', await ctx.converter.decodeFailure(outcome.failure));
  }
  return ctx.converter.decodeFirst<Ret>(outcome.success?.payloads);
}

/** Polls PollWorkflowExecutionUpdate until the update has an outcome. */
async function pollOutcome(ctx: HandleContext, target: UpdateTarget, updateId: string): Promise<Outcome> {
  const ref = { workflowExecution: { workflowId: target.workflowId, runId: target.runId }, updateId };
  for (;;) {
    const response = await callService(
      { call: 'PollWorkflowExecutionUpdate', namespace: ctx.namespace, workflowId: target.workflowId, runId: target.runId },
      () =>
        ctx.connection.workflowService.pollWorkflowExecutionUpdate({
          namespace: ctx.namespace,
          updateRef: ref,
          identity: ctx.identity,
          waitPolicy: { lifecycleStage: Stage.UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_COMPLETED },
        }),
    );
    if (response.outcome) return response.outcome;
  }
}

/** A handle to an update whose outcome may already be known. */
export function makeUpdateHandle<Ret>(
  ctx: HandleContext,
  target: UpdateTarget,
  updateId: string,
  known?: Outcome | null,
): WorkflowUpdateHandle<Ret> {
  return {
    updateId,
    workflowId: target.workflowId,
    workflowRunId: target.runId,
    async result(): Promise<Ret> {
      return outcomeValue<Ret>(ctx, known ?? (await pollOutcome(ctx, target, updateId)));
    },
  };
}

/**
 * Sends UpdateWorkflowExecution until the update reaches `waitForStage` (re-sending while the
 * server answers with an earlier stage); a rejected update throws WorkflowUpdateFailedError.
 */
export async function startUpdate<Ret>(
  ctx: HandleContext,
  target: UpdateTarget,
  name: string,
  options: WorkflowUpdateOptions,
  waitForStage: WorkflowUpdateStage,
): Promise<WorkflowUpdateHandle<Ret>> {
  const updateId = options.updateId ?? randomUUID();
  const args = await ctx.converter.encodeArgs(options.args);
  const stage =
    waitForStage === 'COMPLETED'
      ? Stage.UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_COMPLETED
      : Stage.UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_ACCEPTED;
  const request = {
    namespace: ctx.namespace,
    workflowExecution: { workflowId: target.workflowId, runId: target.runId },
    firstExecutionRunId: target.firstExecutionRunId,
    waitPolicy: { lifecycleStage: stage },
    request: { meta: { updateId, identity: ctx.identity }, input: { name, args: args ? { payloads: args } : undefined } },
  };
  const callCtx = { call: 'UpdateWorkflowExecution', namespace: ctx.namespace, workflowId: target.workflowId, runId: target.runId };
  for (;;) {
    const response = await callService(callCtx, () => ctx.connection.workflowService.updateWorkflowExecution(request));
    if (response.outcome?.failure && (response.stage ?? 0) < Stage.UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_ACCEPTED) {
      await outcomeValue(ctx, response.outcome);
    }
    if ((response.stage ?? 0) >= Stage.UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_ACCEPTED || response.outcome) {
      const runId = response.updateRef?.workflowExecution?.runId || target.runId;
      return makeUpdateHandle<Ret>(ctx, { ...target, runId }, updateId, response.outcome);
    }
  }
}
