// History state machines: first task of a new run, commands as API protos, replay of multi-task
// histories (timers, activities), cached runs receiving their next task, signals / cancel requests,
// failed workflow tasks, job ordering. No server: histories are built in memory.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WorkflowRunMachine, WorkflowMachinesStateError } from '../../../dist/worker/workflow/run-machine.js';
import { replayTask } from '../../../dist/worker/workflow/replay-task.js';
import { HistoryBuilder, CommandType, kinds, payload, runTask, valueOf } from './helpers/history-builder.js';

const newMachine = () => new WorkflowRunMachine({ namespace: 'default', taskQueue: 'q', workflowId: 'wf-1', runId: 'run-1', workflowType: 'wf' });
const timer = (seq, ms = 1000) => ({ kind: 'startTimer', seq, startToFireTimeoutMs: ms });
const activity = (seq, activityType, extra = {}) => ({
  kind: 'scheduleActivity',
  seq,
  activityId: String(seq),
  activityType,
  taskQueue: '',
  arguments: [payload('x')],
  headers: {},
  startToCloseTimeoutMs: 30_000,
  cancellationType: 'TRY_CANCEL',
  doNotEagerlyExecute: false,
  ...extra,
});
const complete = (value) => ({ kind: 'completeWorkflowExecution', result: payload(value) });

