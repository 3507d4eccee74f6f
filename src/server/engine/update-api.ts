/** UpdateWorkflowExecution, PollWorkflowExecutionUpdate and ExecuteMultiOperation (update-with-start). */
import { status } from '@grpc/grpc-js';
import { temporal, toAny, type ProtoTypes } from '../../proto/index.js';
import { invalidArgument, notFound, RpcError, workflowCompleted } from '../errors.js';
import type { Engine } from './engine.js';
import { checkFirstExecutionRunId } from './lifecycle.js';
import { startWorkflow } from './start.js';
import type { UpdateState } from './state.js';
import type { Tx } from './tx.js';
import { admitUpdate, decodeOutcome } from './updates.js';
import { scheduleWorkflowTask } from './workflow-task.js';
import type { Run } from './run.js';

type IUpdateRequest = ProtoTypes.temporal.api.workflowservice.v1.IUpdateWorkflowExecutionRequest;
type IUpdateResponse = ProtoTypes.temporal.api.workflowservice.v1.IUpdateWorkflowExecutionResponse;
type IMultiRequest = ProtoTypes.temporal.api.workflowservice.v1.IExecuteMultiOperationRequest;
type IMultiResponse = ProtoTypes.temporal.api.workflowservice.v1.IExecuteMultiOperationResponse;
type IPollUpdateRequest = ProtoTypes.temporal.api.workflowservice.v1.IPollWorkflowExecutionUpdateRequest;

const Stage = temporal.api.enums.v1.UpdateWorkflowExecutionLifecycleStage;
/** Waiting for an update is soft-capped, then the current stage is returned (Temporal: ~20 s). */
export const UPDATE_WAIT_MS = 20_000;

interface Located {
  namespace: string;
  workflowId: string;
  runId: string;
  updateId: string;
}

function stageOf(u: UpdateState | undefined): number {
  if (!u) return Stage.UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_UNSPECIFIED;
  if (u.phase === 'completed') return Stage.UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_COMPLETED;
  if (u.phase === 'accepted') return Stage.UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_ACCEPTED;
  return Stage.UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_ADMITTED;
}

/** Validates and admits an update on a run inside a transaction. */
function admit(tx: Tx, run: Run, req: IUpdateRequest): Located {
  const updateId = req.request?.meta?.updateId ?? '';
  if (!run.isOpen) throw workflowCompleted();
  checkFirstExecutionRunId(run, req.firstExecutionRunId);
  admitUpdate(run, req.request ?? {});
  scheduleWorkflowTask(run);
  return { namespace: run.namespace, workflowId: run.state.workflowId, runId: run.state.runId, updateId };
}

function validate(req: IUpdateRequest): void {
  if (!req.workflowExecution?.workflowId) throw invalidArgument('WorkflowId is not set on request.');
  if (!req.request?.meta?.updateId) throw invalidArgument('Update id is not set on request.');
  if (!req.request.input?.name) throw invalidArgument('Update name is not set on request.');
}

/** Waits until the update reaches `wanted` (or is completed), the soft cap, or the deadline. */
async function waitFor(engine: Engine, at: Located, wanted: number, deadline: number, signal: AbortSignal): Promise<IUpdateResponse> {
  const until = Math.min(deadline, Date.now() + UPDATE_WAIT_MS);
  for (;;) {
    const run = engine.read((tx) => tx.loadRun(at.namespace, at.runId));
    const u = run?.state.updates[at.updateId];
    if (!run || !u) throw run && !run.isOpen ? workflowCompleted() : notFound(`update ${at.updateId} not found`);
    const stage = stageOf(u);
    if (stage >= wanted || Date.now() >= until || signal.aborted || engine.isStopped) {
      return {
        updateRef: { workflowExecution: { workflowId: at.workflowId, runId: at.runId }, updateId: at.updateId },
        outcome: decodeOutcome(u),
        stage,
      };
    }
    await engine.waiters.wait(engine.historyKey(at.namespace, at.runId), until - Date.now(), signal);
  }
}

