// Workflow runtime: child workflows, external workflow handles, continue-as-new, patches,
// search attributes and memo, unhandled rejections.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApplicationFailure, ChildWorkflowFailure, CancelledFailure } from '../../../dist/common/index.js';
import * as wf from '../../fixtures/workflows/advanced.js';
import { commandsOf, failure, jobs, kinds, resultOf, Run, value } from './helpers/harness.js';

describe('child workflows', () => {
  it('executeChild: start, resolve start, resolve result', async () => {
    const run = new Run(wf);
    const [start] = commandsOf(await run.start('executesChild'));
    assert.equal(start.kind, 'startChildWorkflowExecution');
    assert.deepEqual(
      [start.seq, start.workflowType, start.namespace, start.taskQueue, start.parentClosePolicy, start.cancellationType],
      [1, 'childWorker', 'default', 'tq', 'TERMINATE', 'WAIT_CANCELLATION_COMPLETED']
    );
    assert.match(start.workflowId, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.deepEqual(start.input.map(value), [21]);
    assert.deepEqual(kinds(await run.activate([jobs.childStarted(1)])), []);
    assert.equal(resultOf(await run.activate([jobs.childCompleted(1, 42)])), 42);
  });

  it('startChild maps every option; the handle signals the child and returns its result', async () => {
    const run = new Run(wf);
    const [start] = commandsOf(await run.start('startsChildWithOptions'));
    assert.equal(start.workflowId, 'child-1');
    assert.equal(start.taskQueue, 'child-tq');
    assert.equal(start.parentClosePolicy, 'ABANDON');
    assert.equal(start.workflowIdReusePolicy, 'REJECT_DUPLICATE');
    assert.equal(start.cancellationType, 'TRY_CANCEL');
    assert.equal(start.retryPolicy.maximumAttempts, 3);
    assert.equal(start.cronSchedule, '* * * * *');
    assert.deepEqual(value(start.memo.note), 'hi');
    assert.deepEqual(value(start.searchAttributes.CustomKeywordField), ['x']);
    assert.deepEqual([start.workflowExecutionTimeoutMs, start.workflowRunTimeoutMs, start.workflowTaskTimeoutMs], [3_600_000, 1_800_000, 10_000]);
    assert.deepEqual(start.priority, { priorityKey: 3 });
    const [signal] = commandsOf(await run.activate([jobs.childStarted(1, 'child-run-1')]));
    assert.deepEqual(
      { ...signal, args: signal.args.map(value) },
      { kind: 'signalExternalWorkflowExecution', seq: 1, signalName: 'ping', args: ['hello'], headers: {}, childWorkflowId: 'child-1' }
    );
    await run.activate([jobs.signalExternalDone(1)]);
    const result = resultOf(await run.activate([jobs.childCompleted(1, 'child result')]));
    assert.deepEqual(result, { workflowId: 'child-1', runId: 'child-run-1', result: 'child result' });
  });

  it('a start failure rejects with WorkflowExecutionAlreadyStartedError', async () => {
    const run = new Run(wf);
    await run.start('childAlreadyStarted');
    const completion = await run.activate([jobs.childStartFailed(1, 'taken', 'someChild')]);
    assert.deepEqual(resultOf(completion), { name: 'WorkflowExecutionAlreadyStartedError', workflowId: 'taken', workflowType: 'someChild' });
  });

  it('cancelling the scope cancels the started child', async () => {
    const run = new Run(wf);
    await run.start('cancelsChild');
    await run.activate([jobs.childStarted(1)]);
    const [cancel] = commandsOf(await run.activate([jobs.fireTimer(1)]));
    assert.deepEqual(cancel, { kind: 'cancelChildWorkflowExecution', childWorkflowSeq: 1, reason: '' });
    const childCancelled = new ChildWorkflowFailure('default', { workflowId: 'c', runId: 'r' }, 'someChild', 'NON_RETRYABLE_FAILURE', new CancelledFailure('x'));
    const completion = await run.activate([{ kind: 'resolveChildWorkflowExecution', seq: 1, result: { status: 'cancelled', failure: failure(childCancelled) } }]);
    assert.deepEqual(resultOf(completion), { cancelled: true, name: 'ChildWorkflowFailure' });
  });
});

describe('external workflow handles', () => {
  it('signal then cancel another workflow by id and run id', async () => {
    const run = new Run(wf);
    const [signal] = commandsOf(await run.start('externalHandle'));
    assert.equal(signal.kind, 'signalExternalWorkflowExecution');
    assert.deepEqual(signal.workflowExecution, { namespace: 'default', workflowId: 'other-wf', runId: 'other-run' });
    assert.deepEqual(signal.args.map(value), [1, 2]);
    const [cancel] = commandsOf(await run.activate([jobs.signalExternalDone(1)]));
    assert.deepEqual(cancel, {
      kind: 'requestCancelExternalWorkflowExecution',
      seq: 1,
      workflowExecution: { namespace: 'default', workflowId: 'other-wf', runId: 'other-run' },
      reason: '',
    });
    assert.equal(resultOf(await run.activate([jobs.cancelExternalDone(1)])), 'done');
  });

  it('a failed signal delivery rejects the signal call', async () => {
    const run = new Run(wf);
    await run.start('externalHandle');
    const [cmd] = commandsOf(await run.activate([jobs.signalExternalDone(1, ApplicationFailure.create({ message: 'not found' }))]));
    assert.equal(cmd.kind, 'failWorkflowExecution');
    assert.equal(cmd.failure.message, 'not found');
  });
});

describe('continue-as-new', () => {
  it('continueAsNew(...) issues the command with this run’s type and task queue', async () => {
    const run = new Run(wf);
    const commands = commandsOf(await run.start('canDefault', { args: [3] }));
    assert.equal(commands.length, 1);
    const [cmd] = commands;
    assert.deepEqual(
      { ...cmd, arguments: cmd.arguments.map(value) },
      { kind: 'continueAsNewWorkflowExecution', workflowType: 'canDefault', taskQueue: 'tq', arguments: [2], headers: {} }
    );
  });

  it('makeContinueAsNewFunc maps its options', async () => {
    const run = new Run(wf);
    const [cmd] = commandsOf(await run.start('canWithOptions'));
    assert.equal(cmd.workflowType, 'otherType');
    assert.equal(cmd.taskQueue, 'other-tq');
    assert.deepEqual(cmd.arguments.map(value), ['x', 2]);
    assert.deepEqual([cmd.workflowRunTimeoutMs, cmd.workflowTaskTimeoutMs], [3_600_000, 5_000]);
    assert.equal(value(cmd.memo.m), 1);
    assert.deepEqual(value(cmd.searchAttributes.CustomIntField), [5]);
  });
});

describe('patches', () => {
  it('not replaying: patched() is true and records one marker per patch', async () => {
    const run = new Run(wf);
    const first = commandsOf(await run.start('usesPatch'));
    assert.deepEqual(first.map((c) => [c.kind, c.patchId, c.deprecated]), [
      ['setPatchMarker', 'my-patch', false],
      ['setPatchMarker', 'old-patch', true],
      ['startTimer', undefined, undefined],
    ]);
    const last = await run.activate([jobs.fireTimer(1)]);
    assert.deepEqual(kinds(last), ['setPatchMarker', 'completeWorkflowExecution']);
    assert.deepEqual(resultOf(last), { first: true, again: true, later: true });
  });

  it('replaying: only patches the history notified are active', async () => {
    const run = new Run(wf);
    const first = commandsOf(await run.start('usesPatch', {}, [jobs.notifyHasPatch('my-patch')], { isReplaying: true }));
    assert.deepEqual(first.map((c) => c.patchId ?? c.kind), ['my-patch', 'startTimer']);
    const last = await run.activate([jobs.fireTimer(1)], { isReplaying: true });
    assert.deepEqual(resultOf(last), { first: true, again: true, later: false });
  });

  it('notifyHasPatch outside replay fails the task', async () => {
    const run = new Run(wf);
    const completion = await run.start('usesPatch', {}, [jobs.notifyHasPatch('p')]);
    assert.match(completion.failed.failure.message, /Unexpected notifyHasPatch job on non-replay activation/);
  });
});

describe('search attributes and memo', () => {
  it('upserts issue commands and update workflowInfo', async () => {
    const run = new Run(wf);
    const completion = await run.start('upserts', { memo: { keep: (await import('./helpers/harness.js')).payload('kept') } });
    const [typed, legacy, memo] = commandsOf(completion);
    assert.equal(typed.kind, 'upsertWorkflowSearchAttributes');
    assert.equal(value(typed.searchAttributes.Status), 'active');
    assert.equal(new TextDecoder().decode(typed.searchAttributes.Status.metadata.type), 'Keyword');
    assert.deepEqual(value(legacy.searchAttributes.CustomIntField), [7]);
    assert.equal(memo.kind, 'modifyWorkflowProperties');
    assert.equal(value(memo.upsertedMemo.a), 1);
    assert.equal(value(memo.upsertedMemo.b), undefined);
    const result = resultOf(completion);
    assert.deepEqual(result.searchAttributes, { Status: ['active'], CustomIntField: [7] });
    assert.deepEqual(result.typed, [
      { key: { name: 'Status', type: 'KEYWORD' }, value: 'active' },
      { key: { name: 'CustomIntField', type: 'INT' }, value: 7 },
    ]);
    assert.deepEqual(result.memo, { keep: 'kept', a: 1 });
  });
});

describe('unhandled rejections', () => {
  it('fail the workflow task like the official SDK (message names the reason, cause kept)', async () => {
    const run = new Run(wf);
    const completion = await run.start('floatingRejection');
    assert.equal(run.unhandled.length, 1);
    assert.equal(completion.failed.failure.message, 'Unhandled Promise rejection: Error: nobody catches me');
    assert.equal(completion.failed.failure.cause.message, 'nobody catches me');
  });
});
