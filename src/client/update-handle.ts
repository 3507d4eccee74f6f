/** Workflow updates: start (waiting for a stage), poll for the outcome, and the update handle. */
import { randomUUID } from 'node:crypto';
import type { ProtoTypes } from '../proto/index.js';
import { temporal } from '../proto/index.js';
import type { HandleContext } from './handle-context.js';
import { status as GrpcStatus } from '@grpc/grpc-js';
import { composeInterceptors, type WorkflowClientInterceptor, type WorkflowStartUpdateInput, type WorkflowStartUpdateOutput } from './interceptors.js';
import {
  isGrpcServiceError,
  toClientError,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
  type CallContext,
} from './workflow-client-errors.js';

type Outcome = ProtoTypes.temporal.api.update.v1.IOutcome;
type UpdateRequest = ProtoTypes.temporal.api.workflowservice.v1.IUpdateWorkflowExecutionRequest;
const Stage = temporal.api.enums.v1.UpdateWorkflowExecutionLifecycleStage;

/** Options of `executeUpdate` / `startUpdate`. */
export interface WorkflowUpdateOptions {
  /** Defaults to a random UUID. */
  readonly updateId?: string;
}

/**
 * The stage `startUpdate` waits for before returning a handle: `ACCEPTED` (the workflow accepted
 * the update) or `COMPLETED`. (The official client's object also names `ADMITTED`, which no call
 * accepts, and `UNSPECIFIED`.)
 */
export const WorkflowUpdateStage = {
  ADMITTED: 'ADMITTED',
  ACCEPTED: 'ACCEPTED',
  COMPLETED: 'COMPLETED',
  UNSPECIFIED: undefined,
} as const;
export type WorkflowUpdateStage = 'ACCEPTED' | 'COMPLETED';

/** A handle to one update of one workflow execution. */
export interface WorkflowUpdateHandle<Ret> {
  readonly updateId: string;
  readonly workflowId: string;
  readonly workflowRunId?: string;
  /** The update's result; throws WorkflowUpdateFailedError when the handler failed. */
  result(): Promise<Ret>;
}

export interface UpdateTarget {
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
export async function pollOutcome(ctx: HandleContext, target: UpdateTarget, updateId: string): Promise<Outcome> {
  const ref = { workflowExecution: { workflowId: target.workflowId, runId: target.runId }, updateId };
  const call = { call: 'PollWorkflowExecutionUpdate', namespace: ctx.namespace, workflowId: target.workflowId, runId: target.runId };
  for (;;) {
    let response;
    try {
      response = await ctx.connection.workflowService.pollWorkflowExecutionUpdate({
        namespace: ctx.namespace,
        updateRef: ref,
        identity: ctx.identity,
        waitPolicy: { lifecycleStage: Stage.UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_COMPLETED },
      });
    } catch (err) {
      throw toUpdateError(err, call);
    }
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

/** `temporal.api.enums.v1.UpdateWorkflowExecutionLifecycleStage` of a stage to wait for. */
export function encodeUpdateStage(waitForStage: WorkflowUpdateStage): number {
  return waitForStage === 'COMPLETED'
    ? Stage.UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_COMPLETED
    : Stage.UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_ACCEPTED;
}

/** The UpdateWorkflowExecution request of an interceptor input. */
export async function compileUpdateRequest(
  ctx: HandleContext,
  waitForStage: WorkflowUpdateStage,
  input: WorkflowStartUpdateInput,
): Promise<UpdateRequest> {
  const updateId = input.options.updateId ?? randomUUID();
  const args = await ctx.converter.encodeArgs(input.args);
  return {
    namespace: ctx.namespace,
    workflowExecution: input.workflowExecution,
    firstExecutionRunId: input.firstExecutionRunId,
    waitPolicy: { lifecycleStage: encodeUpdateStage(waitForStage) },
    request: {
      meta: { updateId, identity: ctx.identity },
      input: { header: { fields: input.headers }, name: input.updateName, args: { payloads: args ?? [] } },
    },
  };
}

/** Maps an update call's error: deadline / cancellation → WorkflowUpdateRPCTimeoutOrCancelledError. */
export function toUpdateError(err: unknown, call: CallContext): Error {
  if (isGrpcServiceError(err) && (err.code === GrpcStatus.DEADLINE_EXCEEDED || err.code === GrpcStatus.CANCELLED)) {
    return new WorkflowUpdateRPCTimeoutOrCancelledError(err.details || 'Workflow update call timeout or cancelled', { cause: err });
  }
  return toClientError(err, call);
}

/**
 * Sends UpdateWorkflowExecution until the update is durable (ACCEPTED or later), re-sending while
 * the server answers with an earlier stage. The last link of the `startUpdate` interceptor chain.
 */
export async function startUpdateHandler(
  ctx: HandleContext,
  waitForStage: WorkflowUpdateStage,
  input: WorkflowStartUpdateInput,
): Promise<WorkflowStartUpdateOutput> {
  const request = await compileUpdateRequest(ctx, waitForStage, input);
  const { workflowId, runId } = input.workflowExecution;
  const call = { call: 'UpdateWorkflowExecution', namespace: ctx.namespace, workflowId, runId };
  for (;;) {
    let response;
    try {
      response = await ctx.connection.workflowService.updateWorkflowExecution(request);
    } catch (err) {
      throw toUpdateError(err, call);
    }
    if ((response.stage ?? 0) >= Stage.UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_ACCEPTED || response.outcome) {
      return {
        updateId: request.request?.meta?.updateId ?? '',
        workflowRunId: response.updateRef?.workflowExecution?.runId || runId || '',
        outcome: response.outcome ?? undefined,
      };
    }
  }
}

/**
 * Runs the `startUpdate` chain and returns a handle; with `waitForStage: 'COMPLETED'` the outcome
 * is awaited before returning. A rejected update throws WorkflowUpdateFailedError from `result()`.
 */
export async function startUpdate<Ret>(
  ctx: HandleContext,
  interceptors: readonly WorkflowClientInterceptor[],
  input: WorkflowStartUpdateInput,
  waitForStage: WorkflowUpdateStage,
): Promise<WorkflowUpdateHandle<Ret>> {
  const fn = composeInterceptors(interceptors, 'startUpdate', (i: WorkflowStartUpdateInput) => startUpdateHandler(ctx, waitForStage, i));
  const output = await fn(input);
  const target = { workflowId: input.workflowExecution.workflowId, runId: output.workflowRunId || undefined };
  const outcome = output.outcome ?? (waitForStage === 'COMPLETED' ? await pollOutcome(ctx, target, output.updateId) : undefined);
  return makeUpdateHandle<Ret>(ctx, target, output.updateId, outcome);
}
