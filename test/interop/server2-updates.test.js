// Interop (server, second half): workflow updates and update-with-start, with the official
// @temporalio/client + @temporalio/worker against duraflow's dev server.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ApplicationFailure,
  WithStartWorkflowOperation,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  WorkflowUpdateStage,
} from '@temporalio/client';
import * as activities from '../fixtures/interop2/activities.js';
import {
  interopSuite,
      eventsOfType,
  historyEvents,
  rejection,
  summarizeHistory,
  uid,
} from '../fixtures/interop2/helpers.js';
import { addUpdate, failingUpdate, slowAddUpdate, updatable } from '../fixtures/interop2/workflows.js';

describe('interop server2: updates and update-with-start', () => {
  const suite = interopSuite({ activities, queuePrefix: 'tq-updates' });
  const { withWorker } = suite;

  it('executeUpdate: accepted and completed, the result is returned and recorded in history', async () => {
    await withWorker(async (taskQueue) => {
      const handle = await suite.env.client.workflow.start(updatable, { taskQueue, workflowId: uid('upd-exec') });
      assert.equal(await handle.executeUpdate(addUpdate, { args: [2], updateId: 'first' }), 2);
      assert.equal(await handle.executeUpdate(addUpdate, { args: [3] }), 5);
      // An update handle for a completed update returns its outcome.
      assert.equal(await handle.getUpdateHandle('first').result(), 2);

      await handle.signal('finish');
      assert.equal(await handle.result(), 5);
      const events = await historyEvents(handle);
      const summary = summarizeHistory(events);
      const accepted = eventsOfType(events, 'WORKFLOW_EXECUTION_UPDATE_ACCEPTED');
      const completed = eventsOfType(events, 'WORKFLOW_EXECUTION_UPDATE_COMPLETED');
      assert.equal(accepted.length, 2, summary);
      assert.equal(completed.length, 2, summary);
      const firstAccepted = accepted[0].workflowExecutionUpdateAcceptedEventAttributes;
      assert.equal(firstAccepted.protocolInstanceId, 'first');
      assert.equal(firstAccepted.acceptedRequest.meta.updateId, 'first');
      assert.equal(firstAccepted.acceptedRequest.input.name, 'add');
      const firstCompleted = completed[0].workflowExecutionUpdateCompletedEventAttributes;
      assert.equal(firstCompleted.meta.updateId, 'first');
      assert.ok(firstCompleted.outcome.success, 'the outcome is a success');
      assert.equal(Number(firstCompleted.acceptedEventId), Number(accepted[0].eventId));
    });
  });

  it('an update rejected by its validator fails with WorkflowUpdateFailedError and writes no events', async () => {
    await withWorker(async (taskQueue) => {
      const handle = await suite.env.client.workflow.start(updatable, { taskQueue, workflowId: uid('upd-reject') });
      const err = await rejection(handle.executeUpdate(addUpdate, { args: [-1] }));
      assert.ok(err instanceof WorkflowUpdateFailedError, String(err));
      assert.ok(err.cause instanceof ApplicationFailure, String(err.cause));
      assert.match(err.cause.message, /rejected by validator: -1 is negative/);

      // startUpdate: the validator runs before the handle is returned; the rejection (a completed
      // outcome with a failure) surfaces from the handle's result().
      const rejectedHandle = await handle.startUpdate(addUpdate, { args: [-2], waitForStage: WorkflowUpdateStage.ACCEPTED });
      const err2 = await rejection(rejectedHandle.result());
      assert.ok(err2 instanceof WorkflowUpdateFailedError, String(err2));
      assert.match(err2.cause?.message ?? '', /-2 is negative/);

      // The workflow is unaffected: a valid update still works.
      assert.equal(await handle.executeUpdate(addUpdate, { args: [4] }), 4);
      await handle.signal('finish');
      assert.equal(await handle.result(), 4);
      const events = await historyEvents(handle);
      const summary = summarizeHistory(events);
      assert.equal(eventsOfType(events, 'WORKFLOW_EXECUTION_UPDATE_ACCEPTED').length, 1, summary);
      assert.equal(eventsOfType(events, 'WORKFLOW_EXECUTION_UPDATE_COMPLETED').length, 1, summary);
    });
  });

  it('an update with an unknown name is rejected by the worker; a repeated update id is not applied twice', async () => {
    await withWorker(async (taskQueue) => {
      const handle = await suite.env.client.workflow.start(updatable, { taskQueue, workflowId: uid('upd-misc') });
      const err = await rejection(handle.executeUpdate('noSuchUpdate', { args: [1] }));
      assert.ok(err instanceof WorkflowUpdateFailedError, String(err));
      assert.match(err.cause?.message ?? '', /noSuchUpdate/);

      assert.equal(await handle.executeUpdate(addUpdate, { args: [1], updateId: 'once' }), 1);
      // Same update id again: the server answers with the recorded outcome.
      assert.equal(await handle.executeUpdate(addUpdate, { args: [1], updateId: 'once' }), 1);
      await handle.signal('finish');
      assert.equal(await handle.result(), 1);
      const events = await historyEvents(handle);
      assert.equal(eventsOfType(events, 'WORKFLOW_EXECUTION_UPDATE_ACCEPTED').length, 1, summarizeHistory(events));
    });
  });

  it('an update on a closed workflow fails', async () => {
    await withWorker(async (taskQueue) => {
      const handle = await suite.env.client.workflow.start(updatable, { taskQueue, workflowId: uid('upd-closed') });
      await handle.signal('finish');
      await handle.result();
      const err = await rejection(handle.executeUpdate(addUpdate, { args: [1] }));
      // The server answers NOT_FOUND "workflow execution already completed"; the client maps it.
      assert.ok(err instanceof WorkflowNotFoundError, String(err));
      assert.match(err.message, /already completed/);
    });
  });

  it('an update whose handler throws fails with WorkflowUpdateFailedError (after acceptance)', async () => {
    await withWorker(async (taskQueue) => {
      const handle = await suite.env.client.workflow.start(updatable, { taskQueue, workflowId: uid('upd-fail') });
      const err = await rejection(handle.executeUpdate(failingUpdate));
      assert.ok(err instanceof WorkflowUpdateFailedError, String(err));
      assert.ok(err.cause instanceof ApplicationFailure, String(err.cause));
      assert.equal(err.cause.message, 'update handler failed');
      assert.equal(err.cause.type, 'UpdateBoom');
      await handle.signal('finish');
      await handle.result();
      const events = await historyEvents(handle);
      const [completed] = eventsOfType(events, 'WORKFLOW_EXECUTION_UPDATE_COMPLETED');
      assert.ok(completed, summarizeHistory(events));
      assert.equal(completed.workflowExecutionUpdateCompletedEventAttributes.outcome.failure.message, 'update handler failed');
    });
  });

  it('startUpdate with waitForStage ACCEPTED returns before completion; handle.result() waits for it', async () => {
    await withWorker(async (taskQueue) => {
      const handle = await suite.env.client.workflow.start(updatable, { taskQueue, workflowId: uid('upd-accepted') });
      const updateHandle = await handle.startUpdate(slowAddUpdate, {
        args: [7],
        updateId: 'slow-one',
        waitForStage: WorkflowUpdateStage.ACCEPTED,
      });
      assert.equal(updateHandle.updateId, 'slow-one');
      // Accepted but not completed: the handler is blocked until `release`.
      let events = await historyEvents(handle);
      assert.equal(eventsOfType(events, 'WORKFLOW_EXECUTION_UPDATE_ACCEPTED').length, 1, summarizeHistory(events));
      assert.equal(eventsOfType(events, 'WORKFLOW_EXECUTION_UPDATE_COMPLETED').length, 0, summarizeHistory(events));

      const resultPromise = updateHandle.result();
      await new Promise((resolve) => setTimeout(resolve, 200));
      await handle.signal('release');
      assert.equal(await resultPromise, 7);
      // A fresh handle by id sees the same outcome.
      assert.equal(await handle.getUpdateHandle('slow-one').result(), 7);

      await handle.signal('finish');
      assert.equal(await handle.result(), 7);
      events = await historyEvents(handle);
      assert.equal(eventsOfType(events, 'WORKFLOW_EXECUTION_UPDATE_COMPLETED').length, 1, summarizeHistory(events));
    });
  });

  it('update-with-start (USE_EXISTING): starts the workflow once, then updates the running one', async () => {
    await withWorker(async (taskQueue) => {
      const workflowId = uid('upd-with-start');
      const startOp1 = new WithStartWorkflowOperation(updatable, {
        workflowId,
        taskQueue,
        workflowIdConflictPolicy: 'USE_EXISTING',
        args: [],
      });
      const first = await suite.env.client.workflow.executeUpdateWithStart(addUpdate, {
        args: [5],
        startWorkflowOperation: startOp1,
      });
      assert.equal(first, 5);
      const handle1 = await startOp1.workflowHandle();
      assert.equal(handle1.workflowId, workflowId);

      const startOp2 = new WithStartWorkflowOperation(updatable, {
        workflowId,
        taskQueue,
        workflowIdConflictPolicy: 'USE_EXISTING',
        args: [],
      });
      const second = await suite.env.client.workflow.executeUpdateWithStart(addUpdate, {
        args: [6],
        startWorkflowOperation: startOp2,
      });
      assert.equal(second, 11, 'the second update reached the already-running workflow');
      const handle2 = await startOp2.workflowHandle();
      assert.equal(handle2.firstExecutionRunId, handle1.firstExecutionRunId, 'no new run was started');

      await handle1.signal('finish');
      assert.equal(await handle1.result(), 11);
      const events = await historyEvents(handle1);
      const summary = summarizeHistory(events);
      assert.equal(eventsOfType(events, 'WORKFLOW_EXECUTION_STARTED').length, 1, summary);
      assert.equal(eventsOfType(events, 'WORKFLOW_EXECUTION_UPDATE_COMPLETED').length, 2, summary);
    });
  });

  it('startUpdateWithStart with waitForStage ACCEPTED, then the update handle result', async () => {
    await withWorker(async (taskQueue) => {
      const workflowId = uid('upd-with-start-accepted');
      const startOp = new WithStartWorkflowOperation(updatable, {
        workflowId,
        taskQueue,
        workflowIdConflictPolicy: 'FAIL',
        args: [],
      });
      const updateHandle = await suite.env.client.workflow.startUpdateWithStart(slowAddUpdate, {
        args: [9],
        waitForStage: WorkflowUpdateStage.ACCEPTED,
        startWorkflowOperation: startOp,
      });
      const handle = await startOp.workflowHandle();
      await handle.signal('release');
      assert.equal(await updateHandle.result(), 9);
      await handle.signal('finish');
      assert.equal(await handle.result(), 9);
    });
  });
});