describe('first workflow task of a new run', () => {
  it('yields one initializeWorkflow activation with every start field, then the commands as protos', () => {
    const h = new HistoryBuilder({ runId: 'bc761765-7fca-4d3e-89ff-0fa49379dc7a' });
    h.started({
      memo: { fields: { m: payload(1) } },
      searchAttributes: { indexedFields: { CustomKeywordField: payload('k') } },
      workflowRunTimeout: { seconds: 60 },
      cronSchedule: '* * * * *',
      parentWorkflowNamespace: 'ns-parent',
      parentWorkflowExecution: { workflowId: 'p', runId: 'pr' },
      rootWorkflowExecution: { workflowId: 'r', runId: 'rr' },
      priority: { priorityKey: 3 },
      header: { fields: { h: payload('hv') } },
    });
    h.tick(250);
    const started = h.task();
    const m = newMachine();
    m.addWorkflowTask({ events: h.events, messages: [], startedEventId: started, previousStartedEventId: 0 });
    const a = m.nextActivation();
    assert.deepEqual(kinds(a), ['initializeWorkflow']);
    assert.equal(a.isReplaying, false);
    assert.equal(a.historyLength, 3);
    assert.equal(a.timestampMs, 1_700_000_000_250, 'workflow time is the WorkflowTaskStarted time');
    const init = a.jobs[0];
    assert.equal(init.workflowType, 'wf');
    assert.equal(init.workflowId, 'wf-1');
    assert.equal(init.namespace, 'default');
    assert.equal(init.taskQueue, 'q');
    assert.deepEqual(init.arguments.map(valueOf), ['arg']);
    assert.equal(valueOf(init.headers.h), 'hv');
    assert.equal(init.randomnessSeed, '8594972460177503024');
    assert.equal(init.identity, 'client@host');
    assert.equal(init.attempt, 1);
    assert.equal(init.firstExecutionRunId, 'bc761765-7fca-4d3e-89ff-0fa49379dc7a');
    assert.deepEqual(init.parent, { namespace: 'ns-parent', workflowId: 'p', runId: 'pr' });
    assert.deepEqual(init.root, { namespace: 'default', workflowId: 'r', runId: 'rr' });
    assert.equal(init.cronSchedule, '* * * * *');
    assert.equal(init.workflowRunTimeoutMs, 60_000);
    assert.equal(init.workflowTaskTimeoutMs, 10_000);
    assert.equal(valueOf(init.memo.m), 1);
    assert.equal(valueOf(init.searchAttributes.CustomKeywordField), 'k');
    assert.equal(init.startTimeMs, 1_700_000_000_000);
    assert.deepEqual(init.priority, { priorityKey: 3 });
    assert.equal(init.continuedFromExecutionRunId, undefined);
    assert.ok(!JSON.stringify(init, (k, v) => (typeof v === 'bigint' ? 'BIG' : v)).includes('"low"'), 'no Long objects in the job');

    m.completeActivation({ commands: [timer(1, 10_000), activity(1, 'greet', { summary: payload('s') })], sinkCalls: [] });
    assert.equal(m.nextActivation(), undefined);
    const response = m.takeTaskResponse();
    assert.equal(response.closed, false);
    assert.deepEqual(response.messages, []);
    assert.deepEqual(response.sdkMetadata, { coreUsedFlags: [1, 2, 3] }, 'a new task records all of Core\'s flags');
    const [t, s] = response.commands;
    assert.equal(t.commandType, CommandType.COMMAND_TYPE_START_TIMER);
    assert.equal(t.startTimerCommandAttributes.timerId, '1');
    assert.equal(Number(t.startTimerCommandAttributes.startToFireTimeout.seconds), 10);
    assert.equal(s.commandType, CommandType.COMMAND_TYPE_SCHEDULE_ACTIVITY_TASK);
    const sa = s.scheduleActivityTaskCommandAttributes;
    assert.equal(sa.activityId, '1');
    assert.equal(sa.activityType.name, 'greet');
    assert.equal(sa.taskQueue.name, 'q', 'an empty task queue defaults to the worker\'s');
    assert.equal(Number(sa.startToCloseTimeout.seconds), 30);
    assert.equal(sa.requestEagerExecution, true, 'an activity on the worker\'s own queue may run eagerly (the processor keeps it only with a reserved slot)');
    assert.deepEqual(sa.input.payloads.map(valueOf), ['x']);
    assert.equal(valueOf(s.userMetadata.summary), 's');
  });

  it('asks for eager execution only on the workflow\'s own task queue and when allowEagerDispatch is not false', () => {
    const h = new HistoryBuilder();
    h.started();
    const m = newMachine();
    m.addWorkflowTask({ events: h.events, messages: [], startedEventId: h.task() });
    runTask(m, () => [
      activity(1, 'a'),
      activity(2, 'b', { taskQueue: 'q' }),
      activity(3, 'c', { taskQueue: 'other' }),
      activity(4, 'd', { doNotEagerlyExecute: true }),
    ]);
    const eager = m.takeTaskResponse().commands.map((c) => c.scheduleActivityTaskCommandAttributes.requestEagerExecution);
    assert.deepEqual(eager, [true, true, false, false]);
  });

  it('completing the workflow closes the run', () => {
    const h = new HistoryBuilder();
    h.started();
    const started = h.task();
    const m = newMachine();
    m.addWorkflowTask({ events: h.events, messages: [], startedEventId: started });
    runTask(m, () => [complete('done')]);
    const response = m.takeTaskResponse();
    assert.equal(response.closed, true);
    assert.equal(response.commands.length, 1);
    assert.equal(response.commands[0].commandType, CommandType.COMMAND_TYPE_COMPLETE_WORKFLOW_EXECUTION);
    assert.deepEqual(response.commands[0].completeWorkflowExecutionCommandAttributes.result.payloads.map(valueOf), ['done']);
  });

  it('moves commands issued after the close command before it (Core\'s MoveTerminalCommands)', () => {
    const h = new HistoryBuilder();
    h.started();
    const started = h.task();
    const m = newMachine();
    m.addWorkflowTask({ events: h.events, messages: [], startedEventId: started });
    runTask(m, () => [complete('done'), timer(1), { kind: 'failWorkflowExecution', failure: { message: 'second' } }]);
    const types = m.takeTaskResponse().commands.map((c) => c.commandType);
    assert.deepEqual(types, [CommandType.COMMAND_TYPE_START_TIMER, CommandType.COMMAND_TYPE_COMPLETE_WORKFLOW_EXECUTION]);
  });
});

