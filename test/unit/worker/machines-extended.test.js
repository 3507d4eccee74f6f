// Child workflows, external signals and cancellations, patches (core_patch markers and the
// TemporalChangeVersion upsert), search attribute / memo upserts, continue-as-new defaults and local
// activities (markers as Core writes them), live and on replay.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Long from 'long';
import { WorkflowRunMachine } from '../../../dist/worker/workflow/run-machine.js';
import { replayTask } from '../../../dist/worker/workflow/replay-task.js';
import { HistoryBuilder, CommandType, kinds, payload, runTask, valueOf } from './helpers/history-builder.js';

const newMachine = (extra = {}) => new WorkflowRunMachine({ namespace: 'default', taskQueue: 'q', workflowId: 'wf-1', runId: 'run-1', workflowType: 'wf', ...extra });
const id = (n) => Long.fromNumber(n);
const has = (a, kind) => a.jobs.some((j) => j.kind === kind);
const complete = { kind: 'completeWorkflowExecution', result: payload('done') };

/** A fresh run at its first task. */
function firstTask(options) {
  const h = new HistoryBuilder();
  h.started();
  const started = h.task();
  const m = newMachine(options);
  m.addWorkflowTask({ events: h.events, messages: [], startedEventId: started });
  return { h, m, started };
}

/** Appends the cached run's next task (after completing the previous one) and feeds it. */
function nextTask(h, m, previous, appendEvents) {
  h.wftCompleted(previous - 1, previous);
  appendEvents();
  const started = h.task();
  m.addWorkflowTask({ events: h.events, messages: [], startedEventId: started, previousStartedEventId: previous });
  return started;
}

const child = (cancellationType = 'WAIT_CANCELLATION_COMPLETED') => ({
  kind: 'startChildWorkflowExecution',
  seq: 1,
  namespace: '',
  workflowId: 'child-1',
  workflowType: 'childWf',
  taskQueue: '',
  input: [payload(1)],
  parentClosePolicy: 'ABANDON',
  workflowIdReusePolicy: 'REJECT_DUPLICATE',
  headers: {},
  memo: { note: payload('m') },
  cancellationType,
});

function childInitiated(h) {
  return h.add('EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED', 'startChildWorkflowExecutionInitiatedEventAttributes', {
    namespace: 'default',
    workflowId: 'child-1',
    workflowType: { name: 'childWf' },
    taskQueue: { name: 'q' },
  });
}
const childStarted = (h, init) =>
  h.add('EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_STARTED', 'childWorkflowExecutionStartedEventAttributes', {
    initiatedEventId: id(init),
    workflowExecution: { workflowId: 'child-1', runId: 'child-run' },
  });

