// Workflow runtime: signals (buffered, default handler), queries (success, unknown, throwing,
// built-in), updates (validator, accept/complete/fail, buffering, rejection).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as wf from '../../fixtures/workflows/messages.js';
import { commandsOf, failureError, jobs, kinds, resultOf, Run, runtime, value } from './helpers/harness.js';

const responses = (completion) => commandsOf(completion).filter((c) => c.kind === 'updateResponse');

describe('signals', () => {
  it('signals of the first activation are delivered once the workflow sets its handlers', async () => {
    const run = new Run(wf);
    const completion = await run.start('signalSum', {}, [jobs.signal('add', 5), jobs.signal('add', 7), jobs.signal('done')]);
    assert.equal(resultOf(completion), 12);
  });

  it('signals without a handler are buffered until setHandler, in arrival order', async () => {
    const run = new Run(wf);
    assert.deepEqual(kinds(await run.start('lateSignalHandler')), ['startTimer']);
    assert.deepEqual(kinds(await run.activate([jobs.signal('add', 1), jobs.signal('add', 2)])), []);
    assert.deepEqual(resultOf(await run.activate([jobs.signal('add', 3), jobs.fireTimer(1)])), [1, 2, 3]);
  });

  it('the default signal handler receives signals without a handler of their own', async () => {
    const run = new Run(wf);
    const completion = await run.start('defaultHandlers', {}, [jobs.signal('a', 1), jobs.signal('b', 'x', 'y')]);
    assert.deepEqual(resultOf(completion), [['a', 1], ['b', 'x', 'y']]);
  });

  it('a signal handler throwing an ApplicationFailure fails the execution', async () => {
    const run = new Run(wf);
    await run.start('signalHandlerFails');
    const [cmd] = commandsOf(await run.activate([jobs.signal('add', 1)]));
    assert.equal(cmd.kind, 'failWorkflowExecution');
    assert.equal(cmd.failure.message, 'bad signal');
  });

  it('warns about signal handlers still running when the workflow completes', async () => {
    const run = new Run(wf);
    assert.deepEqual(commandsOf(await run.start('unfinishedHandler')).map((c) => [c.kind, c.seq]), [['startTimer', 1]]);
    assert.deepEqual(commandsOf(await run.activate([jobs.signal('add')])).map((c) => [c.kind, c.seq]), [['startTimer', 2]]);
    const completion = await run.activate([jobs.fireTimer(1)]);
    assert.equal(resultOf(completion), 'finished');
    const warnings = completion.successful.sinkCalls.filter((c) => c.fnName === 'warn');
    assert.equal(warnings.length, 1);
    assert.match(warnings[0].args[0], /\[TMPRL1102\] Workflow finished while a signal handler was still running.*\[{"name":"add","count":1}\]/);
  });
});

describe('conditions', () => {
  it('tryUnblockConditions returns how many predicates became true since the last pass', async () => {
    const run = new Run(wf);
    await run.start('asyncFlag');
    runtime.activate({ runId: 'run-1', timestampMs: 0, isReplaying: false, historyLength: 9, historySizeBytes: 900, continueAsNewSuggested: false, jobs: [jobs.signal('add')] });
    assert.equal(runtime.tryUnblockConditions(), 0); // the handler has not passed its await yet
    await new Promise(setImmediate);
    assert.equal(runtime.tryUnblockConditions(), 1);
    assert.equal(runtime.tryUnblockConditions(), 0);
    await new Promise(setImmediate);
    assert.equal(resultOf(runtime.concludeActivation()), 'unblocked');
  });
});

describe('handler options', () => {
  it('unfinishedPolicy ABANDON silences the unfinished-handler warning', async () => {
    const run = new Run(wf);
    await run.start('abandonedHandler');
    await run.activate([jobs.signal('add')]);
    const completion = await run.activate([jobs.fireTimer(1)]);
    assert.equal(resultOf(completion), 'finished');
    assert.deepEqual(completion.successful.sinkCalls.filter((c) => c.fnName === 'warn'), []);
  });
});

