// Workflow runtime: workflow cancellation, cancellation scopes (cancellable, nonCancellable,
// withTimeout), conditions with and without timeout, Trigger, and the terminal command coming last.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ActivityFailure, CancelledFailure } from '../../../dist/common/index.js';
import * as wf from '../../fixtures/workflows/cancellation.js';
import { commandsOf, failure, jobs, kinds, resultOf, Run } from './helpers/harness.js';

const shape = (completion) => commandsOf(completion).map((c) => (c.seq === undefined ? c.kind : `${c.kind}#${c.seq}`));

/** The failure the worker reports for an activity whose cancellation completed. */
const cancelledActivity = (seq) => ({
  kind: 'resolveActivity',
  seq,
  isLocal: false,
  result: {
    status: 'cancelled',
    failure: failure(new ActivityFailure('Activity cancelled', 'slow', String(seq), 'CANCEL_REQUESTED', 'w', new CancelledFailure('cancelled'))),
  },
});

describe('workflow cancellation', () => {
  it('cancels a timer at once and ends with cancelWorkflowExecution', async () => {
    const run = new Run(wf);
    assert.deepEqual(shape(await run.start('sleepForever')), ['startTimer#1']);
    assert.deepEqual(shape(await run.activate([jobs.cancel()])), ['cancelTimer#1', 'cancelWorkflowExecution']);
  });

  it('requests activity cancellation; the cancelled resolution ends the workflow as cancelled', async () => {
    const run = new Run(wf);
    await run.start('activityForever');
    assert.deepEqual(shape(await run.activate([jobs.cancel()])), ['requestCancelActivity#1']);
    assert.deepEqual(shape(await run.activate([cancelledActivity(1)])), ['cancelWorkflowExecution']);
  });

  it('a workflow that handles the cancellation completes normally', async () => {
    const run = new Run(wf);
    await run.start('cancelledButCompletes');
    assert.deepEqual(shape(await run.activate([jobs.cancel()])), ['cancelTimer#1', 'scheduleActivity#1']);
    assert.equal(resultOf(await run.activate([jobs.activityCompleted(1, null)])), 'cleaned up');
  });

  it('a blocked condition rejects with CancelledFailure', async () => {
    const run = new Run(wf);
    assert.deepEqual(kinds(await run.start('conditionCancelled')), []);
    assert.deepEqual(kinds(await run.activate([jobs.cancel()])), ['cancelWorkflowExecution']);
  });

  it('cancellation in the first activation cancels before anything is scheduled', async () => {
    const run = new Run(wf);
    assert.deepEqual(kinds(await run.start('sleepForever', {}, [jobs.cancel()])), ['cancelWorkflowExecution']);
  });
});

