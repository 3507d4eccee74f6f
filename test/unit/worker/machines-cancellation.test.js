// Cancellation in the history state machines: activities under each cancellation type (live, with
// the immediate resolutions they produce inside the same task, and on replay), commands cancelled
// before they were sent, and timers.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WorkflowRunMachine } from '../../../dist/worker/workflow/run-machine.js';
import { replayTask } from '../../../dist/worker/workflow/replay-task.js';
import { cancelledActivityHistory, HistoryBuilder, CommandType, kinds, payload, runTask } from './helpers/history-builder.js';

const newMachine = () => new WorkflowRunMachine({ namespace: 'default', taskQueue: 'q', workflowId: 'wf-1', runId: 'run-1', workflowType: 'wf' });
const activity = (seq, cancellationType) => ({
  kind: 'scheduleActivity',
  seq,
  activityId: String(seq),
  activityType: 'slow',
  taskQueue: 'q',
  arguments: [],
  headers: {},
  startToCloseTimeoutMs: 60_000,
  cancellationType,
  doNotEagerlyExecute: false,
});
const complete = { kind: 'completeWorkflowExecution', result: payload('done') };
const has = (a, kind) => a.jobs.some((j) => j.kind === kind);

/** A live run: task 1 schedules activity 1; it starts; a signal arrives (task 2 is the live task). */
function scheduledThenSignaled(cancellationType) {
  const h = new HistoryBuilder();
  h.started();
  const first = h.task();
  const m = newMachine();
  m.addWorkflowTask({ events: h.events, messages: [], startedEventId: first });
  runTask(m, () => [activity(1, cancellationType)]);
  m.takeTaskResponse();
  h.wftCompleted();
  const scheduled = h.activityScheduled(1, 'slow');
  const started = h.activityStarted(scheduled);
  h.signaled('stop');
  const second = h.task();
  m.addWorkflowTask({ events: h.events, messages: [], startedEventId: second, previousStartedEventId: first });
  return { h, m, scheduled, started, second };
}

const cancelOnSignal = (a) => {
  if (has(a, 'signalWorkflow')) return [{ kind: 'requestCancelActivity', seq: 1 }];
  if (has(a, 'resolveActivity')) return [complete];
  return [];
};

describe('activity cancellation, live', () => {
  it('TRY_CANCEL sends the request and resolves as cancelled in a follow-up activation of the same task', () => {
    const { m, scheduled } = scheduledThenSignaled('TRY_CANCEL');
    const acts = runTask(m, cancelOnSignal);
    assert.deepEqual(acts.map(kinds), [['signalWorkflow'], ['resolveActivity']]);
    const { result } = acts[1].jobs[0];
    assert.equal(result.status, 'cancelled');
    assert.equal(result.failure.message, 'Activity cancelled');
    assert.deepEqual(result.failure.cause, { canceledFailureInfo: {} });
    assert.equal(result.failure.activityFailureInfo.retryState, 7, 'RETRY_STATE_CANCEL_REQUESTED');
    assert.equal(result.failure.activityFailureInfo.activityType.name, 'slow');
    const commands = m.takeTaskResponse().commands;
    assert.deepEqual(commands.map((c) => c.commandType), [CommandType.COMMAND_TYPE_REQUEST_CANCEL_ACTIVITY_TASK, CommandType.COMMAND_TYPE_COMPLETE_WORKFLOW_EXECUTION]);
    assert.equal(Number(commands[0].requestCancelActivityTaskCommandAttributes.scheduledEventId), scheduled);
  });

  it('ABANDON resolves at once and sends no request', () => {
    const { m } = scheduledThenSignaled('ABANDON');
    const acts = runTask(m, cancelOnSignal);
    assert.deepEqual(acts.map(kinds), [['signalWorkflow'], ['resolveActivity']]);
    assert.equal(acts[1].jobs[0].result.status, 'cancelled');
    assert.deepEqual(m.takeTaskResponse().commands.map((c) => c.commandType), [CommandType.COMMAND_TYPE_COMPLETE_WORKFLOW_EXECUTION]);
  });

  it('WAIT_CANCELLATION_COMPLETED sends the request and resolves only on ActivityTaskCanceled', () => {
    const { h, m, scheduled, started, second } = scheduledThenSignaled('WAIT_CANCELLATION_COMPLETED');
    const acts = runTask(m, cancelOnSignal);
    assert.deepEqual(acts.map(kinds), [['signalWorkflow']]);
    assert.deepEqual(m.takeTaskResponse().commands.map((c) => c.commandType), [CommandType.COMMAND_TYPE_REQUEST_CANCEL_ACTIVITY_TASK]);
    h.wftCompleted();
    const requested = h.activityCancelRequested(scheduled);
    const canceled = h.activityCanceled(scheduled, started, requested);
    const third = h.task();
    m.addWorkflowTask({ events: h.events, messages: [], startedEventId: third, previousStartedEventId: second });
    const next = runTask(m, cancelOnSignal);
    assert.deepEqual(next.map(kinds), [['resolveActivity']]);
    const info = next[0].jobs[0].result.failure.activityFailureInfo;
    assert.equal(info.scheduledEventId, scheduled);
    assert.equal(info.startedEventId, started);
    assert.equal(info.identity, 'worker@host');
    assert.ok(canceled > requested);
  });

  it('WAIT_CANCELLATION_COMPLETED resolves with the completion when the activity finished first', () => {
    const { h, m, scheduled, started, second } = scheduledThenSignaled('WAIT_CANCELLATION_COMPLETED');
    runTask(m, cancelOnSignal);
    m.takeTaskResponse();
    h.wftCompleted();
    h.activityCancelRequested(scheduled);
    h.activityCompleted(scheduled, started, 'finished anyway');
    const third = h.task();
    m.addWorkflowTask({ events: h.events, messages: [], startedEventId: third, previousStartedEventId: second });
    const [a] = runTask(m, cancelOnSignal);
    assert.equal(a.jobs[0].result.status, 'completed');
  });

  it('cancelling an activity in the activation that scheduled it drops the command and resolves at once', () => {
    for (const cancellationType of ['TRY_CANCEL', 'WAIT_CANCELLATION_COMPLETED', 'ABANDON']) {
      const h = new HistoryBuilder();
      h.started();
      const m = newMachine();
      m.addWorkflowTask({ events: h.events, messages: [], startedEventId: h.task() });
      const acts = runTask(m, (a) => (has(a, 'initializeWorkflow') ? [activity(1, cancellationType), { kind: 'requestCancelActivity', seq: 1 }] : [complete]));
      assert.deepEqual(acts.map(kinds), [['initializeWorkflow'], ['resolveActivity']], cancellationType);
      assert.equal(acts[1].jobs[0].result.status, 'cancelled');
      assert.deepEqual(m.takeTaskResponse().commands.map((c) => c.commandType), [CommandType.COMMAND_TYPE_COMPLETE_WORKFLOW_EXECUTION], cancellationType);
    }
  });
});