describe('child workflows', () => {
  it('start command, started, then failed: resolutions carry a ChildWorkflowExecutionFailureInfo', () => {
    const { h, m, started } = firstTask();
    runTask(m, () => [child()]);
    const start = m.takeTaskResponse().commands[0];
    assert.equal(start.commandType, CommandType.COMMAND_TYPE_START_CHILD_WORKFLOW_EXECUTION);
    const a = start.startChildWorkflowExecutionCommandAttributes;
    assert.equal(a.namespace, 'default');
    assert.equal(a.taskQueue.name, 'q');
    assert.equal(a.workflowType.name, 'childWf');
    assert.equal(a.parentClosePolicy, 2, 'PARENT_CLOSE_POLICY_ABANDON');
    assert.equal(a.workflowIdReusePolicy, 3, 'WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE');
    assert.equal(valueOf(a.memo.fields.note), 'm');
    let init;
    const second = nextTask(h, m, started, () => {
      init = childInitiated(h);
      childStarted(h, init);
    });
    const [s] = runTask(m, () => []);
    assert.deepEqual(s.jobs, [{ kind: 'resolveChildWorkflowExecutionStart', seq: 1, result: { status: 'succeeded', runId: 'child-run' } }]);
    m.takeTaskResponse();
    nextTask(h, m, second, () =>
      h.add('EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_FAILED', 'childWorkflowExecutionFailedEventAttributes', {
        initiatedEventId: id(init),
        startedEventId: id(init + 1),
        failure: { message: 'child broke' },
        retryState: 2,
      })
    );
    const [f] = runTask(m, () => [complete]);
    const { result } = f.jobs[0];
    assert.equal(result.status, 'failed');
    assert.equal(result.failure.message, 'Child Workflow execution failed');
    assert.equal(result.failure.cause.message, 'child broke');
    assert.deepEqual(result.failure.childWorkflowExecutionFailureInfo, {
      namespace: 'default',
      workflowType: { name: 'childWf' },
      initiatedEventId: init,
      startedEventId: init + 1,
      retryState: 2,
      workflowExecution: { workflowId: 'child-1', runId: 'child-run' },
    });
  });

  it('timed out and terminated children resolve as failed with Core\'s failures', () => {
    const cases = {
      EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_TIMED_OUT: ['childWorkflowExecutionTimedOutEventAttributes', { retryState: 3 }, 'Child Workflow execution timed out', { message: 'Timed out', timeoutFailureInfo: { timeoutType: 1 } }, 3],
      EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_TERMINATED: ['childWorkflowExecutionTerminatedEventAttributes', {}, 'Child Workflow execution terminated', { message: 'Terminated', terminatedFailureInfo: {} }, 2],
    };
    for (const [type, [key, attrs, message, cause, retryState]] of Object.entries(cases)) {
      const h = new HistoryBuilder();
      h.started();
      h.fullTask();
      const init = childInitiated(h);
      childStarted(h, init);
      h.add(type, key, { initiatedEventId: id(init), startedEventId: id(init + 1), ...attrs });
      const last = h.task();
      const m = newMachine();
      m.addWorkflowTask({ events: h.events, messages: [], startedEventId: last });
      const acts = runTask(m, (a) => (has(a, 'initializeWorkflow') ? [child()] : []));
      const resolution = acts[1].jobs.find((j) => j.kind === 'resolveChildWorkflowExecution').result;
      assert.equal(resolution.status, 'failed', type);
      assert.equal(resolution.failure.message, message);
      assert.deepEqual(resolution.failure.cause, cause);
      assert.equal(resolution.failure.childWorkflowExecutionFailureInfo.retryState, retryState);
    }
  });

  it('TRY_CANCEL after start: requests the child\'s cancellation itself and resolves at once', () => {
    const { h, m, started } = firstTask();
    runTask(m, () => [child('TRY_CANCEL')]);
    m.takeTaskResponse();
    nextTask(h, m, started, () => childStarted(h, childInitiated(h)));
    const acts = runTask(m, (a) => (has(a, 'resolveChildWorkflowExecutionStart') ? [{ kind: 'cancelChildWorkflowExecution', childWorkflowSeq: 1, reason: 'no longer needed' }] : []));
    assert.deepEqual(acts.map(kinds), [['resolveChildWorkflowExecutionStart'], ['resolveChildWorkflowExecution']]);
    assert.equal(acts[1].jobs[0].result.status, 'cancelled');
    assert.equal(acts[1].jobs[0].result.failure.message, 'Child Workflow execution cancelled');
    const [cancel] = m.takeTaskResponse().commands;
    assert.equal(cancel.commandType, CommandType.COMMAND_TYPE_REQUEST_CANCEL_EXTERNAL_WORKFLOW_EXECUTION);
    assert.deepEqual(
      { ...cancel.requestCancelExternalWorkflowExecutionCommandAttributes },
      { namespace: 'default', workflowId: 'child-1', runId: 'child-run', childWorkflowOnly: true, reason: 'no longer needed' }
    );
  });

  it('cancelled before its start was sent: no command, the start resolves as cancelled', () => {
    const { m } = firstTask();
    const acts = runTask(m, (a) => (has(a, 'initializeWorkflow') ? [child(), { kind: 'cancelChildWorkflowExecution', childWorkflowSeq: 1, reason: 'r' }] : []));
    assert.deepEqual(acts.map(kinds), [['initializeWorkflow'], ['resolveChildWorkflowExecutionStart']]);
    assert.equal(acts[1].jobs[0].result.status, 'cancelled');
    assert.equal(acts[1].jobs[0].result.failure.message, 'Child Workflow Execution cancelled before scheduled: r');
    assert.deepEqual(m.takeTaskResponse().commands, []);
  });

  it('a start that failed (id in use) resolves with the cause', () => {
    const h = new HistoryBuilder();
    h.started();
    h.fullTask();
    const init = childInitiated(h);
    h.add('EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_FAILED', 'startChildWorkflowExecutionFailedEventAttributes', { initiatedEventId: id(init), cause: 1, workflowId: 'child-1' });
    const last = h.task();
    const m = newMachine();
    m.addWorkflowTask({ events: h.events, messages: [], startedEventId: last });
    const acts = runTask(m, (a) => (has(a, 'initializeWorkflow') ? [child()] : []));
    assert.deepEqual(acts[1].jobs[0].result, { status: 'failed', workflowId: 'child-1', workflowType: 'childWf', cause: 'WORKFLOW_ALREADY_EXISTS' });
  });

  it('a different child workflow id on replay is a nondeterminism', () => {
    const h = new HistoryBuilder();
    h.started();
    h.fullTask();
    childInitiated(h);
    const last = h.task();
    const m = newMachine();
    m.addWorkflowTask({ events: h.events, messages: [], startedEventId: last });
    m.nextActivation();
    assert.throws(() => m.completeActivation({ commands: [{ ...child(), workflowId: 'child-2' }], sinkCalls: [] }), {
      name: 'NondeterminismError',
      message:
        'Nondeterminism at event 5 (EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED): history expects StartChildWorkflowExecution(workflowType=childWf, workflowId=child-1) but the workflow code produced StartChildWorkflowExecution(workflowType=childWf, workflowId=child-2)',
    });
  });
});

