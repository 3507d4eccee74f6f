// Nondeterminism detection: every kind of mismatch between the commands workflow code produces and
// the command events history recorded, the message format (event id and type, what history expects,
// what the code produced), the index of the command involved, and what Core tolerates.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DeterminismViolationError } from '../../../dist/common/index.js';
import { NondeterminismError, WorkflowRunMachine } from '../../../dist/worker/workflow/run-machine.js';
import { replayTask } from '../../../dist/worker/workflow/replay-task.js';
import { HistoryBuilder, payload } from './helpers/history-builder.js';

const newMachine = () => new WorkflowRunMachine({ namespace: 'default', taskQueue: 'q', workflowId: 'wf-1', runId: 'run-1', workflowType: 'wf' });
const timer = (seq, ms = 10_000) => ({ kind: 'startTimer', seq, startToFireTimeoutMs: ms });
const activity = (seq, activityType, activityId = String(seq), cancellationType = 'TRY_CANCEL') => ({
  kind: 'scheduleActivity',
  seq,
  activityId,
  activityType,
  taskQueue: 'q',
  arguments: [],
  headers: {},
  startToCloseTimeoutMs: 1000,
  cancellationType,
  doNotEagerlyExecute: false,
});
const complete = { kind: 'completeWorkflowExecution', result: payload('done') };

/** Replays `h`, completing activation i with scripts[i]; returns the error thrown (or undefined). */
function replayError(h, ...scripts) {
  const m = newMachine();
  try {
    m.addWorkflowTask(replayTask(h.events));
    for (let i = 0, a = m.nextActivation(); a; a = m.nextActivation(), i++) m.completeActivation({ commands: scripts[i] ?? [], sinkCalls: [] });
  } catch (error) {
    return { error, machine: m };
  }
  return { error: undefined, machine: m };
}

/** History: task 1 started a 10s timer, which fired; task 2 completed the workflow. */
function timerHistory({ flags = { coreUsedFlags: [1, 2, 3] } } = {}) {
  const h = new HistoryBuilder();
  h.started();
  h.fullTask(flags);
  const t = h.timerStarted(1, 10_000);
  h.timerFired(t, 1);
  h.fullTask(flags);
  h.completed('done');
  return h;
}

/** History: task 1 scheduled activity 1 (greet), which completed; task 2 completed the workflow. */
function activityHistory(flags = { coreUsedFlags: [1, 2, 3] }) {
  const h = new HistoryBuilder();
  h.started();
  h.fullTask(flags);
  const s = h.activityScheduled(1, 'greet');
  const st = h.activityStarted(s);
  h.activityCompleted(s, st, 'hi');
  h.fullTask(flags);
  h.completed('done');
  return h;
}

