// Interop: the official @temporalio/client's raw WorkflowService calls that tools make (the Temporal
// CLI and web UI among them) against duraflow's dev server, with an official worker polling:
// DescribeTaskQueue lists that worker, DeleteWorkflowExecution of a running child terminates it (its
// official parent workflow hears so), GetWorkflowExecutionHistoryReverse reads the newest events first,
// a batch terminate over a visibility query ends an official worker's workflows, the health check, and
// an operator's PauseActivity / UnpauseActivity reach an official worker's running activity, and a
// reset run is run by the official worker.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WorkflowNotFoundError } from '@temporalio/client';
import * as activities from '../fixtures/interop/activities.js';
import { EventType, interopSuite, runWorker, SCENARIO_TIMEOUT, uid, waitFor } from './helpers.js';

describe('interop: official client — task queues, deletion, reverse history', () => {
  const suite = interopSuite({ activities, queuePrefix: 'tq-tooling' });

  /** An official worker with its own identity and an activity rate limit, polling a fresh queue. */
  function withIdentifiedWorker(t, scenario) {
    const { env, workflowBundle } = suite;
    const options = {
      connection: env.nativeConnection,
      namespace: 'default',
      taskQueue: uid('tq-tooling'),
      workflowBundle,
      activities,
      identity: 'official-worker-17',
      maxTaskQueueActivitiesPerSecond: 20,
    };
    return runWorker(t.signal, options, scenario);
  }

  it('17a. DescribeTaskQueue lists the official worker as a workflow and an activity poller', SCENARIO_TIMEOUT, async (t) => {
    await withIdentifiedWorker(t, async (taskQueue) => {
      const service = suite.env.client.workflowService;
      const describe = (taskQueueType) => service.describeTaskQueue({ namespace: 'default', taskQueue: { name: taskQueue }, taskQueueType });
      const workflowPollers = await waitFor('the worker to poll workflow tasks', async () => {
        const { pollers } = await describe(1);
        return pollers.length > 0 && pollers;
      });
      assert.deepEqual(workflowPollers.map((p) => p.identity), ['official-worker-17']);
      const activityPollers = await waitFor('the worker to poll activity tasks', async () => {
        const { pollers } = await describe(2);
        return pollers.length > 0 && pollers;
      });
      assert.deepEqual(activityPollers.map((p) => [p.identity, p.ratePerSecond]), [['official-worker-17', 20]]);
    });
  });

  it('17b. deleting a running child terminates it: the official parent sees a TerminatedFailure', SCENARIO_TIMEOUT, async (t) => {
    await suite.withWorker(t, async (taskQueue) => {
      const client = suite.env.client;
      const childId = uid('child');
      const parent = await client.workflow.start('childOutcome', { taskQueue, workflowId: uid('parent'), args: [childId] });
      const child = client.workflow.getHandle(childId);
      await waitFor('the child to start', async () => (await child.describe()).status.name === 'RUNNING');
      await client.workflowService.deleteWorkflowExecution({ namespace: 'default', workflowExecution: { workflowId: childId } });
      assert.equal(await parent.result(), 'ChildWorkflowFailure: TerminatedFailure');
      await assert.rejects(child.describe(), WorkflowNotFoundError);

      const { history, nextPageToken } = await client.workflowService.getWorkflowExecutionHistoryReverse({
        namespace: 'default',
        execution: { workflowId: parent.workflowId },
        maximumPageSize: 2,
      });
      assert.deepEqual(
        history.events.map((e) => EventType[e.eventType]),
        ['EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED', 'EVENT_TYPE_WORKFLOW_TASK_COMPLETED'],
      );
      assert.ok(nextPageToken.length > 0, 'older events follow');
    });
  });

  it('17c. a batch terminate over a visibility query ends the official worker\'s workflows', SCENARIO_TIMEOUT, async (t) => {
    await suite.withWorker(t, async (taskQueue) => {
      const client = suite.env.client;
      const handles = [];
      for (let i = 0; i < 2; i++) handles.push(await client.workflow.start('waitForever', { taskQueue, workflowId: uid('batch') }));
      const jobId = uid('job');
      await client.workflowService.startBatchOperation({
        namespace: 'default',
        jobId,
        reason: 'interop cleanup',
        visibilityQuery: `TaskQueue = '${taskQueue}'`,
        terminationOperation: { identity: 'interop' },
      });
      const done = await waitFor('the batch to complete', async () => {
        const d = await client.workflowService.describeBatchOperation({ namespace: 'default', jobId });
        return d.state === 2 && d; // BATCH_OPERATION_STATE_COMPLETED
      });
      assert.equal(Number(done.completeOperationCount), 2);
      for (const h of handles) assert.equal((await h.describe()).status.name, 'TERMINATED');
    });
  });

  it('17d. the official client\'s health check: SERVING', async () => {
    const { status } = await suite.env.connection.healthService.check({});
    assert.equal(status, 1); // SERVING
  });

  it('17e. PauseActivity reaches the official worker\'s running activity; UnpauseActivity lets it finish', SCENARIO_TIMEOUT, async (t) => {
    await suite.withWorker(t, async (taskQueue) => {
      const client = suite.env.client;
      const handle = await client.workflow.start('pausedActivity', { taskQueue, workflowId: uid('paused') });
      const service = client.workflowService;
      const execution = { workflowId: handle.workflowId };
      const activity = async () => (await service.describeWorkflowExecution({ namespace: 'default', execution })).pendingActivities[0];
      await waitFor('the activity to start', async () => (await activity())?.state === 2); // STARTED
      await service.pauseActivity({ namespace: 'default', execution, id: '1', identity: 'ops', reason: 'interop' });
      const paused = await waitFor('the worker to give the attempt up', async () => {
        const a = await activity();
        return a?.state === 4 && a; // PAUSED
      });
      assert.equal(paused.attempt, 2, 'the paused attempt counted');
      assert.equal(paused.pauseInfo.manual.reason, 'interop');
      await service.unpauseActivity({ namespace: 'default', execution, id: '1' });
      assert.equal(await handle.result(), 'done at attempt 2');
    });
  });

  it('17f. ResetWorkflowExecution: the official worker runs the new run, with the signals reapplied', SCENARIO_TIMEOUT, async (t) => {
    await suite.withWorker(t, async (taskQueue) => {
      const client = suite.env.client;
      const handle = await client.workflow.start('collectSignals', { taskQueue, workflowId: uid('reset'), args: [2] });
      await handle.signal('add', 'a');
      await handle.signal('add', 'b');
      assert.deepEqual(await handle.result(), ['a', 'b']);
      const history = await handle.fetchHistory();
      const firstCompleted = history.events.find((e) => EventType[e.eventType] === 'EVENT_TYPE_WORKFLOW_TASK_COMPLETED');
      const { runId } = await client.workflowService.resetWorkflowExecution({
        namespace: 'default',
        workflowExecution: { workflowId: handle.workflowId },
        reason: 'interop reset',
        workflowTaskFinishEventId: firstCompleted.eventId,
        requestId: uid('req'),
      });
      assert.notEqual(runId, handle.firstExecutionRunId);
      const reset = client.workflow.getHandle(handle.workflowId, runId);
      assert.deepEqual(await reset.result(), ['a', 'b'], 'the new run got both signals again');
      const types = (await reset.fetchHistory()).events.map((e) => EventType[e.eventType]);
      assert.equal(types[Number(firstCompleted.eventId) - 1], 'EVENT_TYPE_WORKFLOW_TASK_FAILED', 'the reset point\'s task failed, in its place');
      assert.equal(types.at(-1), 'EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED');
    });
  });
});
