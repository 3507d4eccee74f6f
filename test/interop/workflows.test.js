// Interop: official @temporalio/client + @temporalio/worker against duraflow's dev server —
// workflow features: timers, conditions, signals, queries, signalWithStart, cancel, terminate,
// workflow task failures vs workflow failures, run timeout, and replay of a fetched history.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ApplicationFailure,
  CancelledFailure,
  QueryNotRegisteredError,
  TerminatedFailure,
  TimeoutFailure,
  WorkflowFailedError,
} from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import * as activities from '../fixtures/interop/activities.js';
import {
  interopSuite,
  assertContiguousEventIds,
  eventsOfType,
  historyEvents,
  SCENARIO_TIMEOUT,
  summarizeHistory,
  uid,
  waitFor,
} from './helpers.js';

async function rejection(promise) {
  return await promise.then(
    (value) => assert.fail(`expected a rejection, got ${JSON.stringify(value)}`),
    (err) => err,
  );
}

describe('interop: official SDK workflows on the duraflow dev server', () => {
  const suite = interopSuite({ activities, queuePrefix: 'tq-wf' });
  const { withWorker } = suite;

  function start(type, taskQueue, args, options = {}) {
    return suite.env.client.workflow.start(type, { taskQueue, workflowId: uid(type), args, ...options });
  }

  /** Wait until the first workflow task of a run has completed (handlers are registered). */
  async function firstTaskCompleted(handle) {
    await waitFor('the first workflow task to complete', async () => {
      const events = await historyEvents(handle);
      return eventsOfType(events, 'WORKFLOW_TASK_COMPLETED').length > 0;
    });
  }

  it('6. sleep: a 1 s durable timer fires and the workflow returns', SCENARIO_TIMEOUT, async (t) => {
    await withWorker(t, async (taskQueue) => {
      const t0 = Date.now();
      const handle = await start('sleeper', taskQueue, [1000]);
      const workflowElapsed = await handle.result();
      const wallElapsed = Date.now() - t0;
      assert.ok(workflowElapsed >= 950, `workflow time advanced ${workflowElapsed} ms across a 1 s sleep`);
      assert.ok(wallElapsed >= 950, `result after ${wallElapsed} ms, before the 1 s timer`);
      assert.ok(wallElapsed < 30_000, `result took ${wallElapsed} ms`);
      const events = await historyEvents(handle);
      assert.equal(eventsOfType(events, 'TIMER_STARTED').length, 1, summarizeHistory(events));
      assert.equal(eventsOfType(events, 'TIMER_FIRED').length, 1, summarizeHistory(events));
      const fired = eventsOfType(events, 'TIMER_FIRED')[0].timerFiredEventAttributes;
      const startedEvent = eventsOfType(events, 'TIMER_STARTED')[0];
      assert.equal(Number(fired.startedEventId), Number(startedEvent.eventId));
      assertContiguousEventIds(assert, events);
    });
  });

  it('7. condition with a timeout: false when it times out, true when a signal satisfies it', SCENARIO_TIMEOUT, async (t) => {
    await withWorker(t, async (taskQueue) => {
      const timesOut = await start('conditionWithTimeout', taskQueue, ['500ms']);
      assert.equal(await timesOut.result(), false);

      const satisfied = await start('conditionWithTimeout', taskQueue, ['60s']);
      await firstTaskCompleted(satisfied);
      await satisfied.signal('unblock');
      assert.equal(await satisfied.result(), true);
      const events = await historyEvents(satisfied);
      // The condition's timer is cancelled once the condition is met.
      assert.equal(eventsOfType(events, 'TIMER_CANCELED').length, 1, summarizeHistory(events));
      assert.equal(eventsOfType(events, 'TIMER_FIRED').length, 0, summarizeHistory(events));
    });
  });

  it('8. signals are delivered to the handler in the order sent', SCENARIO_TIMEOUT, async (t) => {
    await withWorker(t, async (taskQueue) => {
      const handle = await start('collectSignals', taskQueue, [4]);
      for (const item of ['one', 'two', 'three', 'four']) {
        await handle.signal('add', item);
      }
      assert.deepEqual(await handle.result(), ['one', 'two', 'three', 'four']);
      const events = await historyEvents(handle);
      const signaled = eventsOfType(events, 'WORKFLOW_EXECUTION_SIGNALED');
      assert.deepEqual(
        signaled.map((e) => e.workflowExecutionSignaledEventAttributes.signalName),
        ['add', 'add', 'add', 'add'],
      );
      assertContiguousEventIds(assert, events);
    });
  });

  it('9. queries answer on a running workflow and on a completed one', SCENARIO_TIMEOUT, async (t) => {
    await withWorker(t, async (taskQueue) => {
      const handle = await start('queryable', taskQueue, []);
      await firstTaskCompleted(handle);
      assert.equal(await handle.query('state'), 'waiting');
      const unknown = await rejection(handle.query('no-such-query'));
      assert.ok(unknown instanceof QueryNotRegisteredError, `got ${unknown?.name}: ${unknown?.message}`);
      await handle.signal('finish');
      assert.equal(await handle.result(), 'done');
      assert.equal(await handle.query('state'), 'done');
      // Queries are not recorded in history.
      const events = await historyEvents(handle);
      assert.equal(eventsOfType(events, 'WORKFLOW_EXECUTION_SIGNALED').length, 1, summarizeHistory(events));
    });
  });

  it('10. signalWithStart starts a new workflow, and signals an existing running one', SCENARIO_TIMEOUT, async (t) => {
    await withWorker(t, async (taskQueue) => {
      // New workflow.
      const workflowId = uid('sws-new');
      const created = await suite.env.client.workflow.signalWithStart('collectSignals', {
        taskQueue,
        workflowId,
        args: [2],
        signal: 'add',
        signalArgs: ['first'],
      });
      assert.ok(created.signaledRunId, 'signalWithStart returned no run id');
      await created.signal('add', 'second');
      assert.deepEqual(await created.result(), ['first', 'second']);
      const createdDesc = await created.describe();
      assert.equal(createdDesc.runId, created.signaledRunId);

      // Existing running workflow: no new run, the signal goes to it.
      const existing = await start('collectSignals', taskQueue, [2]);
      await existing.signal('add', 'x');
      const again = await suite.env.client.workflow.signalWithStart('collectSignals', {
        taskQueue,
        workflowId: existing.workflowId,
        args: [2],
        signal: 'add',
        signalArgs: ['y'],
      });
      assert.equal(again.signaledRunId, existing.firstExecutionRunId);
      assert.deepEqual(await existing.result(), ['x', 'y']);
      const events = await historyEvents(existing);
      assert.equal(eventsOfType(events, 'WORKFLOW_EXECUTION_STARTED').length, 1, summarizeHistory(events));
      assert.equal(eventsOfType(events, 'WORKFLOW_EXECUTION_SIGNALED').length, 2, summarizeHistory(events));
    });
  });

  it('11. cancel: result rejects with CancelledFailure and the status is CANCELLED', SCENARIO_TIMEOUT, async (t) => {
    await withWorker(t, async (taskQueue) => {
      const handle = await start('waitForever', taskQueue, []);
      await firstTaskCompleted(handle);
      await handle.cancel();
      const err = await rejection(handle.result());
      assert.ok(err instanceof WorkflowFailedError, `got ${err?.name}: ${err?.message}`);
      assert.ok(err.cause instanceof CancelledFailure, `cause is ${err.cause?.name}`);
      const desc = await handle.describe();
      assert.equal(desc.status.name, 'CANCELLED');
      assert.ok(desc.closeTime instanceof Date);
      const events = await historyEvents(handle);
      assert.equal(eventsOfType(events, 'WORKFLOW_EXECUTION_CANCEL_REQUESTED').length, 1, summarizeHistory(events));
      assert.equal(eventsOfType(events, 'WORKFLOW_EXECUTION_CANCELED').length, 1, summarizeHistory(events));
    });
  });

  it('12. terminate: result rejects with TerminatedFailure and the status is TERMINATED', SCENARIO_TIMEOUT, async (t) => {
    await withWorker(t, async (taskQueue) => {
      const handle = await start('waitForever', taskQueue, []);
      await firstTaskCompleted(handle);
      await handle.terminate('enough waiting');
      const err = await rejection(handle.result());
      assert.ok(err instanceof WorkflowFailedError, `got ${err?.name}: ${err?.message}`);
      assert.ok(err.cause instanceof TerminatedFailure, `cause is ${err.cause?.name}`);
      assert.equal(err.cause.message, 'enough waiting');
      const desc = await handle.describe();
      assert.equal(desc.status.name, 'TERMINATED');
      const events = await historyEvents(handle);
      const last = events.at(-1);
      assert.equal(last.workflowExecutionTerminatedEventAttributes?.reason, 'enough waiting', summarizeHistory(events));
    });
  });

  it('13a. a plain Error fails the workflow task, which is retried until the code path changes', SCENARIO_TIMEOUT, async (t) => {
    await withWorker(t, async (taskQueue) => {
      const handle = await start('failsUntilFixed', taskQueue, [], { workflowTaskTimeout: '1s' });
      const failedEvents = await waitFor('a WorkflowTaskFailed event', async () => {
        const events = await historyEvents(handle);
        const failed = eventsOfType(events, 'WORKFLOW_TASK_FAILED');
        return failed.length > 0 ? failed : undefined;
      });
      const failedAttrs = failedEvents[0].workflowTaskFailedEventAttributes;
      assert.match(failedAttrs.failure?.message ?? '', /workflow bug: not fixed yet/);
      // The task is retried (attempts after the first are not reported by the SDK, so they time
      // out after workflowTaskTimeout). The server shows the retry either as a pending task with
      // attempt >= 2 (real server: transient task) or as further failed/timed-out task events.
      await waitFor('the workflow task to be retried', async () => {
        const desc = await handle.describe();
        assert.equal(desc.status.name, 'RUNNING');
        const pendingAttempt = desc.raw.pendingWorkflowTask?.attempt ?? 0;
        const events = await historyEvents(handle);
        const failures =
          eventsOfType(events, 'WORKFLOW_TASK_FAILED').length + eventsOfType(events, 'WORKFLOW_TASK_TIMED_OUT').length;
        return pendingAttempt >= 2 || failures >= 2;
      });
      assert.equal((await handle.describe()).status.name, 'RUNNING');
      await handle.signal('fix');
      assert.equal(await handle.result(), 'fixed');
      const events = await historyEvents(handle);
      assert.equal(eventsOfType(events, 'WORKFLOW_EXECUTION_COMPLETED').length, 1, summarizeHistory(events));
      assertContiguousEventIds(assert, events);
    });
  });

  it('13b. an ApplicationFailure thrown by the workflow fails the execution', SCENARIO_TIMEOUT, async (t) => {
    await withWorker(t, async (taskQueue) => {
      const handle = await start('throwsApplicationFailure', taskQueue, ['business rule violated']);
      const err = await rejection(handle.result());
      assert.ok(err instanceof WorkflowFailedError, `got ${err?.name}: ${err?.message}`);
      assert.ok(err.cause instanceof ApplicationFailure, `cause is ${err.cause?.name}`);
      assert.equal(err.cause.message, 'business rule violated');
      assert.equal(err.cause.type, 'WorkflowBusinessError');
      assert.deepEqual(err.cause.details, ['detail-1']);
      const desc = await handle.describe();
      assert.equal(desc.status.name, 'FAILED');
      const events = await historyEvents(handle);
      assert.equal(eventsOfType(events, 'WORKFLOW_TASK_FAILED').length, 0, summarizeHistory(events));
      assert.equal(eventsOfType(events, 'WORKFLOW_EXECUTION_FAILED').length, 1, summarizeHistory(events));
    });
  });

  it('15. workflowRunTimeout: a run that sleeps past it times out', SCENARIO_TIMEOUT, async (t) => {
    await withWorker(t, async (taskQueue) => {
      const handle = await start('sleeper', taskQueue, [10_000], { workflowRunTimeout: '1s' });
      const err = await rejection(handle.result());
      assert.ok(err instanceof WorkflowFailedError, `got ${err?.name}: ${err?.message}`);
      assert.ok(err.cause instanceof TimeoutFailure, `cause is ${err.cause?.name}`);
      const desc = await handle.describe();
      assert.equal(desc.status.name, 'TIMED_OUT');
      const events = await historyEvents(handle);
      assert.equal(events.at(-1).workflowExecutionTimedOutEventAttributes != null, true, summarizeHistory(events));
      assert.equal(eventsOfType(events, 'TIMER_FIRED').length, 0, summarizeHistory(events));
    });
  });

  it('18. the fetched history of a completed workflow replays with the official replayer', SCENARIO_TIMEOUT, async (t) => {
    await withWorker(t, async (taskQueue) => {
      const handle = await start('replayable', taskQueue, ['Replay']);
      await handle.signal('add', 'sig-1');
      assert.equal(await handle.result(), 'Hello, Replay! / sig-1');
      const history = await handle.fetchHistory();
      const events = history.events ?? [];
      assert.equal(eventsOfType(events, 'ACTIVITY_TASK_COMPLETED').length, 2, summarizeHistory(events));
      assert.equal(eventsOfType(events, 'TIMER_FIRED').length, 1, summarizeHistory(events));
      assert.equal(eventsOfType(events, 'WORKFLOW_EXECUTION_SIGNALED').length, 1, summarizeHistory(events));
      assertContiguousEventIds(assert, events);
      await Worker.runReplayHistory({ workflowBundle: suite.workflowBundle }, history, handle.workflowId);

      // Histories of other shapes replay too: timers cancelled by a condition, several signals.
      const cond = await start('conditionWithTimeout', taskQueue, ['60s']);
      await firstTaskCompleted(cond);
      await cond.signal('unblock');
      await cond.result();
      await Worker.runReplayHistory({ workflowBundle: suite.workflowBundle }, await cond.fetchHistory(), cond.workflowId);
    });
  });
});