describe('nondeterminism errors', () => {
  it('a command of another kind: names the event, the expected command and the produced one', () => {
    const { error } = replayError(timerHistory(), [activity(1, 'greet')]);
    assert.ok(error instanceof NondeterminismError);
    assert.ok(error instanceof DeterminismViolationError);
    assert.equal(error.name, 'NondeterminismError');
    assert.equal(
      error.message,
      'Nondeterminism at event 5 (EVENT_TYPE_TIMER_STARTED): history expects StartTimer(timerId=1, 10s) but the workflow code produced ScheduleActivityTask(activityType=greet, activityId=1)'
    );
    assert.equal(error.eventId, 5);
    assert.equal(error.eventType, 'EVENT_TYPE_TIMER_STARTED');
    assert.equal(error.expected, 'StartTimer(timerId=1, 10s)');
    assert.equal(error.actual, 'ScheduleActivityTask(activityType=greet, activityId=1)');
    assert.equal(error.commandIndex, 0);
  });

  it('a different activity type or id', () => {
    const byType = replayError(activityHistory(), [activity(1, 'farewell')]).error;
    assert.equal(
      byType.message,
      'Nondeterminism at event 5 (EVENT_TYPE_ACTIVITY_TASK_SCHEDULED): history expects ScheduleActivityTask(activityType=greet, activityId=1) but the workflow code produced ScheduleActivityTask(activityType=farewell, activityId=1)'
    );
    const byId = replayError(activityHistory(), [activity(1, 'greet', 'custom-id')]).error;
    assert.match(byId.message, /expects ScheduleActivityTask\(activityType=greet, activityId=1\) but the workflow code produced ScheduleActivityTask\(activityType=greet, activityId=custom-id\)/);
  });

  it('as Core, compares activity ids and types only when history recorded the IdAndTypeDeterminismChecks flag', () => {
    const { error } = replayError(activityHistory({}), [activity(1, 'farewell')], [complete]);
    assert.equal(error, undefined);
  });

  it('history has a command event the code did not produce', () => {
    const { error } = replayError(timerHistory(), [], [complete]);
    assert.equal(error.message, 'Nondeterminism at event 5 (EVENT_TYPE_TIMER_STARTED): history expects StartTimer(timerId=1, 10s) but the workflow code produced no command');
    assert.equal(error.commandIndex, undefined);
  });

  it('the code produced a command history does not have (found where the next task is scheduled)', () => {
    const { error } = replayError(timerHistory(), [timer(1), activity(1, 'extra')], [complete]);
    assert.equal(
      error.message,
      'Nondeterminism at event 7 (EVENT_TYPE_WORKFLOW_TASK_SCHEDULED): history has no event for the command ScheduleActivityTask(activityType=extra, activityId=1) the workflow code produced'
    );
    assert.equal(error.commandIndex, 1);
    assert.equal(error.expected, 'no further command');
  });

  it('an extra command in the last task of a history that ends with its command events', () => {
    const h = new HistoryBuilder();
    h.started();
    h.fullTask();
    h.timerStarted(1, 10_000);
    const { error } = replayError(h, [timer(1), timer(2)]);
    assert.equal(error.message, 'Nondeterminism at the end of history: history has no event for the command StartTimer(timerId=2, 10s) the workflow code produced');
  });

  it('a different close command', () => {
    const { error } = replayError(timerHistory(), [timer(1)], [{ kind: 'failWorkflowExecution', failure: { message: 'x' } }]);
    assert.equal(error.message, 'Nondeterminism at event 10 (EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED): history expects CompleteWorkflowExecution() but the workflow code produced FailWorkflowExecution()');
  });

  it('a timer fired for a timer id other than the one the code started there', () => {
    const h = new HistoryBuilder();
    h.started();
    h.fullTask();
    const t = h.timerStarted(1, 1000);
    h.timerFired(t, 2);
    h.fullTask();
    const { error } = replayError(h, [timer(1)]);
    assert.equal(error.message, 'Nondeterminism at event 6 (EVENT_TYPE_TIMER_FIRED): history fires timer 2 where the workflow code has timer 1');
  });

  it('has no command index when the command came from an earlier activation of the task', () => {
    const h = new HistoryBuilder();
    h.started();
    h.fullTask();
    h.activityScheduled(1, 'greet');
    h.fullTask();
    h.completed('done');
    // Activation 1 starts a timer and schedules+cancels activity 2 (an immediate resolution: activation 2).
    const { error } = replayError(h, [timer(1), activity(2, 'x'), { kind: 'requestCancelActivity', seq: 2 }], []);
    assert.equal(error.eventId, 5);
    assert.equal(error.actual, 'StartTimer(timerId=1, 10s)');
    assert.equal(error.commandIndex, undefined);
  });

  it('leaves the machines unusable afterwards', () => {
    const { machine } = replayError(timerHistory(), [activity(1, 'greet')]);
    assert.throws(() => machine.takeTaskResponse(), { name: 'WorkflowMachinesStateError', message: /failed earlier .*evict the run/ });
    assert.equal(machine.nextActivation(), undefined);
  });

  it('an event for a command the code never issued (routing by initial event id)', () => {
    const h = new HistoryBuilder();
    h.started();
    h.fullTask();
    h.timerFired(99, 1);
    const last = h.task();
    const m = newMachine();
    m.addWorkflowTask({ events: h.events, messages: [], startedEventId: last });
    m.nextActivation();
    assert.throws(() => m.completeActivation({ commands: [], sinkCalls: [] }), (error) => {
      assert.ok(error instanceof NondeterminismError);
      assert.match(error.message, /^Nondeterminism at event 5 \(EVENT_TYPE_TIMER_FIRED\): history has EVENT_TYPE_TIMER_FIRED for event 99, but the workflow code has no command for that event$/);
      return true;
    });
  });
});