const wantedStage = (policy: number | null | undefined): number =>
  policy || Stage.UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_ACCEPTED;

export async function updateWorkflow(
  engine: Engine,
  namespace: string,
  req: IUpdateRequest,
  ctx: { deadline: number; signal: AbortSignal },
): Promise<IUpdateResponse> {
  validate(req);
  const at = engine.write((tx) => admit(tx, tx.resolveRun(namespace, req.workflowExecution), req));
  return waitFor(engine, at, wantedStage(req.waitPolicy?.lifecycleStage), ctx.deadline, ctx.signal);
}

export async function pollUpdate(
  engine: Engine,
  namespace: string,
  req: IPollUpdateRequest,
  ctx: { deadline: number; signal: AbortSignal },
): Promise<IUpdateResponse> {
  const ref = req.updateRef;
  if (!ref?.workflowExecution?.workflowId || !ref.updateId) throw invalidArgument('UpdateRef is not set on request.');
  const run = engine.read((tx) => tx.resolveRun(namespace, ref.workflowExecution));
  if (!run.state.updates[ref.updateId]) throw notFound(`update ${ref.updateId} not found`);
  const at = { namespace, workflowId: run.state.workflowId, runId: run.state.runId, updateId: ref.updateId };
  return waitFor(engine, at, req.waitPolicy?.lifecycleStage || Stage.UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_UNSPECIFIED, ctx.deadline, ctx.signal);
}

/** ExecuteMultiOperation: exactly [startWorkflow, updateWorkflow], started and admitted atomically. */
export async function executeMultiOperation(
  engine: Engine,
  namespace: string,
  req: IMultiRequest,
  ctx: { deadline: number; signal: AbortSignal },
): Promise<IMultiResponse> {
  const ops = req.operations ?? [];
  const start = ops[0]?.startWorkflow;
  const update = ops[1]?.updateWorkflow;
  if (ops.length !== 2 || !start || !update) {
    throw invalidArgument('ExecuteMultiOperation takes exactly two operations: startWorkflow, then updateWorkflow.');
  }
  if (update.workflowExecution?.workflowId !== start.workflowId) {
    throw invalidArgument('The update operation must target the workflow id of the start operation.');
  }
  let started: { runId: string; started: boolean; status: number };
  let at: Located;
  try {
    ({ started, at } = engine.write((tx) => {
      const s = multiOpStep(0, () => startWorkflow(tx, namespace, start));
      const located = multiOpStep(1, () => {
        validate(update);
        return admit(tx, tx.resolveRun(namespace, { workflowId: start.workflowId, runId: s.runId }), update);
      });
      return { started: s, at: located };
    }));
  } catch (error) {
    throw error instanceof MultiOpError ? error.toRpcError() : error;
  }
  const updateResponse = await waitFor(engine, at, wantedStage(update.waitPolicy?.lifecycleStage), ctx.deadline, ctx.signal);
  return {
    responses: [
      { startWorkflow: { runId: started.runId, started: started.started, status: started.status } },
      { updateWorkflow: updateResponse },
    ],
  };
}

class MultiOpError extends Error {
  constructor(
    readonly index: number,
    readonly failure: RpcError,
  ) {
    super(failure.message);
  }

  toRpcError(): RpcError {
    const aborted = {
      code: status.ABORTED,
      message: 'Operation was aborted.',
      details: [toAny({ typeName: 'temporal.api.failure.v1.MultiOperationExecutionAborted', value: {} })],
    };
    const failed = { code: this.failure.code, message: this.failure.message, details: this.failure.details.map(toAny) };
    const statuses = this.index === 0 ? [failed, aborted] : [aborted, failed];
    return new RpcError(this.failure.code, `MultiOperation could not be executed: ${this.failure.message}`, [
      { typeName: 'temporal.api.errordetails.v1.MultiOperationExecutionFailure', value: { statuses } },
    ]);
  }
}

function multiOpStep<T>(index: number, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof RpcError) throw new MultiOpError(index, error);
    throw error;
  }
}
