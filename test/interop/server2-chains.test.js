// Interop (server, second half): run chains — continue-as-new, cron and workflow retry — with the
// official @temporalio/client + @temporalio/worker against duraflow's dev server.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WorkflowFailedError } from '@temporalio/client';
import * as activities from '../fixtures/interop2/activities.js';
import {
  interopSuite,
      durationMs,
  Enums,
  eventsOfType,
  historyEvents,
  rejection,
  summarizeHistory,
  uid,
  waitFor,
} from '../fixtures/interop2/helpers.js';

describe('interop server2: continue-as-new, cron and workflow retry', () => {
  const suite = interopSuite({ activities, queuePrefix: 'tq-chains' });
  const { withWorker } = suite;

  it('a continue-as-new chain of 5 runs: result() follows it; earlier runs are CONTINUED_AS_NEW', async () => {
    await withWorker(async (taskQueue) => {
      const workflowId = uid('can-chain');
      const handle = await suite.env.client.workflow.start('continueAsNewChain', {
        taskQueue,
        workflowId,
        args: [1, 5, []],
      });
      const firstRunId = handle.firstExecutionRunId;
      const runs = await handle.result();
      assert.equal(runs.length, 5);
      assert.deepEqual(
        runs.map((r) => r.n),
        [1, 2, 3, 4, 5],
      );
      assert.equal(runs[0].runId, firstRunId);
      assert.equal(new Set(runs.map((r) => r.runId)).size, 5, 'each run has its own run id');
      assert.equal(runs[0].continuedFromExecutionRunId, null);
      for (let i = 0; i < runs.length; i++) {
        assert.equal(runs[i].firstExecutionRunId, firstRunId, `run ${i + 1} firstExecutionRunId`);
        if (i > 0) assert.equal(runs[i].continuedFromExecutionRunId, runs[i - 1].runId, `run ${i + 1} continuedFrom`);
      }

      for (let i = 0; i < runs.length; i++) {
        const runHandle = suite.env.client.workflow.getHandle(workflowId, runs[i].runId);
        const description = await runHandle.describe();
        assert.equal(description.status.name, i < 4 ? 'CONTINUED_AS_NEW' : 'COMPLETED', `run ${i + 1}`);
        const events = await historyEvents(runHandle);
        const summary = summarizeHistory(events);
        const started = events[0].workflowExecutionStartedEventAttributes;
        assert.equal(started.firstExecutionRunId, firstRunId, summary);
        assert.equal(started.originalExecutionRunId, runs[i].runId, summary);
        assert.equal(started.continuedExecutionRunId || null, i === 0 ? null : runs[i - 1].runId, summary);
        if (i < 4) {
          const [can] = eventsOfType(events, 'WORKFLOW_EXECUTION_CONTINUED_AS_NEW');
          assert.ok(can, summary);
          assert.equal(can.workflowExecutionContinuedAsNewEventAttributes.newExecutionRunId, runs[i + 1].runId);
          assert.equal(can.workflowExecutionContinuedAsNewEventAttributes.workflowType.name, 'continueAsNewChain');
          assert.equal(can.workflowExecutionContinuedAsNewEventAttributes.taskQueue.name, taskQueue);
          assert.equal(events.at(-1).eventId.toString(), can.eventId.toString(), 'ContinuedAsNew is the last event');
        }
      }
      // The workflow id's current run is the last one.
      assert.equal((await suite.env.client.workflow.getHandle(workflowId).describe()).runId, runs[4].runId);
    });
  });

  it("cron '@every 2s': the first run is delayed, and two runs happen within ~6 s", async () => {
    await withWorker(async (taskQueue) => {
      const workflowId = uid('cron-every');
      const startedAt = Date.now();
      const handle = await suite.env.client.workflow.start('cronTick', {
        taskQueue,
        workflowId,
        cronSchedule: '@every 2s',
      });
      try {
        const firstRun = suite.env.client.workflow.getHandle(workflowId, handle.firstExecutionRunId);
        const firstEvents = await historyEvents(firstRun);
        const started = firstEvents[0].workflowExecutionStartedEventAttributes;
        assert.equal(started.cronSchedule, '@every 2s');
        const backoff = durationMs(started.firstWorkflowTaskBackoff);
        assert.ok(backoff > 0 && backoff <= 2000, `firstWorkflowTaskBackoff ${backoff} ms`);

        // Run 1 completes and names the next run; run 2 then executes too.
        const firstClose = await waitFor(
          'the first cron run to complete',
          async () => eventsOfType(await historyEvents(firstRun), 'WORKFLOW_EXECUTION_COMPLETED')[0],
          { timeoutMs: 6000 },
        );
        const secondRunId = firstClose.workflowExecutionCompletedEventAttributes.newExecutionRunId;
        assert.ok(secondRunId, 'the completed cron run names the next run');
        const secondRun = suite.env.client.workflow.getHandle(workflowId, secondRunId);
        const secondClose = await waitFor(
          'the second cron run to complete',
          async () => eventsOfType(await historyEvents(secondRun), 'WORKFLOW_EXECUTION_COMPLETED')[0],
          { timeoutMs: Math.max(500, startedAt + 6500 - Date.now()) },
        );
        assert.ok(secondClose);
        const secondEvents = await historyEvents(secondRun);
        const secondStarted = secondEvents[0].workflowExecutionStartedEventAttributes;
        assert.equal(secondStarted.cronSchedule, '@every 2s');
        assert.equal(secondStarted.firstExecutionRunId, handle.firstExecutionRunId);
        assert.ok(durationMs(secondStarted.firstWorkflowTaskBackoff) > 0, 'the second run is delayed too');
        assert.ok(Date.now() - startedAt < 7000, `two runs took ${Date.now() - startedAt} ms`);
      } finally {
        await suite.env.client.workflow.getHandle(workflowId).terminate('test over');
      }
      assert.equal((await suite.env.client.workflow.getHandle(workflowId).describe()).status.name, 'TERMINATED');
    });
  });

  it("cron '* * * * *': the first run waits for the next minute", async () => {
    const workflowId = uid('cron-minute');
    const handle = await suite.env.client.workflow.start('cronTick', {
      taskQueue: uid('tq-cron-no-worker'),
      workflowId,
      cronSchedule: '* * * * *',
    });
    try {
      const events = await historyEvents(handle);
      const started = events[0].workflowExecutionStartedEventAttributes;
      assert.equal(started.cronSchedule, '* * * * *');
      const backoff = durationMs(started.firstWorkflowTaskBackoff);
      assert.ok(backoff > 0 && backoff <= 60_000, `firstWorkflowTaskBackoff ${backoff} ms`);
      // No workflow task is scheduled before the backoff elapses.
      assert.equal(eventsOfType(events, 'WORKFLOW_TASK_SCHEDULED').length, 0, summarizeHistory(events));
    } finally {
      await handle.terminate('test over');
    }
  });

  it('workflow retry: fails twice (retryable), succeeds on attempt 3', async () => {
    await withWorker(async (taskQueue) => {
      const workflowId = uid('wf-retry');
      const handle = await suite.env.client.workflow.start('failUntilThirdAttempt', {
        taskQueue,
        workflowId,
        args: [workflowId],
        retry: { maximumAttempts: 3, initialInterval: '100ms', backoffCoefficient: 1 },
      });
      const result = await handle.result();
      assert.equal(result.attempt, 3);
      assert.equal(result.lastFailureMessage, 'attempt 2 fails');
      const recorded = activities.recordedAttempts.get(workflowId) ?? [];
      assert.deepEqual(
        recorded.map((r) => r.attempt),
        [1, 2, 3],
      );
      assert.equal(recorded[0].runId, handle.firstExecutionRunId);

      // Each failed run names the next one; the Started events carry attempt and continued failure.
      for (let i = 0; i < 3; i++) {
        const run = suite.env.client.workflow.getHandle(workflowId, recorded[i].runId);
        const events = await historyEvents(run);
        const summary = summarizeHistory(events);
        const started = events[0].workflowExecutionStartedEventAttributes;
        assert.equal(started.attempt, i + 1, summary);
        assert.equal(started.firstExecutionRunId, handle.firstExecutionRunId, summary);
        if (i > 0) {
          assert.equal(started.continuedFailure?.message, `attempt ${i} fails`, summary);
          assert.ok(durationMs(started.firstWorkflowTaskBackoff) > 0, `attempt ${i + 1} backoff: ${summary}`);
        }
        if (i < 2) {
          const [failed] = eventsOfType(events, 'WORKFLOW_EXECUTION_FAILED');
          assert.ok(failed, summary);
          assert.equal(failed.workflowExecutionFailedEventAttributes.newExecutionRunId, recorded[i + 1].runId);
          assert.equal(failed.workflowExecutionFailedEventAttributes.retryState, Enums.RetryState.RETRY_STATE_IN_PROGRESS);
          assert.equal((await run.describe()).status.name, 'FAILED');
        } else {
          assert.equal(eventsOfType(events, 'WORKFLOW_EXECUTION_COMPLETED').length, 1, summary);
        }
      }
    });
  });

  it('workflow retry stops at maximumAttempts (retry state MAXIMUM_ATTEMPTS_REACHED)', async () => {
    await withWorker(async (taskQueue) => {
      const workflowId = uid('wf-retry-exhausted');
      const handle = await suite.env.client.workflow.start('alwaysFail', {
        taskQueue,
        workflowId,
        args: [false],
        retry: { maximumAttempts: 2, initialInterval: '100ms' },
      });
      const err = await rejection(handle.result());
      assert.ok(err instanceof WorkflowFailedError, String(err));
      assert.equal(err.cause?.message, 'attempt 2 fails');
      const recorded = activities.recordedAttempts.get(workflowId) ?? [];
      assert.deepEqual(
        recorded.map((r) => r.attempt),
        [1, 2],
      );
      const lastEvents = await historyEvents(suite.env.client.workflow.getHandle(workflowId, recorded[1].runId));
      const [failed] = eventsOfType(lastEvents, 'WORKFLOW_EXECUTION_FAILED');
      assert.ok(failed, summarizeHistory(lastEvents));
      assert.equal(
        failed.workflowExecutionFailedEventAttributes.retryState,
        Enums.RetryState.RETRY_STATE_MAXIMUM_ATTEMPTS_REACHED,
      );
      assert.ok(!failed.workflowExecutionFailedEventAttributes.newExecutionRunId, 'no further run');
    });
  });

  it('workflow retry does not retry a non-retryable failure (retry state NON_RETRYABLE_FAILURE)', async () => {
    await withWorker(async (taskQueue) => {
      const workflowId = uid('wf-retry-non-retryable');
      const handle = await suite.env.client.workflow.start('alwaysFail', {
        taskQueue,
        workflowId,
        args: [true],
        retry: { maximumAttempts: 5, initialInterval: '100ms' },
      });
      const err = await rejection(handle.result());
      assert.ok(err instanceof WorkflowFailedError, String(err));
      assert.equal(err.cause?.message, 'attempt 1 fails');
      assert.deepEqual(
        (activities.recordedAttempts.get(workflowId) ?? []).map((r) => r.attempt),
        [1],
      );
      const events = await historyEvents(handle);
      const [failed] = eventsOfType(events, 'WORKFLOW_EXECUTION_FAILED');
      assert.equal(
        failed.workflowExecutionFailedEventAttributes.retryState,
        Enums.RetryState.RETRY_STATE_NON_RETRYABLE_FAILURE,
        summarizeHistory(events),
      );
    });
  });
});
