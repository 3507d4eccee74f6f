// WorkflowSandbox.replay: a sandbox thread replays a whole history with the state machines in the
// thread (what Worker.runReplayHistories uses without codecs). Outcomes: replayed (with the sink
// calls of every activation), a workflow task failure, a nondeterminism; stacks mapped to the source.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { bundleWorkflowCode } from '../../../dist/worker/bundler/index.js';
import { WorkflowSandbox } from '../../../dist/worker/sandbox/index.js';
import { temporal } from '../../../dist/proto/index.js';
import { markLine } from '../../fixtures/sandbox/activations.js';
import { HistoryBuilder, payload } from './helpers/history-builder.js';

const workflowsPath = new URL('../../fixtures/sandbox-replay/workflows.js', import.meta.url).pathname;
const line = (mark) => markLine(mark, workflowsPath);
const encode = (builder) => temporal.api.history.v1.History.encode({ events: builder.events }).finish();
const runOf = (runId, workflowType) => ({ namespace: 'default', taskQueue: 'q', workflowId: `wf-${runId}`, runId, workflowType });

/** A run of `workflowType` started with `args`, its first task completed. */
function startedHistory(runId, workflowType, args) {
  const h = new HistoryBuilder({ workflowType, runId });
  h.started({ input: { payloads: args.map(payload) } });
  h.fullTask();
  return h;
}

describe('WorkflowSandbox.replay', () => {
  let sandbox;
  before(async () => {
    sandbox = await WorkflowSandbox.create({ bundle: await bundleWorkflowCode({ workflowsPath }), threads: 1, activationTimeoutMs: 0 });
  });
  after(() => sandbox?.close());

  it('replays every workflow task of the history, the last one included, and returns the sink calls', async () => {
    const h = startedHistory('timers-1', 'timers', [3]);
    for (let timer = 1; timer <= 3; timer++) {
      h.timerFired(h.timerStarted(timer, 1), timer);
      if (timer < 3) h.fullTask();
    }
    h.task();
    const outcome = await sandbox.replay(runOf('timers-1', 'timers'), encode(h));
    assert.equal(outcome.kind, 'replayed');
    assert.deepEqual(outcome.sinkCalls.map((call) => call.args[0]), ['Workflow completed'], 'the last task ran: the workflow completed');
    assert.equal(sandbox.runCount, 1, 'the run stays until disposed');
    await sandbox.dispose('timers-1');
    assert.equal(sandbox.runCount, 0);
  });

  it('a workflow task failure is an outcome, with the stack mapped to the source', async () => {
    const h = startedHistory('fails-1', 'failsAfterTimer', []);
    h.timerFired(h.timerStarted(1, 1), 1);
    h.task();
    const outcome = await sandbox.replay(runOf('fails-1', 'failsAfterTimer'), encode(h));
    assert.equal(outcome.kind, 'failed');
    assert.equal(outcome.failure.message, 'the code is broken');
    assert.ok(outcome.failure.stackTrace.includes(`${workflowsPath}:${line('task-throw')}:`), outcome.failure.stackTrace);
    await sandbox.dispose('fails-1');
  });

  it('a nondeterminism is an outcome: what history and the code disagree on, and where the code issued its command', async () => {
    // History says the first task scheduled an activity; the code starts a timer.
    const h = startedHistory('nondet-1', 'timers', [1]);
    const scheduled = h.activityScheduled(1, 'other');
    h.activityCompleted(scheduled, h.activityStarted(scheduled), 'x');
    h.task();
    const outcome = await sandbox.replay(runOf('nondet-1', 'timers'), encode(h));
    assert.equal(outcome.kind, 'nondeterminism');
    assert.equal(outcome.details.eventId, scheduled);
    assert.equal(outcome.details.eventType, 'EVENT_TYPE_ACTIVITY_TASK_SCHEDULED');
    assert.match(outcome.details.actual, /^StartTimer/);
    assert.ok(outcome.stack.includes(`${workflowsPath}:${line('timer-sleep')}:`), outcome.stack);
    await sandbox.dispose('nondet-1');
  });

  it('validates its arguments; an undecodable history rejects with the reason', async () => {
    const run = runOf('bad-1', 'timers');
    await assert.rejects(sandbox.replay(run, 'not bytes'), /replay: the history must be a Uint8Array/);
    // An event said to be 5 bytes long, with 1 there.
    await assert.rejects(sandbox.replay(run, new Uint8Array([0x0a, 0x05, 0x08])), /index out of range/);
    await sandbox.dispose('bad-1');
  });
});