describe('a cached run receiving its next task', () => {
  it('matches the events of its own commands, then yields the new jobs as not replaying', () => {
    const h = new HistoryBuilder();
    h.started();
    const first = h.task();
    const m = newMachine();
    m.addWorkflowTask({ events: h.events, messages: [], startedEventId: first });
    runTask(m, () => [timer(1, 5000)]);
    m.takeTaskResponse();

    h.wftCompleted(2, first);
    const ts = h.timerStarted(1, 5000);
    h.tick(5000);
    h.timerFired(ts, 1);
    const second = h.task();
    m.addWorkflowTask({ events: h.events, messages: [], startedEventId: second, previousStartedEventId: first });
    const [a] = runTask(m, () => [complete('ok')]);
    assert.deepEqual(kinds(a), ['fireTimer']);
    assert.equal(a.jobs[0].seq, 1);
    assert.equal(a.isReplaying, false);
    assert.equal(a.historyLength, second);
    assert.equal(a.timestampMs, 1_700_000_005_000);
    const response = m.takeTaskResponse();
    assert.deepEqual(response.commands.map((c) => c.commandType), [CommandType.COMMAND_TYPE_COMPLETE_WORKFLOW_EXECUTION]);
    assert.deepEqual(response.sdkMetadata, {}, 'flags are recorded once per run');
    assert.equal(m.lastProcessedEventId, second);
  });

  it('accepts only the history tail (a sticky task) as well as the full history', () => {
    const h = new HistoryBuilder();
    h.started();
    const first = h.task();
    const m = newMachine();
    m.addWorkflowTask({ events: h.events, messages: [], startedEventId: first });
    runTask(m, () => [timer(1)]);
    m.takeTaskResponse();
    h.wftCompleted();
    const ts = h.timerStarted(1, 1000);
    h.timerFired(ts, 1);
    const second = h.task();
    m.addWorkflowTask({ events: h.events.slice(first), messages: [], startedEventId: second, previousStartedEventId: first });
    assert.deepEqual(kinds(m.nextActivation()), ['fireTimer']);
  });

  it('rejects a history with a gap, naming the event', () => {
    const h = new HistoryBuilder();
    h.started();
    h.task();
    const m = newMachine();
    assert.throws(() => m.addWorkflowTask({ events: [h.events[0], h.events[2]], messages: [], startedEventId: 3 }), {
      name: 'InvalidHistoryError',
      message: /event #1 of the task has id 3, expected 2/,
    });
  });
});

describe('replay of a multi-task history', () => {
  function timerActivityHistory(outcome) {
    const h = new HistoryBuilder();
    h.started();
    h.fullTask();
    const t = h.timerStarted(1, 1000);
    h.tick(1000);
    h.timerFired(t, 1);
    h.fullTask();
    const s = h.activityScheduled(1, 'greet');
    const st = h.activityStarted(s);
    h.tick(2000);
    if (outcome === 'completed') h.activityCompleted(s, st, 'hello');
    else if (outcome === 'failed') h.activityFailed(s, st, 'boom', 5);
    else h.activityTimedOut(s, st, 3);
    h.fullTask();
    h.completed('done');
    return { h, s, st };
  }

  const script = (a) => {
    if (a.jobs.some((j) => j.kind === 'initializeWorkflow')) return [timer(1)];
    if (a.jobs.some((j) => j.kind === 'fireTimer')) return [activity(1, 'greet')];
    return [complete('done')];
  };

  it('yields one replaying activation per task, with workflow time and history length of each', () => {
    const { h } = timerActivityHistory('completed');
    const m = newMachine();
    m.addWorkflowTask(replayTask(h.events));
    const acts = runTask(m, script);
    assert.deepEqual(acts.map(kinds), [['initializeWorkflow'], ['fireTimer'], ['resolveActivity']]);
    assert.ok(acts.every((a) => a.isReplaying));
    assert.deepEqual(acts.map((a) => a.historyLength), [3, 8, 14]);
    assert.deepEqual(acts.map((a) => a.timestampMs), [1_700_000_000_000, 1_700_000_001_000, 1_700_000_003_000]);
    assert.deepEqual(acts[2].jobs[0].result, { status: 'completed', result: acts[2].jobs[0].result.result });
    assert.equal(valueOf(acts[2].jobs[0].result.result), 'hello');
    assert.equal(m.lastProcessedEventId, h.lastId);
  });

  it('resolves a failed activity with an ActivityFailure whose cause is the event\'s failure', () => {
    const { h, s, st } = timerActivityHistory('failed');
    const m = newMachine();
    m.addWorkflowTask(replayTask(h.events));
    const acts = runTask(m, script);
    const { result } = acts[2].jobs[0];
    assert.equal(result.status, 'failed');
    assert.equal(result.failure.message, 'Activity task failed');
    assert.deepEqual(result.failure.activityFailureInfo, {
      identity: 'worker@host',
      activityType: { name: 'greet' },
      activityId: '1',
      retryState: 5,
      startedEventId: st,
      scheduledEventId: s,
    });
    assert.equal(result.failure.cause.message, 'boom');
    assert.equal(result.failure.cause.applicationFailureInfo.type, 'Error');
  });

  it('resolves a timed-out activity with an ActivityFailure (no identity) caused by the timeout', () => {
    const { h, s, st } = timerActivityHistory('timedOut');
    const m = newMachine();
    m.addWorkflowTask(replayTask(h.events));
    const { result } = runTask(m, script)[2].jobs[0];
    assert.equal(result.status, 'failed');
    assert.equal(result.failure.message, 'Activity task timed out');
    assert.equal(result.failure.activityFailureInfo.identity, undefined);
    assert.equal(result.failure.activityFailureInfo.retryState, 3);
    assert.equal(result.failure.activityFailureInfo.scheduledEventId, s);
    assert.equal(result.failure.activityFailureInfo.startedEventId, st);
    assert.equal(result.failure.cause.timeoutFailureInfo.timeoutType, 2);
  });

  it('ends with no response needed once the close event matched the close command', () => {
    const { h } = timerActivityHistory('completed');
    const m = newMachine();
    m.addWorkflowTask(replayTask(h.events));
    runTask(m, script);
    assert.equal(m.nextActivation(), undefined);
    assert.equal(m.takeTaskResponse().closed, true);
  });
});

