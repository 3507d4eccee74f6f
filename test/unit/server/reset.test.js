// ResetWorkflowExecution on the engine (fake clock): the new run's history (the base run's up to the
// reset point, the task failed with RESET_WORKFLOW, later signals reapplied, a new task), its rebuilt
// state (pending activities queued again at attempt 1, timers at their fire times), the base run
// terminated, and the reset points and requests Temporal refuses.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { durationFromMs, longToNumber, temporal } from '../../../dist/proto/index.js';
import { completeWorkflowTask } from '../../../dist/server/engine/complete-task.js';
import { signalRun } from '../../../dist/server/engine/lifecycle.js';
import { pollActivityTask, pollWorkflowTask } from '../../../dist/server/engine/polling.js';
import { resetWorkflow } from '../../../dist/server/engine/reset.js';
import { startWorkflow } from '../../../dist/server/engine/start.js';
import { createTestEngine, decode, NS, payloads, pollOptions, T0, TQ, typeName } from './helpers/engine-harness.js';

const { CommandType, WorkflowExecutionStatus, WorkflowTaskFailedCause } = temporal.api.enums.v1;
const HOUR = 3_600_000;

let t;
let engine;
let baseRunId;
beforeEach(async () => {
  t = T0;
  engine = createTestEngine(() => t);
  baseRunId = engine.write((tx) => startWorkflow(tx, NS, { workflowId: 'wf', workflowType: { name: 'W' }, taskQueue: { name: TQ }, requestId: 'r' })).runId;
  // WFT 2-3-4 schedules activity a1 (5) and timer t1 (6); signal poke (7) → WFT 8-9-10; signal later (11) → WFT 12.
  await completeNextTask([
    { commandType: CommandType.COMMAND_TYPE_SCHEDULE_ACTIVITY_TASK, scheduleActivityTaskCommandAttributes: { activityId: 'a1', activityType: { name: 'charge' }, taskQueue: { name: TQ }, startToCloseTimeout: durationFromMs(60_000) } },
    { commandType: CommandType.COMMAND_TYPE_START_TIMER, startTimerCommandAttributes: { timerId: 't1', startToFireTimeout: durationFromMs(HOUR) } },
  ]);
  signal('poke');
  t += 1000;
  await completeNextTask([]);
  signal('later');
});
afterEach(() => {
  engine.stop();
  engine.store.close();
});

async function completeNextTask(commands) {
  const task = await pollWorkflowTask(engine, pollOptions('wf-worker'));
  assert.ok(task.taskToken, 'a workflow task');
  completeWorkflowTask(engine, { taskToken: task.taskToken, commands, identity: 'wf-worker' });
}
const signal = (signalName) => engine.write((tx) => signalRun(tx.resolveRun(NS, { workflowId: 'wf' }), { signalName, input: payloads(signalName), identity: 'test', requestId: '' }));
const reset = (request) => engine.write((tx) => resetWorkflow(tx, NS, { workflowExecution: { workflowId: 'wf', runId: baseRunId }, reason: 'bug fixed', requestId: 'reset-1', ...request }));
const events = (runId) => engine.store.readEvents(NS, runId, 1);
const names = (runId) => events(runId).map((e) => typeName(e.eventType));
const state = (runId) => engine.read((tx) => tx.loadRun(NS, runId)).state;

