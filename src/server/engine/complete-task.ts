/** RespondWorkflowTaskCompleted / RespondWorkflowTaskFailed / RespondQueryTaskCompleted. */
import type { ProtoTypes } from '../../proto/index.js';
import { invalidArgument, notFound } from '../errors.js';
import { startEagerActivity } from './activities.js';
import { applyCommands, isCloseCommand } from './commands.js';
import { CommandFailure } from './command-failure.js';
import type { Engine } from './engine.js';
import { EventType, QueryResultType, WorkflowTaskFailedCause } from './enums.js';
import { activityTaskResponse } from './polling.js';
import type { Run } from './run.js';
import type { ActivityState } from './state.js';
import { applyStickyAttributes } from './sticky.js';
import { decodeToken } from './tokens.js';
import { finishUpdateMessages, hasUndeliveredUpdates, messagesById } from './updates.js';
import { failWorkflowTask, runForWorkflowTask, scheduleWorkflowTask } from './workflow-task.js';
import type {
  IRespondQueryTaskCompletedRequest,
  IRespondWorkflowTaskCompletedRequest,
  IRespondWorkflowTaskCompletedResponse,
  IRespondWorkflowTaskFailedRequest,
} from './proto-types.js';


/**
 * Completes a workflow task: WorkflowTaskCompleted, one event per command, then the buffered events
 * and a new task when needed; activities the worker asked to run eagerly come back started, in the
 * response's `activityTasks` (unless the engine does not allow eager activities). A close command
 * racing with buffered events fails the task with UNHANDLED_COMMAND and answers INVALID_ARGUMENT
 * "UnhandledCommand" (after committing that).
 */
export function completeWorkflowTask(
  engine: Engine,
  req: IRespondWorkflowTaskCompletedRequest,
): IRespondWorkflowTaskCompletedResponse {
  let runRef: { namespace: string; runId: string } | undefined;
  let eager: { run: Run; activities: ActivityState[] } | undefined;
  try {
    engine.write((tx) => {
      const { run } = runForWorkflowTask(tx, req.taskToken);
      runRef = { namespace: run.namespace, runId: run.state.runId };
      const commands = req.commands ?? [];
      if (commands.some(isCloseCommand) && (run.hasBufferedEvents || hasUndeliveredUpdates(run))) {
        const cause = run.hasBufferedEvents
          ? WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_UNHANDLED_COMMAND
          : WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_UNHANDLED_UPDATE;
        failWorkflowTask(run, cause, undefined, req.identity ?? '');
        tx.failAfterCommit(invalidArgument('UnhandledCommand'));
        return;
      }
      const wft = run.state.wft;
      if (!wft) throw notFound('Workflow task not found.');
      const completedEventId = run.addEvent(EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED, {
        scheduledEventId: wft.scheduledEventId,
        startedEventId: wft.startedEventId,
        identity: req.identity,
        binaryChecksum: req.binaryChecksum,
        sdkMetadata: req.sdkMetadata,
        meteringMetadata: req.meteringMetadata,
        workerVersion: req.workerVersionStamp,
      });
      run.state.lastCompletedWftStartedId = wft.startedEventId;
      run.state.lastCompletedWftEventId = completedEventId;
      run.state.wft = undefined;
      // The worker's sticky queue for the run's next tasks (cleared when the completion names none).
      applyStickyAttributes(run, req.stickyAttributes);
      const messages = messagesById(req.messages);
      const outcome = applyCommands(run, commands, completedEventId, messages, req.identity ?? '', engine.eagerActivities);
      if (run.isOpen) finishUpdateMessages(run, messages, req.identity ?? '');
      if (!run.isOpen) return;
      const started = outcome.eagerActivities.map((id) => startEagerActivity(run, id, req.identity ?? ''));
      const activities = started.filter((a): a is ActivityState => a !== undefined);
      if (activities.length > 0) eager = { run, activities };
      const hadBuffered = run.hasBufferedEvents;
      run.flushBuffer();
      const newTask = hadBuffered || outcome.forceNewTask || req.forceCreateNewWorkflowTask || hasUndeliveredUpdates(run);
      if (newTask) scheduleWorkflowTask(run);
    });
  } catch (error) {
    if (error instanceof CommandFailure) return failForBadCommand(engine, req, error);
    throw error;
  } finally {
    if (runRef) deliverQueryResults(engine, runRef.namespace, runRef.runId, req.queryResults ?? {});
  }
  // Built after the commit: the tasks read their scheduled events from the store.
  const started = eager;
  return started ? { activityTasks: started.activities.map((a) => activityTaskResponse(engine, started.run, a)) } : {};
}

/**
 * A refused command: on the first attempt the task fails with its cause (in a fresh transaction);
 * later attempts write nothing and are left to time out, so a task that keeps producing the same bad
 * command retries at the pace of its (growing) timeout. The worker gets INVALID_ARGUMENT either way.
 */
function failForBadCommand(engine: Engine, req: IRespondWorkflowTaskCompletedRequest, failure: CommandFailure): never {
  engine.write((tx) => {
    const { run, token } = runForWorkflowTask(tx, req.taskToken);
    if (token.a > 1) return;
    failWorkflowTask(run, failure.failureCause, { message: failure.message, source: 'duraflow-dev-server' }, req.identity ?? '');
  });
  throw invalidArgument(failure.message);
}

function deliverQueryResults(
  engine: Engine,
  namespace: string,
  runId: string,
  results: Record<string, ProtoTypes.temporal.api.query.v1.IWorkflowQueryResult>,
): void {
  for (const [id, r] of Object.entries(results)) {
    const ok = r.resultType === QueryResultType.QUERY_RESULT_TYPE_ANSWERED;
    engine.queries.answer(id, { ok, result: r.answer, errorMessage: r.errorMessage ?? '', failure: r.failure });
  }
  engine.queries.detachAll(namespace, runId);
  engine.releaseQueriesIfIdle(`${namespace}\u0000${runId}`);
}

/** RespondWorkflowTaskFailed: WorkflowTaskFailed and the next attempt. */
export function failWorkflowTaskRpc(engine: Engine, req: IRespondWorkflowTaskFailedRequest): void {
  engine.write((tx) => {
    const { run } = runForWorkflowTask(tx, req.taskToken);
    failWorkflowTask(
      run,
      req.cause || WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_WORKFLOW_WORKER_UNHANDLED_FAILURE,
      req.failure ?? undefined,
      req.identity ?? '',
    );
    engine.queries.detachAll(run.namespace, run.state.runId);
  });
}

/** RespondQueryTaskCompleted for a legacy query task. */
export function completeQueryTask(engine: Engine, req: IRespondQueryTaskCompletedRequest): void {
  const token = decodeToken(req.taskToken, 'q');
  const ok = req.completedType === QueryResultType.QUERY_RESULT_TYPE_ANSWERED;
  const delivered = engine.queries.answer(token.q, {
    ok,
    result: req.queryResult,
    errorMessage: req.errorMessage ?? '',
    failure: req.failure,
  });
  if (!delivered) throw notFound('query task not found, or already expired');
}