describe('queries', () => {
  async function runningSum() {
    const run = new Run(wf);
    await run.start('signalSum', {}, [jobs.signal('add', 3)]);
    return run;
  }

  it('answers synchronously from the handler, with arguments', async () => {
    const run = await runningSum();
    const [cmd] = commandsOf(await run.activate([jobs.query('q1', 'total', 2)]));
    assert.equal(cmd.kind, 'respondToQuery');
    assert.equal(cmd.queryId, 'q1');
    assert.equal(value(cmd.result), 6);
    assert.equal(cmd.failure, undefined);
  });

  it('several queries of one activation each get a response', async () => {
    const run = await runningSum();
    const commands = commandsOf(await run.activate([jobs.query('a', 'total'), jobs.query('b', 'total', 10)]));
    assert.deepEqual(commands.map((c) => [c.queryId, value(c.result)]), [['a', 3], ['b', 30]]);
  });

  it('an unknown query fails, listing the registered queries', async () => {
    const run = await runningSum();
    const [cmd] = commandsOf(await run.activate([jobs.query('q2', 'nope')]));
    assert.equal(
      cmd.failure.message,
      'Workflow did not register a handler for nope. Registered queries: [__stack_trace __enhanced_stack_trace __temporal_workflow_metadata total failing asyncQuery commandQuery]'
    );
    assert.equal(cmd.failure.applicationFailureInfo.type, 'ReferenceError');
  });

  it('a throwing handler fails the query, not the workflow', async () => {
    const run = await runningSum();
    const [cmd] = commandsOf(await run.activate([jobs.query('q3', 'failing')]));
    assert.equal(cmd.failure.message, 'query blew up');
    assert.equal(resultOf(await run.activate([jobs.signal('done')])), 3);
  });

  it('a handler returning a promise fails with DeterminismViolationError', async () => {
    const run = await runningSum();
    const [cmd] = commandsOf(await run.activate([jobs.query('q4', 'asyncQuery')]));
    assert.equal(cmd.failure.message, 'Query handlers should not return a Promise');
    assert.equal(cmd.failure.applicationFailureInfo.type, 'DeterminismViolationError');
  });

  it('a handler issuing a command fails the query', async () => {
    const run = await runningSum();
    const commands = commandsOf(await run.activate([jobs.query('q5', 'commandQuery')]));
    assert.deepEqual(kinds({ successful: { commands } }), ['respondToQuery']);
    assert.equal(commands[0].failure.message, 'Query handlers must not issue commands (got modifyWorkflowProperties)');
  });

  it('the default query handler answers unknown queries', async () => {
    const run = new Run(wf);
    await run.start('defaultHandlers');
    const [cmd] = commandsOf(await run.activate([jobs.query('q', 'anything', 1, 2)]));
    assert.deepEqual(value(cmd.result), { name: 'anything', args: [1, 2] });
  });

  it('__stack_trace shows where the workflow waits (the fixture line)', async () => {
    const run = await runningSum();
    const [cmd] = commandsOf(await run.activate([jobs.query('st', '__stack_trace')]));
    const text = value(cmd.result);
    assert.match(text, /signalSum .*fixtures\/workflows\/messages\.js:\d+:\d+/);
  });

  it('__temporal_workflow_metadata lists the handlers', async () => {
    const run = new Run(wf);
    await run.start('updates');
    const [cmd] = commandsOf(await run.activate([jobs.query('md', '__temporal_workflow_metadata')]));
    const metadata = value(cmd.result);
    assert.equal(metadata.definition.type, 'updates');
    assert.deepEqual(metadata.definition.updateDefinitions.map((d) => d.name), ['addUpdate', 'slowUpdate', 'typeErrorUpdate']);
    assert.equal(metadata.definition.updateDefinitions[0].description, 'adds');
  });
});