describe('external signals and cancellations', () => {
  it('signal: command, then resolved (or failed with the cause as the failure type)', () => {
    const { h, m, started } = firstTask();
    runTask(m, () => [
      { kind: 'signalExternalWorkflowExecution', seq: 1, childWorkflowId: 'child-1', signalName: 'hey', args: [payload(1)], headers: {} },
      { kind: 'signalExternalWorkflowExecution', seq: 2, workflowExecution: { namespace: 'other', workflowId: 'x', runId: 'xr' }, signalName: 'ho', args: [], headers: {} },
    ]);
    const [toChild, toOther] = m.takeTaskResponse().commands.map((c) => c.signalExternalWorkflowExecutionCommandAttributes);
    assert.equal(toChild.childWorkflowOnly, true);
    assert.equal(toChild.namespace, 'default');
    assert.equal(toChild.execution.workflowId, 'child-1');
    assert.deepEqual(toChild.input.payloads.map(valueOf), [1]);
    assert.equal(toOther.childWorkflowOnly, false);
    assert.equal(toOther.namespace, 'other');
    assert.equal(toOther.execution.runId, 'xr');
    nextTask(h, m, started, () => {
      const i1 = h.add('EVENT_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED', 'signalExternalWorkflowExecutionInitiatedEventAttributes', { signalName: 'hey' });
      const i2 = h.add('EVENT_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED', 'signalExternalWorkflowExecutionInitiatedEventAttributes', { signalName: 'ho' });
      h.add('EVENT_TYPE_EXTERNAL_WORKFLOW_EXECUTION_SIGNALED', 'externalWorkflowExecutionSignaledEventAttributes', { initiatedEventId: id(i1) });
      h.add('EVENT_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_FAILED', 'signalExternalWorkflowExecutionFailedEventAttributes', { initiatedEventId: id(i2), cause: 1 });
    });
    const [a] = runTask(m, () => []);
    assert.deepEqual(a.jobs[0], { kind: 'resolveSignalExternalWorkflow', seq: 1 });
    assert.deepEqual(a.jobs[1], {
      kind: 'resolveSignalExternalWorkflow',
      seq: 2,
      failure: { message: 'Unable to signal external workflow because it was not found', applicationFailureInfo: { type: 'ExternalWorkflowExecutionNotFound' } },
    });
  });

  it('a signal cancelled before it was sent resolves as cancelled, without a command', () => {
    const { m } = firstTask();
    const acts = runTask(m, (a) =>
      has(a, 'initializeWorkflow')
        ? [{ kind: 'signalExternalWorkflowExecution', seq: 1, childWorkflowId: 'c', signalName: 's', args: [], headers: {} }, { kind: 'cancelSignalWorkflow', seq: 1 }]
        : []
    );
    assert.deepEqual(acts[1].jobs, [{ kind: 'resolveSignalExternalWorkflow', seq: 1, failure: { message: 'Signal was cancelled before being sent', canceledFailureInfo: {} } }]);
    assert.deepEqual(m.takeTaskResponse().commands, []);
  });

  it('external cancellation: command with Core\'s reason, resolved when requested', () => {
    const { h, m, started } = firstTask();
    runTask(m, () => [{ kind: 'requestCancelExternalWorkflowExecution', seq: 1, workflowExecution: { namespace: 'default', workflowId: 'x' }, reason: 'because' }]);
    const [c] = m.takeTaskResponse().commands;
    assert.equal(c.requestCancelExternalWorkflowExecutionCommandAttributes.reason, 'Cancel requested by workflow with run id run-1 with reason: because');
    nextTask(h, m, started, () => {
      const i = h.add('EVENT_TYPE_REQUEST_CANCEL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED', 'requestCancelExternalWorkflowExecutionInitiatedEventAttributes', {});
      h.add('EVENT_TYPE_EXTERNAL_WORKFLOW_EXECUTION_CANCEL_REQUESTED', 'externalWorkflowExecutionCancelRequestedEventAttributes', { initiatedEventId: id(i) });
    });
    assert.deepEqual(m.nextActivation().jobs, [{ kind: 'resolveRequestCancelExternalWorkflow', seq: 1 }]);
  });
});