describe('CancellationScope', () => {
  it('scope.cancel() cancels the timer it contains (cancelTimer + CancelledFailure)', async () => {
    const run = new Run(wf);
    const completion = await run.start('cancelScopeExplicitly');
    assert.deepEqual(shape(completion), ['startTimer#1', 'cancelTimer#1', 'completeWorkflowExecution']);
    assert.deepEqual(resultOf(completion), { cancelled: true, name: 'CancelledFailure', message: 'Cancellation scope cancelled' });
  });

  it('nonCancellable shields its work from workflow cancellation; the cancelled root refuses new timers', async () => {
    const run = new Run(wf);
    assert.deepEqual(shape(await run.start('shieldedCleanup')), ['startTimer#1']);
    assert.deepEqual(kinds(await run.activate([jobs.cancel()])), []);
    assert.deepEqual(shape(await run.activate([jobs.fireTimer(1)])), ['scheduleActivity#1']);
    assert.deepEqual(resultOf(await run.activate([jobs.activityCompleted(1, 'clean')])), { result: 'clean', afterCancel: true });
  });

  it('a cancellable scope inside a non-cancellable one is shielded; the request is still visible', async () => {
    const run = new Run(wf);
    await run.start('shieldedNested');
    assert.deepEqual(kinds(await run.activate([jobs.cancel()])), []);
    assert.deepEqual(resultOf(await run.activate([jobs.fireTimer(1)])), { consideredCancelled: false, requestSeen: true });
  });

  it('withTimeout starts a timer first and cancels the activity when it fires', async () => {
    const run = new Run(wf);
    const first = commandsOf(await run.start('withTimeoutActivity'));
    assert.deepEqual(first.map((c) => `${c.kind}#${c.seq}`), ['startTimer#1', 'scheduleActivity#1']);
    assert.equal(first[0].startToFireTimeoutMs, 1000);
    assert.deepEqual(shape(await run.activate([jobs.fireTimer(1)])), ['requestCancelActivity#1']);
    assert.deepEqual(resultOf(await run.activate([cancelledActivity(1)])), { timedOut: true, name: 'ActivityFailure' });
  });

  it('withTimeout cancels its timer when the work finishes first', async () => {
    const run = new Run(wf);
    await run.start('withTimeoutActivity');
    const completion = await run.activate([jobs.activityCompleted(1, 'fast')]);
    assert.deepEqual(shape(completion), ['cancelTimer#1', 'completeWorkflowExecution']);
    assert.equal(resultOf(completion), 'fast');
  });

  it('the scope follows its function across awaits (AsyncLocalStorage endowed by the host)', async () => {
    const run = new Run(wf);
    assert.deepEqual(shape(await run.start('scopeAcrossAwait')), ['startTimer#1', 'startTimer#2']);
    assert.deepEqual(shape(await run.activate([jobs.fireTimer(1)])), ['startTimer#3']);
    const completion = await run.activate([jobs.fireTimer(2)]);
    assert.deepEqual(shape(completion), ['cancelTimer#3', 'completeWorkflowExecution']);
    assert.equal(resultOf(completion), 'cancelled');
  });

  it('without AsyncLocalStorage the scope covers only the synchronous part of its function', async () => {
    const run = new Run(wf, { asyncContext: false });
    await run.start('scopeAcrossAwait');
    await run.activate([jobs.fireTimer(1)]);
    // Timer 3 was started after an await, so it is not linked to the cancelled scope.
    assert.deepEqual(kinds(await run.activate([jobs.fireTimer(2)])), []);
  });
});

describe('condition', () => {
  it('with a timeout: true when the predicate holds first (the timer is cancelled)', async () => {
    const run = new Run(wf);
    assert.deepEqual(commandsOf(await run.start('conditionWithTimeout')), [{ kind: 'startTimer', seq: 1, startToFireTimeoutMs: 3_600_000 }]);
    const completion = await run.activate([jobs.signal('go')]);
    assert.deepEqual(shape(completion), ['cancelTimer#1', 'completeWorkflowExecution']);
    assert.equal(resultOf(completion), true);
  });

  it('with a timeout: false when the timer fires first', async () => {
    const run = new Run(wf);
    await run.start('conditionWithTimeout');
    const completion = await run.activate([jobs.fireTimer(1)]);
    assert.deepEqual(shape(completion), ['completeWorkflowExecution']);
    assert.equal(resultOf(completion), false);
  });

  it('a zero timeout records the SDK patch marker, as the official SDK does', async () => {
    const run = new Run(wf);
    const commands = commandsOf(await run.start('conditionWithZeroTimeout'));
    assert.deepEqual(commands[0], { kind: 'setPatchMarker', patchId: '__sdk_internal_patch_number:1', deprecated: false });
    assert.deepEqual(commands[1], { kind: 'startTimer', seq: 1, startToFireTimeoutMs: 1 });
  });
});

describe('Trigger', () => {
  it('resolves from a signal handler', async () => {
    const run = new Run(wf);
    await run.start('triggerFromSignal');
    assert.equal(resultOf(await run.activate([jobs.signal('go', 'value')])), 'value');
  });

  it('rejects when its scope is cancelled', async () => {
    const run = new Run(wf);
    await run.start('triggerCancelled');
    assert.deepEqual(kinds(await run.activate([jobs.cancel()])), ['cancelWorkflowExecution']);
  });
});

describe('terminal command', () => {
  it('commands issued after the workflow returned are placed before the terminal command', async () => {
    const run = new Run(wf);
    const completion = await run.start('commandAfterReturn');
    assert.deepEqual(shape(completion), ['startTimer#1', 'completeWorkflowExecution']);
  });

  it('a second terminal command is dropped', async () => {
    const run = new Run(wf);
    const completion = await run.start('twoTerminalCommands', {}, [jobs.signal('go')]);
    assert.deepEqual(kinds(completion), ['completeWorkflowExecution']);
    assert.equal(resultOf(completion), 'completed first');
  });
});