describe('updates', () => {
  it('the validator rejects before acceptance; nothing else happens', async () => {
    const run = new Run(wf);
    await run.start('updates');
    const commands = commandsOf(await run.activate([jobs.update('u1', 'addUpdate', [-1])]));
    assert.equal(commands.length, 1);
    assert.equal(commands[0].protocolInstanceId, 'pi-u1');
    assert.equal(commands[0].rejected.message, 'negative: -1');
    assert.equal(commands[0].accepted, undefined);
  });

  it('accepted then completed with the handler result', async () => {
    const run = new Run(wf);
    await run.start('updates');
    const [accepted, completed] = responses(await run.activate([jobs.update('u2', 'addUpdate', [5])]));
    assert.deepEqual(accepted, { kind: 'updateResponse', protocolInstanceId: 'pi-u2', accepted: true });
    assert.equal(value(completed.completed), 5);
  });

  it('skips the validator when runValidator is false (replay of an accepted update)', async () => {
    const run = new Run(wf);
    await run.start('updates');
    const [accepted, completed] = responses(await run.activate([jobs.update('u3', 'addUpdate', [-4], { runValidator: false })]));
    assert.equal(accepted.accepted, true);
    assert.equal(value(completed.completed), -4);
  });

  it('an async handler completes later and sees its update info across awaits', async () => {
    const run = new Run(wf);
    await run.start('updates');
    const first = commandsOf(await run.activate([jobs.update('u4', 'slowUpdate', [false])]));
    assert.deepEqual(first.map((c) => c.kind), ['updateResponse', 'startTimer']);
    const [done] = responses(await run.activate([jobs.fireTimer(first[1].seq)]));
    assert.deepEqual(value(done.completed), { updateId: 'u4', name: 'slowUpdate', infoAfterAwait: 'u4' });
  });

  it('a handler throwing an ApplicationFailure fails the update, not the workflow', async () => {
    const run = new Run(wf);
    await run.start('updates');
    const first = commandsOf(await run.activate([jobs.update('u5', 'slowUpdate', [true])]));
    const [failed] = responses(await run.activate([jobs.fireTimer(first[1].seq)]));
    assert.equal(failureError(failed.failed).message, 'slow update failed');
    assert.equal(failed.completed, undefined);
  });

  it('a handler throwing a TypeError fails the workflow task', async () => {
    const run = new Run(wf);
    await run.start('updates');
    const completion = await run.activate([jobs.update('u6', 'typeErrorUpdate')]);
    assert.equal(completion.failed.failure.message, 'bug in update handler');
  });

  it('an update without handler (and no default) is rejected at the end of the activation', async () => {
    const run = new Run(wf);
    await run.start('lateUpdateHandler');
    const [rejected] = commandsOf(await run.activate([jobs.update('u7', 'addUpdate', [1])]));
    assert.equal(rejected.rejected.message, 'No registered handler for update: addUpdate');
    assert.equal(rejected.rejected.applicationFailureInfo.nonRetryable, true);
  });

  it('an update buffered in an activation runs when the handler is set later in that activation', async () => {
    const run = new Run(wf);
    await run.start('lateUpdateHandler');
    const commands = commandsOf(await run.activate([jobs.update('u8', 'addUpdate', [21]), jobs.fireTimer(1)]));
    const [accepted, completed] = commands.filter((c) => c.kind === 'updateResponse');
    assert.equal(accepted.accepted, true);
    assert.equal(value(completed.completed), 42);
  });

  it('the default update handler runs unknown updates', async () => {
    const run = new Run(wf);
    await run.start('defaultHandlers');
    const [, completed] = responses(await run.activate([jobs.update('u9', 'whatever', [1, 2])]));
    assert.equal(value(completed.completed), 'whatever:1,2');
  });

  it('validators log while replaying; the handler does not', async () => {
    const run = new Run(wf);
    await run.start('updates', {}, [], { isReplaying: true });
    const completion = await run.activate([jobs.update('u10', 'addUpdate', [1])], { isReplaying: true });
    const messages = completion.successful.sinkCalls.map((c) => [c.args[0], c.isReplaying]);
    assert.deepEqual(messages, [['validated', false]]);
  });

  it('reserved handler names are refused', async () => {
    const run = new Run(wf);
    const completion = await run.start('reservedName');
    assert.equal(completion.failed.failure.message, "Cannot use query name: '__stack_trace', which is a reserved name");
  });
});