describe('patches', () => {
  it('live: one core_patch marker per patch id, each followed by the TemporalChangeVersion upsert of all patches so far', () => {
    const { m } = firstTask();
    runTask(m, () => [
      { kind: 'setPatchMarker', patchId: 'p2', deprecated: false },
      { kind: 'setPatchMarker', patchId: 'p1', deprecated: true },
      { kind: 'setPatchMarker', patchId: 'p2', deprecated: false },
    ]);
    const commands = m.takeTaskResponse().commands;
    assert.deepEqual(commands.map((c) => c.commandType), [
      CommandType.COMMAND_TYPE_RECORD_MARKER,
      CommandType.COMMAND_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES,
      CommandType.COMMAND_TYPE_RECORD_MARKER,
      CommandType.COMMAND_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES,
    ]);
    assert.equal(commands[0].recordMarkerCommandAttributes.markerName, 'core_patch');
    assert.deepEqual(valueOf(commands[0].recordMarkerCommandAttributes.details['patch-data'].payloads[0]), { id: 'p2', deprecated: false });
    assert.deepEqual(valueOf(commands[2].recordMarkerCommandAttributes.details['patch-data'].payloads[0]), { id: 'p1', deprecated: true });
    const upsert = commands[3].upsertWorkflowSearchAttributesCommandAttributes.searchAttributes.indexedFields.TemporalChangeVersion;
    assert.deepEqual(valueOf(upsert), ['p1', 'p2']);
    assert.equal(new TextDecoder().decode(upsert.metadata.type), 'KeywordList');
    assert.equal(new TextDecoder().decode(upsert.metadata.encoding), 'json/plain');
  });

  it('replay: notifyHasPatch comes first in the activation of the task that recorded the marker', () => {
    const h = new HistoryBuilder();
    h.started();
    h.fullTask();
    h.patchMarker('p1');
    h.upsertChangeVersion(['p1']);
    h.completed('done');
    const m = newMachine();
    m.addWorkflowTask(replayTask(h.events));
    const acts = runTask(m, (a) => (has(a, 'notifyHasPatch') ? [{ kind: 'setPatchMarker', patchId: 'p1', deprecated: false }, complete] : []));
    assert.deepEqual(acts.map(kinds), [['initializeWorkflow', 'notifyHasPatch']]);
    assert.equal(acts[0].jobs[1].patchId, 'p1');
  });

  it('a deprecated marker (and its upsert) need no call in the code; a live one does', () => {
    const h = new HistoryBuilder();
    h.started();
    h.fullTask();
    h.patchMarker('old', true);
    h.upsertChangeVersion(['old']);
    h.completed('done');
    const ok = newMachine();
    ok.addWorkflowTask(replayTask(h.events));
    runTask(ok, () => [complete]);
    assert.equal(ok.takeTaskResponse().closed, true);

    const h2 = new HistoryBuilder();
    h2.started();
    h2.fullTask();
    h2.patchMarker('p1');
    h2.completed('done');
    const bad = newMachine();
    bad.addWorkflowTask(replayTask(h2.events));
    bad.nextActivation();
    assert.throws(() => bad.completeActivation({ commands: [complete], sinkCalls: [] }), {
      name: 'NondeterminismError',
      message: /event 5 \(EVENT_TYPE_MARKER_RECORDED\): history has the marker of patch 'p1' but the workflow code did not call patched\('p1'\) there/,
    });
  });

  it('an upsert of TemporalChangeVersion by the workflow itself is sent empty (Core manages it)', () => {
    const { m } = firstTask();
    runTask(m, () => [{ kind: 'upsertWorkflowSearchAttributes', searchAttributes: { TemporalChangeVersion: payload(['x']), Other: payload(1) } }]);
    const [c] = m.takeTaskResponse().commands;
    assert.deepEqual(c.upsertWorkflowSearchAttributesCommandAttributes.searchAttributes.indexedFields, {});
  });
});