describe('activity cancellation, replay', () => {
  for (const cancellationType of ['TRY_CANCEL', 'WAIT_CANCELLATION_COMPLETED', 'ABANDON']) {
    it(`${cancellationType}: replays to the same activations as live`, () => {
      const h = cancelledActivityHistory(cancellationType);
      const m = newMachine();
      m.addWorkflowTask(replayTask(h.events));
      const acts = runTask(m, (a) => (has(a, 'initializeWorkflow') ? [activity(1, cancellationType)] : cancelOnSignal(a)));
      assert.deepEqual(acts.map(kinds), [['initializeWorkflow'], ['signalWorkflow'], ['resolveActivity']]);
      assert.ok(acts.every((a) => a.isReplaying));
      assert.equal(acts[2].jobs[0].result.status, 'cancelled');
      assert.equal(m.nextActivation(), undefined);
    });
  }

  it('an abandoned activity may still start and complete in history', () => {
    const h = new HistoryBuilder();
    h.started();
    h.fullTask();
    const s = h.activityScheduled(1, 'slow');
    h.signaled('stop');
    h.fullTask();
    const st = h.activityStarted(s);
    h.activityCompleted(s, st, 'late');
    h.signaled('again');
    const last = h.task();
    const m = newMachine();
    m.addWorkflowTask({ events: h.events, messages: [], startedEventId: last });
    const acts = runTask(m, (a) => (has(a, 'initializeWorkflow') ? [activity(1, 'ABANDON')] : has(a, 'signalWorkflow') && a.jobs[0].signalName === 'stop' ? [{ kind: 'requestCancelActivity', seq: 1 }] : []));
    assert.deepEqual(acts.map(kinds), [['initializeWorkflow'], ['signalWorkflow'], ['resolveActivity'], ['signalWorkflow']]);
  });
});

describe('timer cancellation', () => {
  it('drops a timer cancelled before it was sent, and sends CancelTimer for a started one', () => {
    const h = new HistoryBuilder();
    h.started();
    const first = h.task();
    const m = newMachine();
    m.addWorkflowTask({ events: h.events, messages: [], startedEventId: first });
    runTask(m, () => [
      { kind: 'startTimer', seq: 1, startToFireTimeoutMs: 100 },
      { kind: 'cancelTimer', seq: 1 },
      { kind: 'startTimer', seq: 2, startToFireTimeoutMs: 5000 },
    ]);
    const response = m.takeTaskResponse();
    assert.deepEqual(response.commands.map((c) => c.startTimerCommandAttributes?.timerId), ['2']);
    h.wftCompleted();
    const started = h.timerStarted(2, 5000);
    h.signaled('stop');
    const second = h.task();
    m.addWorkflowTask({ events: h.events, messages: [], startedEventId: second, previousStartedEventId: first });
    runTask(m, () => [{ kind: 'cancelTimer', seq: 2 }, complete]);
    const commands = m.takeTaskResponse().commands;
    assert.equal(commands[0].commandType, CommandType.COMMAND_TYPE_CANCEL_TIMER);
    assert.equal(commands[0].cancelTimerCommandAttributes.timerId, '2');
    // Replay of the whole thing matches CancelTimer with TimerCanceled.
    h.wftCompleted();
    h.timerCanceled(started, 2);
    h.completed('done');
    const replay = newMachine();
    replay.addWorkflowTask(replayTask(h.events));
    const acts = runTask(replay, (a) =>
      has(a, 'initializeWorkflow')
        ? [{ kind: 'startTimer', seq: 1, startToFireTimeoutMs: 100 }, { kind: 'cancelTimer', seq: 1 }, { kind: 'startTimer', seq: 2, startToFireTimeoutMs: 5000 }]
        : [{ kind: 'cancelTimer', seq: 2 }, complete]
    );
    assert.equal(acts.length, 2);
  });

  it('reports cancelling a timer that was never started', () => {
    const h = new HistoryBuilder();
    h.started();
    const m = newMachine();
    m.addWorkflowTask({ events: h.events, messages: [], startedEventId: h.task() });
    m.nextActivation();
    assert.throws(() => m.completeActivation({ commands: [{ kind: 'cancelTimer', seq: 9 }], sinkCalls: [] }), {
      name: 'WorkflowMachinesStateError',
      message: /cancelled timer 9, which it never started/,
    });
  });
});