describe('ResetWorkflowExecution', () => {
  it('to a completed task: history copied up to its start, the task failed, later signals reapplied, pending work rearmed', async () => {
    const newRunId = reset({ workflowTaskFinishEventId: 10 });
    assert.deepEqual(names(newRunId), [
      'WORKFLOW_EXECUTION_STARTED', 'WORKFLOW_TASK_SCHEDULED', 'WORKFLOW_TASK_STARTED', 'WORKFLOW_TASK_COMPLETED',
      'ACTIVITY_TASK_SCHEDULED', 'TIMER_STARTED', 'WORKFLOW_EXECUTION_SIGNALED', 'WORKFLOW_TASK_SCHEDULED', 'WORKFLOW_TASK_STARTED',
      'WORKFLOW_TASK_FAILED', 'WORKFLOW_EXECUTION_SIGNALED', 'WORKFLOW_TASK_SCHEDULED',
    ]);
    const failed = events(newRunId)[9].workflowTaskFailedEventAttributes;
    assert.equal(failed.cause, WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_RESET_WORKFLOW);
    assert.deepEqual([failed.baseRunId, failed.newRunId, failed.failure.message, longToNumber(failed.startedEventId)], [baseRunId, newRunId, 'bug fixed', 9]);
    assert.equal(decode(events(newRunId)[10].workflowExecutionSignaledEventAttributes.input.payloads[0]), 'later');

    const base = state(baseRunId);
    assert.equal(base.status, WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_TERMINATED);
    const terminated = events(baseRunId).at(-1).workflowExecutionTerminatedEventAttributes;
    assert.deepEqual([terminated.reason, terminated.identity], ['bug fixed', 'history-resetter']);
    assert.equal(engine.store.getCurrentRunId(NS, 'wf'), newRunId);

    const s = state(newRunId);
    assert.deepEqual(Object.values(s.activities).map((a) => [a.activityId, a.attempt, a.phase]), [['a1', 1, 'scheduled']]);
    assert.deepEqual(s.timers.t1, { startedEventId: 6, fireAt: T0 + HOUR });
    assert.equal(s.lastCompletedWftStartedId, 3);
    const activity = await pollActivityTask(engine, pollOptions('act-worker'));
    assert.equal(activity.workflowExecution.runId, newRunId, 'the activity is queued again for the new run');
    const task = await pollWorkflowTask(engine, pollOptions('wf-worker'));
    assert.equal(task.workflowExecution.runId, newRunId);
    assert.equal(longToNumber(task.previousStartedEventId), 3);
  });

  it('to the first task: everything after it goes, its signals are reapplied (unless told not to)', () => {
    const newRunId = reset({ workflowTaskFinishEventId: 4 });
    assert.deepEqual(names(newRunId), [
      'WORKFLOW_EXECUTION_STARTED', 'WORKFLOW_TASK_SCHEDULED', 'WORKFLOW_TASK_STARTED', 'WORKFLOW_TASK_FAILED',
      'WORKFLOW_EXECUTION_SIGNALED', 'WORKFLOW_EXECUTION_SIGNALED', 'WORKFLOW_TASK_SCHEDULED',
    ]);
    assert.deepEqual(state(newRunId).activities, {});
    assert.deepEqual(state(newRunId).timers, {});
    const again = reset({ workflowExecution: { workflowId: 'wf', runId: newRunId }, workflowTaskFinishEventId: 4, resetReapplyType: 2 });
    assert.deepEqual(names(again), ['WORKFLOW_EXECUTION_STARTED', 'WORKFLOW_TASK_SCHEDULED', 'WORKFLOW_TASK_STARTED', 'WORKFLOW_TASK_FAILED', 'WORKFLOW_TASK_SCHEDULED']);
    assert.equal(state(newRunId).status, WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_TERMINATED, 'the current run was terminated');
  });

  it('to a scheduled task (finish id = its scheduled id + 1): the task is written started, then failed', () => {
    const newRunId = reset({ workflowTaskFinishEventId: 13 }); // WFT 12 was only scheduled
    assert.deepEqual(names(newRunId).slice(11), ['WORKFLOW_TASK_SCHEDULED', 'WORKFLOW_TASK_STARTED', 'WORKFLOW_TASK_FAILED', 'WORKFLOW_TASK_SCHEDULED']);
    assert.equal(events(newRunId)[12].workflowTaskStartedEventAttributes.identity, 'history-service');
  });

  it('a repeated request (same request id) gets the run the first one made', () => {
    const first = reset({ workflowTaskFinishEventId: 10 });
    const again = reset({ workflowTaskFinishEventId: 10 });
    assert.equal(again, first);
    assert.equal(engine.store.getCurrentRunId(NS, 'wf'), first, 'no second run');
    assert.notEqual(reset({ workflowTaskFinishEventId: 10, requestId: 'reset-2' }), first, 'another request id: another run');
  });

  it('refuses reset points Temporal refuses, and requests without a request id', () => {
    assert.throws(() => reset({ workflowTaskFinishEventId: 6 }), /Can only reset workflow to event ID in range \[WorkflowTaskScheduled \+1, WorkflowTaskStarted \+ 1\]: 6/);
    assert.throws(() => reset({ workflowTaskFinishEventId: 1 }), /Workflow task finish ID must be > 1/);
    assert.throws(() => reset({ workflowTaskFinishEventId: 99 }), /Workflow task finish ID must be > 1/);
    assert.throws(() => reset({ workflowTaskFinishEventId: 4, requestId: '' }), /RequestId is not set/);
    assert.throws(() => reset({ workflowTaskFinishEventId: 4, postResetOperations: [{}] }), /PostResetOperations are not supported/);
    assert.equal(state(baseRunId).status, WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING, 'a refused reset changes nothing');
  });

  it('refuses a point with a pending child workflow', async () => {
    engine.write((tx) => startWorkflow(tx, NS, { workflowId: 'wf2', workflowType: { name: 'W' }, taskQueue: { name: 'tq2' }, requestId: 'r2' }));
    const task = await pollWorkflowTask(engine, pollOptions('wf-worker', 'tq2'));
    completeWorkflowTask(engine, {
      taskToken: task.taskToken,
      identity: 'wf-worker',
      commands: [{ commandType: CommandType.COMMAND_TYPE_START_CHILD_WORKFLOW_EXECUTION, startChildWorkflowExecutionCommandAttributes: { workflowId: 'child', workflowType: { name: 'C' }, taskQueue: { name: 'tq-child' } } }],
    });
    engine.fireDueTimers();
    engine.write((tx) => signalRun(tx.resolveRun(NS, { workflowId: 'wf2' }), { signalName: 's', identity: 't', requestId: '' }));
    const next = await pollWorkflowTask(engine, pollOptions('wf-worker', 'tq2'));
    assert.ok(next.taskToken);
    const finish = longToNumber(next.startedEventId) + 1;
    assert.throws(
      () => engine.write((tx) => resetWorkflow(tx, NS, { workflowExecution: { workflowId: 'wf2' }, reason: 'r', requestId: 'x', workflowTaskFinishEventId: finish })),
      /cannot reset to a point with pending child workflows/,
    );
  });
});