describe('search attributes, memo and continue-as-new', () => {
  it('upserts and memo changes are sent as given and matched by kind on replay', () => {
    const { h, m, started } = firstTask();
    runTask(m, () => [
      { kind: 'upsertWorkflowSearchAttributes', searchAttributes: { CustomIntField: payload(3) } },
      { kind: 'modifyWorkflowProperties', upsertedMemo: { note: payload('n') } },
    ]);
    const [upsert, memo] = m.takeTaskResponse().commands;
    assert.equal(valueOf(upsert.upsertWorkflowSearchAttributesCommandAttributes.searchAttributes.indexedFields.CustomIntField), 3);
    assert.equal(valueOf(memo.modifyWorkflowPropertiesCommandAttributes.upsertedMemo.fields.note), 'n');
    nextTask(h, m, started, () => {
      h.add('EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES', 'upsertWorkflowSearchAttributesEventAttributes', { searchAttributes: { indexedFields: {} } });
      h.add('EVENT_TYPE_WORKFLOW_PROPERTIES_MODIFIED', 'workflowPropertiesModifiedEventAttributes', { upsertedMemo: { fields: {} } });
      h.signaled('go');
    });
    assert.deepEqual(kinds(m.nextActivation()), ['signalWorkflow']);
  });

  it('continue-as-new inherits the start\'s memo and retry policy and the current search attributes', () => {
    const h = new HistoryBuilder();
    h.started({
      memo: { fields: { m: payload(1) } },
      retryPolicy: { maximumAttempts: 4 },
      searchAttributes: { indexedFields: { A: payload('a') } },
    });
    const m = newMachine();
    m.addWorkflowTask({ events: h.events, messages: [], startedEventId: h.task() });
    runTask(m, () => [
      { kind: 'upsertWorkflowSearchAttributes', searchAttributes: { B: payload('b') } },
      { kind: 'continueAsNewWorkflowExecution', workflowType: 'wf', taskQueue: '', arguments: [payload(2)], headers: {} },
    ]);
    const { commands, closed } = m.takeTaskResponse();
    assert.equal(closed, true);
    const can = commands[1].continueAsNewWorkflowExecutionCommandAttributes;
    assert.equal(can.taskQueue.name, 'q');
    assert.equal(valueOf(can.memo.fields.m), 1);
    assert.equal(can.retryPolicy.maximumAttempts, 4);
    assert.deepEqual(Object.keys(can.searchAttributes.indexedFields).sort(), ['A', 'B']);
    assert.deepEqual(can.input.payloads.map(valueOf), [2]);
  });
});

