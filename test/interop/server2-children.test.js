// Interop (server, second half): child workflows and external workflow signal/cancel, with the
// official @temporalio/client + @temporalio/worker against duraflow's dev server.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CancelledFailure, WorkflowFailedError } from '@temporalio/client';
import * as activities from '../fixtures/interop2/activities.js';
import {
  interopSuite,
      Enums,
  eventsOfType,
  historyEvents,
  rejection,
  summarizeHistory,
  uid,
  waitFor,
} from '../fixtures/interop2/helpers.js';

describe('interop server2: child workflows and external workflows', () => {
  const suite = interopSuite({ activities, queuePrefix: 'tq-children' });
  const { withWorker } = suite;

  async function statusOf(workflowId) {
    return (await suite.env.client.workflow.getHandle(workflowId).describe()).status.name;
  }

  it("a child's result reaches the parent (executeChild)", async () => {
    await withWorker(async (taskQueue) => {
      const parentId = uid('parent');
      const childId = uid('child');
      const handle = await suite.env.client.workflow.start('parentExecutesChild', {
        taskQueue,
        workflowId: parentId,
        args: [childId, 'hello'],
      });
      const result = await handle.result();
      assert.deepEqual(result, { echoed: 'child:hello', parentWorkflowId: parentId });

      const events = await historyEvents(handle);
      const summary = summarizeHistory(events);
      const [initiated] = eventsOfType(events, 'START_CHILD_WORKFLOW_EXECUTION_INITIATED');
      const [started] = eventsOfType(events, 'CHILD_WORKFLOW_EXECUTION_STARTED');
      const [completed] = eventsOfType(events, 'CHILD_WORKFLOW_EXECUTION_COMPLETED');
      assert.ok(initiated && started && completed, summary);
      assert.equal(initiated.startChildWorkflowExecutionInitiatedEventAttributes.workflowId, childId);
      assert.equal(initiated.startChildWorkflowExecutionInitiatedEventAttributes.workflowType.name, 'childEcho');
      assert.equal(Number(started.childWorkflowExecutionStartedEventAttributes.initiatedEventId), Number(initiated.eventId));
      assert.equal(started.childWorkflowExecutionStartedEventAttributes.workflowExecution.workflowId, childId);
      assert.equal(Number(completed.childWorkflowExecutionCompletedEventAttributes.initiatedEventId), Number(initiated.eventId));
      assert.equal(Number(completed.childWorkflowExecutionCompletedEventAttributes.startedEventId), Number(started.eventId));

      const child = await suite.env.client.workflow.getHandle(childId).describe();
      assert.equal(child.status.name, 'COMPLETED');
      assert.equal(child.parentExecution?.workflowId, parentId);
      assert.equal(child.parentExecution?.runId, handle.firstExecutionRunId);
      assert.equal(child.rootExecution?.workflowId, parentId);
      assert.equal(child.runId, started.childWorkflowExecutionStartedEventAttributes.workflowExecution.runId);
    });
  });

  it('a child failure reaches the parent as ChildWorkflowFailure caused by ApplicationFailure', async () => {
    await withWorker(async (taskQueue) => {
      const childId = uid('child-fail');
      const handle = await suite.env.client.workflow.start('parentOfFailingChild', {
        taskQueue,
        workflowId: uid('parent-fail'),
        args: [childId, 'child went boom'],
      });
      const { error } = await handle.result();
      assert.ok(error, 'the parent saw no error');
      assert.equal(error.isChildWorkflowFailure, true, JSON.stringify(error));
      assert.equal(error.causeIsApplicationFailure, true, JSON.stringify(error));
      assert.equal(error.causeType, 'ChildBoom');
      assert.equal(error.causeMessage, 'child went boom');

      const events = await historyEvents(handle);
      const [failed] = eventsOfType(events, 'CHILD_WORKFLOW_EXECUTION_FAILED');
      assert.ok(failed, summarizeHistory(events));
      assert.equal(failed.childWorkflowExecutionFailedEventAttributes.failure.message, 'child went boom');
      assert.equal(await statusOf(childId), 'FAILED');
    });
  });

  it('cancelling a child from a CancellationScope reaches the parent as a cancellation', async () => {
    await withWorker(async (taskQueue) => {
      const childId = uid('child-cancel');
      const handle = await suite.env.client.workflow.start('parentCancelsChild', {
        taskQueue,
        workflowId: uid('parent-cancel'),
        args: [childId],
      });
      const { error } = await handle.result();
      assert.ok(error, 'the parent saw no error');
      assert.equal(error.isCancellation, true, JSON.stringify(error));
      assert.equal(error.isChildWorkflowFailure, true, JSON.stringify(error));
      assert.equal(error.causeIsCancelledFailure, true, JSON.stringify(error));

      const events = await historyEvents(handle);
      const summary = summarizeHistory(events);
      assert.equal(eventsOfType(events, 'REQUEST_CANCEL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED').length, 1, summary);
      assert.equal(eventsOfType(events, 'EXTERNAL_WORKFLOW_EXECUTION_CANCEL_REQUESTED').length, 1, summary);
      assert.equal(eventsOfType(events, 'CHILD_WORKFLOW_EXECUTION_CANCELED').length, 1, summary);

      const childEvents = await historyEvents(suite.env.client.workflow.getHandle(childId));
      assert.equal(eventsOfType(childEvents, 'WORKFLOW_EXECUTION_CANCEL_REQUESTED').length, 1, summarizeHistory(childEvents));
      assert.equal(await statusOf(childId), 'CANCELLED');
    });
  });

  it('parent close policy TERMINATE (the default) terminates a still-running child', async () => {
    await withWorker(async (taskQueue) => {
      const childId = uid('child-terminate');
      const parent = await suite.env.client.workflow.start('parentLeavesChildRunning', {
        taskQueue,
        workflowId: uid('parent-terminate'),
        args: [childId, null],
      });
      const { childRunId } = await parent.result();
      await waitFor('the child to be terminated', async () => (await statusOf(childId)) === 'TERMINATED');
      const childEvents = await historyEvents(suite.env.client.workflow.getHandle(childId, childRunId));
      assert.equal(eventsOfType(childEvents, 'WORKFLOW_EXECUTION_TERMINATED').length, 1, summarizeHistory(childEvents));
      // The parent recorded the initiation with the default (unspecified → TERMINATE) policy.
      const parentEvents = await historyEvents(parent);
      const [initiated] = eventsOfType(parentEvents, 'START_CHILD_WORKFLOW_EXECUTION_INITIATED');
      assert.ok([0, 1].includes(Number(initiated.startChildWorkflowExecutionInitiatedEventAttributes.parentClosePolicy ?? 0)));
    });
  });

  it('parent close policy REQUEST_CANCEL cancels a still-running child (the child sees the cancellation)', async () => {
    await withWorker(async (taskQueue) => {
      const childId = uid('child-request-cancel');
      const parent = await suite.env.client.workflow.start('parentLeavesChildRunning', {
        taskQueue,
        workflowId: uid('parent-request-cancel'),
        args: [childId, 'REQUEST_CANCEL'],
      });
      await parent.result();
      const child = suite.env.client.workflow.getHandle(childId);
      const err = await rejection(child.result());
      assert.ok(err instanceof WorkflowFailedError, String(err));
      assert.ok(err.cause instanceof CancelledFailure, String(err.cause));
      assert.equal(await statusOf(childId), 'CANCELLED');
      const childEvents = await historyEvents(child);
      const summary = summarizeHistory(childEvents);
      assert.equal(eventsOfType(childEvents, 'WORKFLOW_EXECUTION_CANCEL_REQUESTED').length, 1, summary);
      assert.equal(eventsOfType(childEvents, 'WORKFLOW_EXECUTION_CANCELED').length, 1, summary);
    });
  });

  it('parent close policy ABANDON leaves the child running', async () => {
    await withWorker(async (taskQueue) => {
      const childId = uid('child-abandon');
      const parent = await suite.env.client.workflow.start('parentLeavesChildRunning', {
        taskQueue,
        workflowId: uid('parent-abandon'),
        args: [childId, 'ABANDON'],
      });
      await parent.result();
      assert.equal((await parent.describe()).status.name, 'COMPLETED');
      // Give a parent-close action time to (wrongly) happen.
      await new Promise((resolve) => setTimeout(resolve, 750));
      assert.equal(await statusOf(childId), 'RUNNING');
      const child = suite.env.client.workflow.getHandle(childId);
      await child.signal('poke', 'still alive');
      assert.equal(await child.result(), 'poked:still alive');
    });
  });

  it('parent close policy TERMINATE also applies when the parent is terminated', async () => {
    await withWorker(async (taskQueue) => {
      const childId = uid('child-of-terminated');
      const parent = await suite.env.client.workflow.start('parentWaitsForever', {
        taskQueue,
        workflowId: uid('parent-terminated'),
        args: [childId],
      });
      await waitFor('the child to start', async () => (await statusOf(childId)) === 'RUNNING');
      await parent.terminate('parent goes away');
      await waitFor('the child to be terminated', async () => (await statusOf(childId)) === 'TERMINATED');
    });
  });

  it('a child that continues-as-new reports to its parent only when its last run closes', async () => {
    await withWorker(async (taskQueue) => {
      const childId = uid('child-can');
      const parent = await suite.env.client.workflow.start('parentOfContinuingChild', {
        taskQueue,
        workflowId: uid('parent-of-can'),
        args: [childId],
      });
      const runs = await parent.result();
      assert.deepEqual(
        runs.map((r) => r.n),
        [1, 2, 3],
      );
      const events = await historyEvents(parent);
      const summary = summarizeHistory(events);
      const [started] = eventsOfType(events, 'CHILD_WORKFLOW_EXECUTION_STARTED');
      assert.equal(eventsOfType(events, 'CHILD_WORKFLOW_EXECUTION_COMPLETED').length, 1, summary);
      assert.equal(started.childWorkflowExecutionStartedEventAttributes.workflowExecution.runId, runs[0].runId);
      // Every run of the child's chain knows its parent.
      for (const run of runs) {
        const description = await suite.env.client.workflow.getHandle(childId, run.runId).describe();
        assert.equal(description.parentExecution?.workflowId, parent.workflowId, `run ${run.n}`);
      }
    });
  });

  it('starting a child with the id of a running workflow fails in the parent', async () => {
    await withWorker(async (taskQueue) => {
      const childId = uid('child-dup');
      const existing = await suite.env.client.workflow.start('waitForPoke', { taskQueue, workflowId: childId });
      const parent = await suite.env.client.workflow.start('parentStartsDuplicateChild', {
        taskQueue,
        workflowId: uid('parent-dup'),
        args: [childId],
      });
      const { error } = await parent.result();
      assert.ok(error, 'the duplicate child start did not fail');
      assert.equal(error.name, 'WorkflowExecutionAlreadyStartedError', JSON.stringify(error));
      const events = await historyEvents(parent);
      const [failed] = eventsOfType(events, 'START_CHILD_WORKFLOW_EXECUTION_FAILED');
      assert.ok(failed, summarizeHistory(events));
      assert.equal(
        failed.startChildWorkflowExecutionFailedEventAttributes.cause,
        Enums.StartChildWorkflowExecutionFailedCause.START_CHILD_WORKFLOW_EXECUTION_FAILED_CAUSE_WORKFLOW_ALREADY_EXISTS,
      );
      assert.equal(failed.startChildWorkflowExecutionFailedEventAttributes.workflowId, childId);
      await existing.signal('poke', 'done');
      assert.equal(await existing.result(), 'poked:done');
    });
  });

  it(
    'getExternalWorkflowHandle(...).signal() delivers a signal to another workflow',
    async () => {
      await withWorker(async (taskQueue) => {
        const targetId = uid('signal-target');
        const target = await suite.env.client.workflow.start('waitForPoke', { taskQueue, workflowId: targetId });
        const signaller = await suite.env.client.workflow.start('signalExternal', {
          taskQueue,
          workflowId: uid('signaller'),
          args: [targetId, 'from-another-workflow'],
        });
        assert.equal(await signaller.result(), 'signalled');
        assert.equal(await target.result(), 'poked:from-another-workflow');

        const events = await historyEvents(signaller);
        const summary = summarizeHistory(events);
        const [initiated] = eventsOfType(events, 'SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED');
        const [signaled] = eventsOfType(events, 'EXTERNAL_WORKFLOW_EXECUTION_SIGNALED');
        assert.ok(initiated && signaled, summary);
        assert.equal(initiated.signalExternalWorkflowExecutionInitiatedEventAttributes.workflowExecution.workflowId, targetId);
        assert.equal(initiated.signalExternalWorkflowExecutionInitiatedEventAttributes.signalName, 'poke');
        assert.equal(Number(signaled.externalWorkflowExecutionSignaledEventAttributes.initiatedEventId), Number(initiated.eventId));

        const targetEvents = await historyEvents(target);
        const [received] = eventsOfType(targetEvents, 'WORKFLOW_EXECUTION_SIGNALED');
        assert.ok(received, summarizeHistory(targetEvents));
        assert.equal(received.workflowExecutionSignaledEventAttributes.signalName, 'poke');
      });
    },
  );

  it('getExternalWorkflowHandle(...).cancel() cancels another workflow', async () => {
    await withWorker(async (taskQueue) => {
      const targetId = uid('cancel-target');
      const target = await suite.env.client.workflow.start('waitForPoke', { taskQueue, workflowId: targetId });
      const canceller = await suite.env.client.workflow.start('cancelExternal', {
        taskQueue,
        workflowId: uid('canceller'),
        args: [targetId],
      });
      assert.equal(await canceller.result(), 'cancel requested');
      const err = await rejection(target.result());
      assert.ok(err instanceof WorkflowFailedError, String(err));
      assert.ok(err.cause instanceof CancelledFailure, String(err.cause));

      const events = await historyEvents(canceller);
      const summary = summarizeHistory(events);
      const [initiated] = eventsOfType(events, 'REQUEST_CANCEL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED');
      const [requested] = eventsOfType(events, 'EXTERNAL_WORKFLOW_EXECUTION_CANCEL_REQUESTED');
      assert.ok(initiated && requested, summary);
      assert.equal(initiated.requestCancelExternalWorkflowExecutionInitiatedEventAttributes.workflowExecution.workflowId, targetId);
      assert.equal(
        Number(requested.externalWorkflowExecutionCancelRequestedEventAttributes.initiatedEventId),
        Number(initiated.eventId),
      );
      assert.equal(await statusOf(targetId), 'CANCELLED');
    });
  });

  it('signalling a workflow that does not exist fails inside the workflow', async () => {
    await withWorker(async (taskQueue) => {
      const handle = await suite.env.client.workflow.start('signalMissingExternal', {
        taskQueue,
        workflowId: uid('signal-missing'),
        args: [uid('no-such-workflow')],
      });
      const { error } = await handle.result();
      assert.ok(error, 'signalling a missing workflow did not fail');
      assert.equal(error.isApplicationFailure, true, JSON.stringify(error));
      assert.match(error.message, /not found/i);

      const events = await historyEvents(handle);
      const [failed] = eventsOfType(events, 'SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_FAILED');
      assert.ok(failed, summarizeHistory(events));
      assert.equal(
        failed.signalExternalWorkflowExecutionFailedEventAttributes.cause,
        Enums.SignalExternalWorkflowExecutionFailedCause.SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_FAILED_CAUSE_EXTERNAL_WORKFLOW_EXECUTION_NOT_FOUND,
      );
    });
  });
});