describe('signals, cancel requests and failed workflow tasks', () => {
  it('delivers events of a failed task with the next one, and signals first in an activation', () => {
    const h = new HistoryBuilder();
    h.started();
    h.fullTask();
    const t = h.timerStarted(1, 1000);
    h.timerFired(t, 1);
    h.signaled('first', 1);
    h.task();
    h.wftFailed();
    h.signaled('second', 2);
    h.cancelRequested('enough');
    h.tick(300);
    const last = h.task();
    const m = newMachine();
    m.addWorkflowTask({ events: h.events, messages: [], startedEventId: last });
    const acts = runTask(m, (a) => (a.jobs.some((j) => j.kind === 'initializeWorkflow') ? [timer(1)] : [complete('bye')]));
    assert.equal(acts.length, 2);
    assert.deepEqual(kinds(acts[1]), ['signalWorkflow', 'signalWorkflow', 'fireTimer', 'cancelWorkflow']);
    assert.deepEqual(acts[1].jobs.slice(0, 2).map((j) => [j.signalName, valueOf(j.input[0])]), [['first', 1], ['second', 2]]);
    assert.equal(acts[1].jobs[3].reason, 'enough');
    assert.equal(acts[1].isReplaying, false, 'the last task is new work');
    assert.equal(acts[1].historyLength, last);
    assert.equal(acts[1].timestampMs, 1_700_000_000_300);
  });

  it('treats a task completed with no commands and rescheduled at once as a heartbeat (one activation)', () => {
    const h = new HistoryBuilder();
    h.started();
    h.fullTask();
    h.fullTask();
    const t = h.timerStarted(1, 1000);
    h.timerFired(t, 1);
    h.fullTask();
    h.completed('done');
    const m = newMachine();
    m.addWorkflowTask(replayTask(h.events));
    const acts = runTask(m, (a) => (a.jobs.some((j) => j.kind === 'initializeWorkflow') ? [timer(1)] : [complete('done')]));
    assert.deepEqual(acts.map((a) => a.historyLength), [6, 11]);
  });
});

describe('API contract', () => {
  it('validates its options and the order of calls', () => {
    assert.throws(() => new WorkflowRunMachine({ namespace: 'n' }), { name: 'TypeError', message: /'taskQueue' must be a string/ });
    const m = newMachine();
    assert.equal(m.nextActivation(), undefined, 'no task, no activation');
    assert.throws(() => m.completeActivation({ commands: [], sinkCalls: [] }), WorkflowMachinesStateError);
    const h = new HistoryBuilder();
    h.started();
    m.addWorkflowTask({ events: h.events, messages: [], startedEventId: h.task() });
    m.nextActivation();
    assert.throws(() => m.nextActivation(), /before the previous activation was completed/);
    assert.throws(() => m.takeTaskResponse(), /while an activation is outstanding/);
    assert.throws(() => m.completeActivation({}), TypeError);
  });

  it('builds query-only activations from a poll\'s queries', () => {
    const h = new HistoryBuilder();
    h.started();
    const m = newMachine();
    m.addWorkflowTask({ events: h.events, messages: [], startedEventId: h.task() });
    runTask(m, () => [timer(1)]);
    const q = m.queryActivation([{ queryId: 'q1', query: { queryType: 'status', queryArgs: { payloads: [payload(1)] }, header: { fields: {} } } }]);
    assert.equal(q.isReplaying, true);
    assert.deepEqual(q.jobs, [{ kind: 'queryWorkflow', queryId: 'q1', queryType: 'status', arguments: [q.jobs[0].arguments[0]], headers: {} }]);
    assert.equal(valueOf(q.jobs[0].arguments[0]), 1);
    assert.equal(m.takeTaskResponse().commands.length, 1, 'the query did not disturb the task');
  });
});