describe('local activities', () => {
  const la = (seq, cancellationType = 'TRY_CANCEL') => ({
    kind: 'scheduleLocalActivity',
    seq,
    activityId: String(seq),
    activityType: 'quick',
    attempt: 1,
    arguments: [payload('in')],
    headers: {},
    startToCloseTimeoutMs: 5000,
    localRetryThresholdMs: 60_000,
    cancellationType,
  });

  it('live: requested from the worker, resolved in a further activation, recorded as Core\'s marker', () => {
    const { m } = firstTask({ now: () => 1_699_999_999_000 });
    m.nextActivation();
    m.completeActivation({ commands: [la(1)], sinkCalls: [] });
    assert.equal(m.nextActivation(), undefined);
    assert.equal(m.pendingLocalActivityCount, 1);
    assert.throws(() => m.takeTaskResponse(), /local activities are running/);
    const requests = m.takeLocalActivityRequests();
    assert.deepEqual(requests.map((r) => [r.kind, r.command.seq, r.command.originalScheduleTimeMs]), [['start', 1, 1_699_999_999_000]]);
    m.resolveLocalActivity(1, { outcome: { status: 'completed', result: payload('out') }, attempt: 1, runtimeMs: 40 });
    const a = m.nextActivation();
    assert.deepEqual(a.jobs.map((j) => [j.kind, j.isLocal, j.result.status]), [['resolveActivity', true, 'completed']]);
    assert.equal(valueOf(a.jobs[0].result.result), 'out');
    assert.equal(a.timestampMs, 1_700_000_000_040, 'workflow time advances by the activity\'s run time');
    m.completeActivation({ commands: [complete], sinkCalls: [] });
    const { commands } = m.takeTaskResponse();
    assert.equal(commands[0].commandType, CommandType.COMMAND_TYPE_RECORD_MARKER);
    const marker = commands[0].recordMarkerCommandAttributes;
    assert.equal(marker.markerName, 'core_local_activity');
    assert.deepEqual(valueOf(marker.details.data.payloads[0]), {
      seq: 1,
      attempt: 1,
      activity_id: '1',
      activity_type: 'quick',
      complete_time: { seconds: 1_700_000_000, nanos: 40_000_000 },
      backoff: null,
      original_schedule_time: { seconds: 1_699_999_999, nanos: 0 },
    });
    assert.equal(valueOf(marker.details.result.payloads[0]), 'out');
  });

  it('replay: resolved from its marker, never requested, marker matched', () => {
    const h = new HistoryBuilder();
    h.started();
    h.fullTask();
    h.localActivityMarker(1, 'quick', 'out');
    h.localActivityMarker(2, 'quick', undefined, { failure: { message: 'la failed', applicationFailureInfo: { type: 'E' } } });
    h.completed('done');
    const m = newMachine();
    m.addWorkflowTask(replayTask(h.events));
    const acts = runTask(m, (a) => {
      if (has(a, 'initializeWorkflow')) return [la(1)];
      if (a.jobs.some((j) => j.seq === 1)) return [la(2)];
      return [complete];
    });
    assert.deepEqual(acts.map(kinds), [['initializeWorkflow'], ['resolveActivity'], ['resolveActivity']]);
    assert.equal(valueOf(acts[1].jobs[0].result.result), 'out');
    assert.deepEqual(acts[2].jobs[0].result, { status: 'failed', failure: { message: 'la failed', applicationFailureInfo: { type: 'E' } } });
    assert.deepEqual(m.takeLocalActivityRequests(), []);
  });

  it('a different local activity type on replay is a nondeterminism', () => {
    const h = new HistoryBuilder();
    h.started();
    h.fullTask();
    h.localActivityMarker(1, 'quick', 'out');
    h.completed('done');
    const m = newMachine();
    m.addWorkflowTask(replayTask(h.events));
    m.nextActivation();
    m.completeActivation({ commands: [{ ...la(1), activityType: 'slow' }], sinkCalls: [] });
    m.nextActivation();
    assert.throws(() => m.completeActivation({ commands: [complete], sinkCalls: [] }), {
      name: 'NondeterminismError',
      message: /history expects local activity \(seq=1, activityType=quick, activityId=1\) but the workflow code produced local activity \(seq=1, activityType=slow, activityId=1\)/,
    });
  });

  it('a retry after a backoff timer resolves as backoff with the next attempt', () => {
    const { m } = firstTask();
    m.nextActivation();
    m.completeActivation({ commands: [la(1)], sinkCalls: [] });
    m.takeLocalActivityRequests();
    m.resolveLocalActivity(1, { outcome: { status: 'failed', failure: { message: 'try again' } }, attempt: 3, backoffMs: 90_000, originalScheduleTimeMs: 5000 });
    const a = m.nextActivation();
    assert.deepEqual(a.jobs[0].result, { status: 'backoff', attempt: 4, backoffMs: 90_000, originalScheduleTimeMs: 5000 });
    m.completeActivation({ commands: [], sinkCalls: [] });
    const marker = m.takeTaskResponse().commands[0].recordMarkerCommandAttributes;
    assert.deepEqual(valueOf(marker.details.data.payloads[0]).backoff, { seconds: 90, nanos: 0 });
    assert.equal(marker.failure.message, 'try again');
  });

  it('TRY_CANCEL while running: the worker is told to stop it and the workflow sees it cancelled at once', () => {
    const { m } = firstTask();
    m.nextActivation();
    m.completeActivation({ commands: [la(1), la(2)], sinkCalls: [] });
    assert.deepEqual(m.takeLocalActivityRequests().map((r) => r.command.seq), [1, 2]);
    m.resolveLocalActivity(1, { outcome: { status: 'completed', result: payload(1) }, attempt: 1 });
    assert.deepEqual(kinds(m.nextActivation()), ['resolveActivity']);
    m.completeActivation({ commands: [{ kind: 'requestCancelLocalActivity', seq: 2 }], sinkCalls: [] });
    const a = m.nextActivation();
    assert.deepEqual(a.jobs.map((j) => [j.seq, j.result.status]), [[2, 'cancelled']]);
    assert.equal(a.jobs[0].result.failure.message, 'Local Activity cancelled');
    assert.deepEqual(a.jobs[0].result.failure.cause, { message: 'Activity cancelled', canceledFailureInfo: {} });
    m.completeActivation({ commands: [complete], sinkCalls: [] });
    assert.deepEqual(m.takeLocalActivityRequests(), [{ kind: 'cancelAll' }], 'closing the run stops what still runs');
    const commands = m.takeTaskResponse().commands;
    assert.deepEqual(commands.map((c) => c.commandType), [CommandType.COMMAND_TYPE_RECORD_MARKER, CommandType.COMMAND_TYPE_RECORD_MARKER, CommandType.COMMAND_TYPE_COMPLETE_WORKFLOW_EXECUTION]);
    assert.equal(commands[1].recordMarkerCommandAttributes.failure.message, 'Activity cancelled');
  });

  it('WAIT_CANCELLATION_COMPLETED while running: resolves when the worker reports the cancellation', () => {
    const { m } = firstTask();
    m.nextActivation();
    m.completeActivation({ commands: [la(1, 'WAIT_CANCELLATION_COMPLETED'), la(2)], sinkCalls: [] });
    m.takeLocalActivityRequests();
    m.resolveLocalActivity(2, { outcome: { status: 'completed' }, attempt: 1 });
    m.nextActivation();
    m.completeActivation({ commands: [{ kind: 'requestCancelLocalActivity', seq: 1 }], sinkCalls: [] });
    assert.equal(m.nextActivation(), undefined);
    assert.deepEqual(m.takeLocalActivityRequests(), [{ kind: 'cancel', seq: 1 }]);
    m.resolveLocalActivity(1, { outcome: { status: 'cancelled', failure: { message: 'Activity cancelled', canceledFailureInfo: {} } }, attempt: 1 });
    assert.deepEqual(m.nextActivation().jobs.map((j) => [j.seq, j.result.status]), [[1, 'cancelled']]);
  });

  it('a workflow task heartbeat answers the task while a local activity runs; it resolves in a later task', () => {
    const { h, m, started } = firstTask();
    m.nextActivation();
    m.completeActivation({ commands: [{ kind: 'startTimer', seq: 1, startToFireTimeoutMs: 60_000 }, la(1)], sinkCalls: [] });
    m.takeLocalActivityRequests();
    const heartbeat = m.takeTaskResponse({ localActivityHeartbeat: true });
    assert.deepEqual(heartbeat.commands.map((c) => c.commandType), [CommandType.COMMAND_TYPE_START_TIMER]);
    const second = nextTask(h, m, started, () => h.timerStarted(1, 60_000));
    assert.equal(m.nextActivation(), undefined, 'nothing new for the workflow in the heartbeat task');
    m.resolveLocalActivity(1, { outcome: { status: 'completed', result: payload('late') }, attempt: 1 });
    assert.deepEqual(kinds(m.nextActivation()), ['resolveActivity']);
    m.completeActivation({ commands: [complete], sinkCalls: [] });
    const { commands } = m.takeTaskResponse();
    assert.deepEqual(commands.map((c) => c.commandType), [CommandType.COMMAND_TYPE_RECORD_MARKER, CommandType.COMMAND_TYPE_COMPLETE_WORKFLOW_EXECUTION]);
    assert.ok(second > started);
  });

  it('closing the run stops every local activity', () => {
    const { m } = firstTask();
    m.nextActivation();
    m.completeActivation({ commands: [la(1), complete], sinkCalls: [] });
    assert.deepEqual(m.takeLocalActivityRequests(), [{ kind: 'cancelAll' }]);
    assert.equal(m.pendingLocalActivityCount, 0);
    assert.equal(m.takeTaskResponse().closed, true);
  });
});
