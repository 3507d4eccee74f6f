// Interop: official @temporalio/client + @temporalio/worker against duraflow's dev server —
// activities: success, retries with backoff, non-retryable failures, heartbeats, cancellation,
// heartbeat details across attempts, start-to-close and heartbeat timeouts.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ActivityFailure,
  ApplicationFailure,
  TimeoutFailure,
  WorkflowFailedError,
} from '@temporalio/client';
import * as activities from '../fixtures/interop/activities.js';
import { recorded } from '../fixtures/interop/probe.js';
import {
  interopSuite,
  eventsOfType,
  runWorker,
  historyEvents,
  SCENARIO_TIMEOUT,
  summarizeHistory,
  uid,
  waitFor,
} from './helpers.js';

describe('interop: official SDK activities on the duraflow dev server', () => {
  const suite = interopSuite({ activities, queuePrefix: 'tq-act' });
  const { withWorker } = suite;

  function start(type, taskQueue, args) {
    return suite.env.client.workflow.start(type, { taskQueue, workflowId: uid(type), args });
  }

  it('1. returns the result of an activity that succeeds', SCENARIO_TIMEOUT, async (t) => {
    await withWorker(t, async (taskQueue) => {
      const handle = await start('runActivity', taskQueue, ['Temporal']);
      assert.equal(await handle.result(), 'Hello, Temporal!');
      const events = await historyEvents(handle);
      assert.equal(eventsOfType(events, 'ACTIVITY_TASK_SCHEDULED').length, 1, summarizeHistory(events));
      assert.equal(eventsOfType(events, 'ACTIVITY_TASK_STARTED').length, 1, summarizeHistory(events));
      assert.equal(eventsOfType(events, 'ACTIVITY_TASK_COMPLETED').length, 1, summarizeHistory(events));
    });
  });

  it('2. retries retryable failures with exponential backoff, then succeeds', SCENARIO_TIMEOUT, async (t) => {
    const key = uid('flaky');
    await withWorker(t, async (taskQueue) => {
      const handle = await start('retryingActivity', taskQueue, [key]);
      assert.equal(await handle.result(), 'succeeded on attempt 3');
      const attempts = recorded(key);
      assert.deepEqual(
        attempts.map((a) => a.attempt),
        [1, 2, 3],
      );
      const gap1 = attempts[1].at - attempts[0].at;
      const gap2 = attempts[2].at - attempts[1].at;
      // initialInterval 200 ms, backoffCoefficient 2: the waits are >= 200 ms then >= 400 ms.
      assert.ok(gap1 >= 180, `first retry came after ${gap1} ms, expected >= 200 ms backoff`);
      assert.ok(gap2 >= 360, `second retry came after ${gap2} ms, expected >= 400 ms backoff`);
      assert.ok(gap2 > gap1, `backoff did not grow: gap1=${gap1} ms, gap2=${gap2} ms`);
      // Server-side retries are not separate scheduled events: one ActivityTaskScheduled.
      const events = await historyEvents(handle);
      assert.equal(eventsOfType(events, 'ACTIVITY_TASK_SCHEDULED').length, 1, summarizeHistory(events));
      const started = eventsOfType(events, 'ACTIVITY_TASK_STARTED');
      assert.equal(started.length, 1, summarizeHistory(events));
      assert.equal(started[0].activityTaskStartedEventAttributes.attempt, 3);
    });
  });

  it('3. a non-retryable ApplicationFailure fails the workflow with ActivityFailure -> ApplicationFailure', SCENARIO_TIMEOUT, async (t) => {
    const key = uid('nonretryable');
    await withWorker(t, async (taskQueue) => {
      const handle = await start('nonRetryableActivity', taskQueue, [key, 'name must not be empty']);
      const err = await handle.result().then(
        () => assert.fail('expected the workflow to fail'),
        (e) => e,
      );
      assert.ok(err instanceof WorkflowFailedError, `got ${err?.name}: ${err?.message}`);
      assert.ok(err.cause instanceof ActivityFailure, `cause is ${err.cause?.name}`);
      assert.equal(err.cause.activityType, 'failNonRetryable');
      const appFailure = err.cause.cause;
      assert.ok(appFailure instanceof ApplicationFailure, `cause.cause is ${appFailure?.name}`);
      assert.equal(appFailure.message, 'name must not be empty');
      assert.equal(appFailure.type, 'BadInputError');
      assert.equal(appFailure.nonRetryable, true);
      assert.deepEqual(appFailure.details, [{ field: 'name' }]);
      // Not retried although the retry policy allows 5 attempts.
      assert.deepEqual(
        recorded(key).map((a) => a.attempt),
        [1],
      );
      const desc = await handle.describe();
      assert.equal(desc.status.name, 'FAILED');
    });
  });

  it('4a. a workflow cancels a heartbeating activity; both sides see the cancellation', SCENARIO_TIMEOUT, async (t) => {
    const key = uid('cancel-activity');
    await withWorker(t, async (taskQueue) => {
      const handle = await start('cancelHeartbeatingActivity', taskQueue, [key]);
      await waitFor('the activity to start heartbeating', () => recorded(key).some((r) => r.event === 'started'));
      await handle.signal('cancelActivity');
      const result = await handle.result();
      assert.deepEqual(result, {
        outcome: 'failed',
        isCancellation: true,
        isActivityFailure: true,
        causeIsCancelledFailure: true,
      });
      const cancelled = recorded(key).find((r) => r.event === 'cancelled');
      assert.ok(cancelled, `activity did not observe cancellation: ${JSON.stringify(recorded(key))}`);
      assert.equal(cancelled.errorIsCancelledFailure, true);
      assert.equal(cancelled.signalAborted, true);
      const events = await historyEvents(handle);
      assert.equal(eventsOfType(events, 'ACTIVITY_TASK_CANCEL_REQUESTED').length, 1, summarizeHistory(events));
      assert.equal(eventsOfType(events, 'ACTIVITY_TASK_CANCELED').length, 1, summarizeHistory(events));
    });
  });

  it('4b. heartbeat details of a failed attempt are given to the next attempt', SCENARIO_TIMEOUT, async (t) => {
    const key = uid('hb-details');
    await withWorker(t, async (taskQueue) => {
      const handle = await start('heartbeatDetailsAcrossAttempts', taskQueue, [key]);
      const result = await handle.result();
      assert.deepEqual(result, { attempt: 2, heartbeatDetails: { progress: 42, note: 'halfway' } });
      const attempts = recorded(key);
      assert.equal(attempts[0].attempt, 1);
      assert.equal(attempts[0].heartbeatDetails, undefined);
    });
  });

  it('5a. an activity exceeding startToCloseTimeout fails with TimeoutFailure START_TO_CLOSE', SCENARIO_TIMEOUT, async (t) => {
    const key = uid('stc');
    await withWorker(t, async (taskQueue) => {
      const handle = await start('startToCloseTimeout', taskQueue, [key]);
      const t0 = Date.now();
      const err = await handle.result().then(
        () => assert.fail('expected the workflow to fail'),
        (e) => e,
      );
      assert.ok(err instanceof WorkflowFailedError, `got ${err?.name}: ${err?.message}`);
      assert.ok(err.cause instanceof ActivityFailure, `cause is ${err.cause?.name}`);
      assert.ok(err.cause.cause instanceof TimeoutFailure, `cause.cause is ${err.cause.cause?.name}`);
      assert.equal(err.cause.cause.timeoutType, 'START_TO_CLOSE');
      // The activity sleeps 4 s; the 1 s timeout must fire well before it would finish.
      assert.ok(!recorded(key).some((r) => r.event === 'finished'), 'workflow failed only after the activity finished');
      assert.ok(Date.now() - t0 < 30_000);
      const events = await historyEvents(handle);
      assert.equal(eventsOfType(events, 'ACTIVITY_TASK_TIMED_OUT').length, 1, summarizeHistory(events));
    });
  });

  it('5b. an activity that stops heartbeating fails with TimeoutFailure HEARTBEAT', SCENARIO_TIMEOUT, async (t) => {
    const key = uid('hbto');
    await withWorker(t, async (taskQueue) => {
      const handle = await start('heartbeatTimeout', taskQueue, [key]);
      const err = await handle.result().then(
        () => assert.fail('expected the workflow to fail'),
        (e) => e,
      );
      assert.ok(err instanceof WorkflowFailedError, `got ${err?.name}: ${err?.message}`);
      assert.ok(err.cause instanceof ActivityFailure, `cause is ${err.cause?.name}`);
      assert.ok(err.cause.cause instanceof TimeoutFailure, `cause.cause is ${err.cause.cause?.name}`);
      assert.equal(err.cause.cause.timeoutType, 'HEARTBEAT');
      assert.equal(err.cause.cause.lastHeartbeatDetails, 'still alive');
    });
  });

  it('5c. an activity nobody picks up fails with TimeoutFailure SCHEDULE_TO_START (not retried)', SCENARIO_TIMEOUT, async (t) => {
    await withWorker(t, async (taskQueue) => {
      const handle = await start('scheduleToStartTimeout', taskQueue, [uid('tq-nobody')]);
      const err = await handle.result().then(
        () => assert.fail('expected the workflow to fail'),
        (e) => e,
      );
      assert.ok(err instanceof WorkflowFailedError, `got ${err?.name}: ${err?.message}`);
      assert.ok(err.cause instanceof ActivityFailure, `cause is ${err.cause?.name}`);
      assert.ok(err.cause.cause instanceof TimeoutFailure, `cause.cause is ${err.cause.cause?.name}`);
      assert.equal(err.cause.cause.timeoutType, 'SCHEDULE_TO_START');
      const events = await historyEvents(handle);
      assert.equal(eventsOfType(events, 'ACTIVITY_TASK_STARTED').length, 0, summarizeHistory(events));
      assert.equal(eventsOfType(events, 'ACTIVITY_TASK_TIMED_OUT').length, 1, summarizeHistory(events));
    });
  });

  it('6. the official worker\'s maxTaskQueueActivitiesPerSecond makes the server dispatch at that rate', SCENARIO_TIMEOUT, async (t) => {
    const { env, workflowBundle } = suite;
    const taskQueue = uid('tq-rate');
    const options = { connection: env.nativeConnection, namespace: 'default', taskQueue, workflowBundle, activities, maxTaskQueueActivitiesPerSecond: 4 };
    await runWorker(t.signal, options, async () => {
      const times = await env.client.workflow.execute('startTimes', { taskQueue, workflowId: uid('startTimes'), args: [8] });
      times.sort((a, b) => a - b);
      // A burst of 4, then one per 250 ms: the eighth starts at least ≈ 1 s after the first.
      assert.ok(times[7] - times[0] >= 900, `starts spread over ${times[7] - times[0]} ms`);
      const described = await env.client.workflowService.describeTaskQueue({ namespace: 'default', taskQueue: { name: taskQueue }, taskQueueType: 2 });
      assert.equal(described.effectiveRateLimit?.requestsPerSecond, 4);
      assert.deepEqual(described.pollers.map((p) => p.ratePerSecond), [4]);
    });
  });

  it('7. priority from the official client reaches the official worker\'s activities, inherited or overridden, and describe()', SCENARIO_TIMEOUT, async (t) => {
    await withWorker(t, async (taskQueue) => {
      const handle = await suite.env.client.workflow.start('activityPriorities', {
        taskQueue,
        workflowId: uid('activityPriorities'),
        priority: { priorityKey: 2, fairnessKey: 'tenant-a' },
      });
      assert.deepEqual(await handle.result(), [
        { priorityKey: 2, fairnessKey: 'tenant-a' },
        { priorityKey: 4, fairnessKey: 'tenant-a' },
      ]);
      const { priority } = await handle.describe();
      assert.equal(priority?.priorityKey, 2);
      assert.equal(priority?.fairnessKey, 'tenant-a');
    });
  });

  it('8. a priority changed by UpdateWorkflowExecutionOptions reaches the official worker\'s activities; its worker skips the event', SCENARIO_TIMEOUT, async (t) => {
    const taskQueue = uid('tq-update-options');
    const handle = await suite.env.client.workflow.start('activityPriorities', { taskQueue, workflowId: uid('activityPriorities') });
    await suite.env.client.workflowService.updateWorkflowExecutionOptions({
      namespace: 'default',
      workflowExecution: { workflowId: handle.workflowId },
      workflowExecutionOptions: { priority: { priorityKey: 2 } },
      updateMask: { paths: ['priority'] },
    });
    await withWorker(t, async () => {
      assert.deepEqual(await handle.result(), [{ priorityKey: 2 }, { priorityKey: 4 }]);
    }, taskQueue);
    const events = await historyEvents(handle);
    assert.equal(eventsOfType(events, 'WORKFLOW_EXECUTION_OPTIONS_UPDATED').length, 1, summarizeHistory(events));
  });
});
