// Interop: official @temporalio/client against duraflow's dev server — workflow id reuse and
// conflict policies, describe, list and count (visibility query language).
import assert from 'node:assert/strict';
import { setTimeout as delay } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { WorkflowExecutionAlreadyStartedError, WorkflowFailedError } from '@temporalio/client';
import * as activities from '../fixtures/interop/activities.js';
import { interopSuite, eventsOfType, historyEvents, SCENARIO_TIMEOUT, uid, waitFor } from './helpers.js';

async function rejection(promise) {
  return await promise.then(
    (value) => assert.fail(`expected a rejection, got ${JSON.stringify(value)}`),
    (err) => err,
  );
}

async function collect(iterable) {
  const out = [];
  for await (const item of iterable) out.push(item);
  return out;
}

describe('interop: official client — id policies, describe, list, count', () => {
  const suite = interopSuite({ activities, queuePrefix: 'tq-client' });
  const { withWorker } = suite;

  it('16a. a second start of a running workflow id is rejected; USE_EXISTING and TERMINATE_EXISTING', SCENARIO_TIMEOUT, async (t) => {
    await withWorker(t, async (taskQueue) => {
      const workflowId = uid('conflict');
      const first = await suite.env.client.workflow.start('waitForever', { taskQueue, workflowId });
      const firstRunId = first.firstExecutionRunId;

      const err = await rejection(suite.env.client.workflow.start('waitForever', { taskQueue, workflowId }));
      assert.ok(err instanceof WorkflowExecutionAlreadyStartedError, `got ${err?.name}: ${err?.message}`);
      assert.equal(err.workflowId, workflowId);
      assert.equal(err.workflowType, 'waitForever');

      const explicitFail = await rejection(
        suite.env.client.workflow.start('waitForever', { taskQueue, workflowId, workflowIdConflictPolicy: 'FAIL' }),
      );
      assert.ok(explicitFail instanceof WorkflowExecutionAlreadyStartedError, `got ${explicitFail?.name}`);

      const useExisting = await suite.env.client.workflow.start('waitForever', {
        taskQueue,
        workflowId,
        workflowIdConflictPolicy: 'USE_EXISTING',
      });
      assert.equal(useExisting.firstExecutionRunId, firstRunId);
      assert.equal((await suite.env.client.workflow.getHandle(workflowId, firstRunId).describe()).status.name, 'RUNNING');

      const replacing = await suite.env.client.workflow.start('waitForever', {
        taskQueue,
        workflowId,
        workflowIdConflictPolicy: 'TERMINATE_EXISTING',
      });
      assert.notEqual(replacing.firstExecutionRunId, firstRunId);
      const oldRun = suite.env.client.workflow.getHandle(workflowId, firstRunId);
      assert.equal((await oldRun.describe()).status.name, 'TERMINATED');
      const newDesc = await suite.env.client.workflow.getHandle(workflowId).describe();
      assert.equal(newDesc.runId, replacing.firstExecutionRunId);
      assert.equal(newDesc.status.name, 'RUNNING');
      await replacing.terminate('cleanup');
    });
  });

  it('16b. after close: REJECT_DUPLICATE rejects; ALLOW_DUPLICATE_FAILED_ONLY only after a failure', SCENARIO_TIMEOUT, async (t) => {
    await withWorker(t, async (taskQueue) => {
      // A completed workflow.
      const completedId = uid('reuse-completed');
      const done = await suite.env.client.workflow.start('quick', { taskQueue, workflowId: completedId, args: ['v1'] });
      assert.equal(await done.result(), 'v1');

      const rejectDup = await rejection(
        suite.env.client.workflow.start('quick', {
          taskQueue,
          workflowId: completedId,
          args: ['v2'],
          workflowIdReusePolicy: 'REJECT_DUPLICATE',
        }),
      );
      assert.ok(rejectDup instanceof WorkflowExecutionAlreadyStartedError, `got ${rejectDup?.name}`);

      const failedOnlyAfterSuccess = await rejection(
        suite.env.client.workflow.start('quick', {
          taskQueue,
          workflowId: completedId,
          args: ['v2'],
          workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY',
        }),
      );
      assert.ok(failedOnlyAfterSuccess instanceof WorkflowExecutionAlreadyStartedError, `got ${failedOnlyAfterSuccess?.name}`);

      // The default (ALLOW_DUPLICATE) allows a new run after completion.
      const rerun = await suite.env.client.workflow.start('quick', { taskQueue, workflowId: completedId, args: ['v3'] });
      assert.notEqual(rerun.firstExecutionRunId, done.firstExecutionRunId);
      assert.equal(await rerun.result(), 'v3');

      // A failed workflow.
      const failedId = uid('reuse-failed');
      const failing = await suite.env.client.workflow.start('throwsApplicationFailure', {
        taskQueue,
        workflowId: failedId,
        args: ['nope'],
      });
      assert.ok((await rejection(failing.result())) instanceof WorkflowFailedError);
      const retry = await suite.env.client.workflow.start('quick', {
        taskQueue,
        workflowId: failedId,
        args: ['second try'],
        workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY',
      });
      assert.notEqual(retry.firstExecutionRunId, failing.firstExecutionRunId);
      assert.equal(await retry.result(), 'second try');

      const rejectAfterFailure = await rejection(
        suite.env.client.workflow.start('quick', {
          taskQueue,
          workflowId: failedId,
          args: ['third'],
          workflowIdReusePolicy: 'REJECT_DUPLICATE',
        }),
      );
      assert.ok(rejectAfterFailure instanceof WorkflowExecutionAlreadyStartedError, `got ${rejectAfterFailure?.name}`);
    });
  });

  describe('17. describe, list and count', () => {
    const taskQueue = uid('tq-visibility');
    const prefix = uid('vis');
    const completedIds = [];
    let failedId;
    let runningId;
    let laterIds;
    let tMid;

    before(async () => {
      await withWorker(undefined, async () => {
        for (let i = 0; i < 3; i++) {
          const h = await suite.env.client.workflow.start('quick', { taskQueue, workflowId: `${prefix}-quick-${i}`, args: [i] });
          completedIds.push(h.workflowId);
          await h.result();
        }
        failedId = `${prefix}-failed`;
        const failed = await suite.env.client.workflow.start('throwsApplicationFailure', {
          taskQueue,
          workflowId: failedId,
          args: ['for visibility'],
        });
        await rejection(failed.result());
        await delay(50);
        tMid = new Date();
        await delay(50);
        runningId = `${prefix}-running`;
        const running = await suite.env.client.workflow.start('waitForever', { taskQueue, workflowId: runningId });
        const sleeper = await suite.env.client.workflow.start('quick', { taskQueue, workflowId: `${prefix}-late`, args: ['x'] });
        await sleeper.result();
        laterIds = [runningId, sleeper.workflowId];
        await waitFor('the running workflow to complete its first task', async () =>
          eventsOfType(await historyEvents(running), 'WORKFLOW_TASK_COMPLETED').length > 0,
        );
      }, taskQueue);
    });

    after(async () => {
      if (runningId) await suite.env.client.workflow.getHandle(runningId).terminate('test cleanup').catch(() => {});
    });

    it('describe returns type, task queue, status, history length, start and close times', SCENARIO_TIMEOUT, async () => {
      const done = await suite.env.client.workflow.getHandle(completedIds[0]).describe();
      assert.equal(done.type, 'quick');
      assert.equal(done.workflowId, completedIds[0]);
      assert.ok(done.runId);
      assert.equal(done.taskQueue, taskQueue);
      assert.equal(done.status.name, 'COMPLETED');
      const events = await historyEvents(suite.env.client.workflow.getHandle(completedIds[0]));
      assert.equal(done.historyLength, events.length);
      assert.ok(done.startTime instanceof Date);
      assert.ok(done.closeTime instanceof Date);
      assert.ok(done.closeTime.getTime() >= done.startTime.getTime());
      assert.ok(done.startTime.getTime() < tMid.getTime());

      const running = await suite.env.client.workflow.getHandle(runningId).describe();
      assert.equal(running.type, 'waitForever');
      assert.equal(running.status.name, 'RUNNING');
      assert.equal(running.closeTime, undefined);
      assert.ok(running.historyLength >= 3, `running history length ${running.historyLength}`);
      assert.ok(running.startTime.getTime() >= tMid.getTime());
    });

    it('list by type and status (paged), by workflow id, by task queue', SCENARIO_TIMEOUT, async () => {
      const completedQuick = await collect(
        suite.env.client.workflow.list({
          query: `WorkflowType = 'quick' AND ExecutionStatus = 'Completed' AND TaskQueue = '${taskQueue}'`,
          pageSize: 2,
        }),
      );
      assert.deepEqual(completedQuick.map((w) => w.workflowId).sort(), [...completedIds, `${prefix}-late`].sort());
      for (const w of completedQuick) {
        assert.equal(w.type, 'quick');
        assert.equal(w.status.name, 'COMPLETED');
        assert.equal(w.taskQueue, taskQueue);
        assert.ok(w.startTime instanceof Date && w.closeTime instanceof Date);
      }

      const byId = await collect(suite.env.client.workflow.list({ query: `WorkflowId = '${failedId}'` }));
      assert.equal(byId.length, 1);
      assert.equal(byId[0].status.name, 'FAILED');
      assert.equal(byId[0].type, 'throwsApplicationFailure');

      const all = await collect(suite.env.client.workflow.list({ query: `TaskQueue = '${taskQueue}'` }));
      assert.equal(all.length, 6);
      // Running workflows come first in the default order.
      assert.equal(all[0].workflowId, runningId);
    });

    it('count with AND / OR / parentheses and a StartTime range', SCENARIO_TIMEOUT, async () => {
      const tq = `TaskQueue = '${taskQueue}'`;
      assert.equal((await suite.env.client.workflow.count(tq)).count, 6);
      assert.equal(
        (await suite.env.client.workflow.count(`${tq} AND (ExecutionStatus = 'Failed' OR ExecutionStatus = 'Running')`)).count,
        2,
      );
      assert.equal(
        (await suite.env.client.workflow.count(`(WorkflowType = 'quick' OR WorkflowType = 'waitForever') AND ${tq}`)).count,
        5,
      );
      assert.equal((await suite.env.client.workflow.count(`${tq} AND ExecutionStatus != 'Completed'`)).count, 2);
      assert.equal(
        (await suite.env.client.workflow.count(`${tq} AND StartTime >= '${tMid.toISOString()}'`)).count,
        laterIds.length,
      );
      assert.equal((await suite.env.client.workflow.count(`${tq} AND StartTime < '${tMid.toISOString()}'`)).count, 4);
      const farFuture = new Date(Date.now() + 3_600_000).toISOString();
      assert.equal(
        (await suite.env.client.workflow.count(`${tq} AND StartTime BETWEEN '${tMid.toISOString()}' AND '${farFuture}'`)).count,
        2,
      );
      assert.equal((await suite.env.client.workflow.count(`WorkflowId = '${completedIds[1]}'`)).count, 1);
      const listedLater = await collect(
        suite.env.client.workflow.list({ query: `${tq} AND StartTime > '${tMid.toISOString()}'` }),
      );
      assert.deepEqual(listedLater.map((w) => w.workflowId).sort(), [...laterIds].sort());
    });

    it('count GROUP BY ExecutionStatus', SCENARIO_TIMEOUT, async () => {
      const grouped = await suite.env.client.workflow.count(`TaskQueue = '${taskQueue}' GROUP BY ExecutionStatus`);
      assert.equal(grouped.count, 6);
      const byStatus = Object.fromEntries(grouped.groups.map((g) => [String(g.groupValues[0]), g.count]));
      assert.deepEqual(byStatus, { Completed: 4, Failed: 1, Running: 1 });
    });
  });
});
