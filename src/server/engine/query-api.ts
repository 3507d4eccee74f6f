/** QueryWorkflow: reject conditions, routing (attached vs legacy task) and waiting for the answer. */
import { status } from '@grpc/grpc-js';
import { MAX_TIMER_MS } from '../clock.js';
import { failedPrecondition, invalidArgument, RpcError } from '../errors.js';
import { TaskKind } from '../store/store.js';
import { queueKey } from './effects.js';
import type { Engine } from './engine.js';
import { ExecutionStatus, QueryRejectCondition } from './enums.js';
import type { QueryAnswer } from './queries.js';
import type { IQueryWorkflowRequest, IQueryWorkflowResponse } from './proto-types.js';


/** Upper bound on how long a query waits for a worker when the caller set no deadline. */
export const QUERY_TIMEOUT_MS = 60_000;

function rejected(condition: number, statusValue: number): boolean {
  const running = statusValue === ExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING;
  if (condition === QueryRejectCondition.QUERY_REJECT_CONDITION_NOT_OPEN) return !running;
  if (condition === QueryRejectCondition.QUERY_REJECT_CONDITION_NOT_COMPLETED_CLEANLY) {
    return !running && statusValue !== ExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED;
  }
  return false;
}

export async function queryWorkflow(
  engine: Engine,
  namespace: string,
  req: IQueryWorkflowRequest,
  ctx: { deadline: number; signal: AbortSignal },
): Promise<IQueryWorkflowResponse> {
  if (!req.query?.queryType) throw invalidArgument('QueryType is not set on request.');
  const run = engine.read((tx) => tx.resolveRun(namespace, req.execution));
  const s = run.state;
  if (rejected(req.queryRejectCondition ?? 0, s.status)) return { queryRejected: { status: s.status } };
  const neverRan = s.lastCompletedWftStartedId === 0;
  if (neverRan && !run.isOpen) {
    throw failedPrecondition('Cannot query a workflow execution that closed before completing its first workflow task.');
  }
  const attach = run.isOpen && (s.wft !== undefined || neverRan);
  const { id, answer } = engine.queries.add(namespace, s.runId, s.taskQueue, req.query, !attach);
  if (!attach) engine.waiters.notify(queueKey(namespace, s.taskQueue, TaskKind.Workflow));
  const result = await waitForAnswer(answer, Math.min(ctx.deadline, Date.now() + QUERY_TIMEOUT_MS), ctx.signal);
  if (!result) {
    engine.queries.remove(id);
    throw new RpcError(status.DEADLINE_EXCEEDED, 'query timed out: no worker answered it in time');
  }
  if (result.ok) return { queryResult: result.result ?? undefined };
  throw invalidArgument(result.errorMessage || result.failure?.message || 'query failed', [
    {
      typeName: 'temporal.api.errordetails.v1.QueryFailedFailure',
      value: { failure: result.failure ?? { message: result.errorMessage ?? 'query failed' } },
    },
  ]);
}

function waitForAnswer(answer: Promise<QueryAnswer>, deadline: number, signal: AbortSignal): Promise<QueryAnswer | undefined> {
  return new Promise((resolve) => {
    const finish = (value: QueryAnswer | undefined): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      resolve(value);
    };
    const onAbort = (): void => finish(undefined);
    const timer = setTimeout(() => finish(undefined), Math.max(0, Math.min(deadline - Date.now(), MAX_TIMER_MS)));
    signal.addEventListener('abort', onAbort, { once: true });
    answer.then(finish, () => finish(undefined));
  });
}
