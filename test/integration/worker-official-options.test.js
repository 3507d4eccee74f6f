// The official worker options duraflow supports beyond its own, end to end against the dev server:
// workflowFailureErrorTypes (and setWorkflowOptions' failureExceptionTypes) fail the execution
// instead of the task, nondeterminism included; enableNonLocalActivities: false leaves activity
// tasks to other workers; maxTaskQueueActivitiesPerSecond (server-side) and maxActivitiesPerSecond
// (worker-side) space activity starts. Public subpaths only.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import { WorkflowFailedError } from 'duraflow/client';
import { DefaultLogger, GracefulShutdownPeriodExpiredError, Worker } from 'duraflow/worker';
import * as activities from '../fixtures/worker/activities.js';
import { devServerSuite } from './helpers/dev-server-suite.js';

const workflowsPath = new URL('../fixtures/worker/failure-types.js', import.meta.url).pathname;
const v2Path = new URL('../fixtures/worker/failure-types-v2.js', import.meta.url).pathname;
const uid = (prefix) => `${prefix}-${randomUUID()}`;
const logger = new DefaultLogger('ERROR');
/** A broken feature hangs (a result that never comes), so every test has a limit. */
const T = { timeout: 60_000 };

describe('official worker options', () => {
  const suite = devServerSuite();

  /** Runs `fn(taskQueue)` while a worker with `options` runs. */
  async function withWorker(options, fn) {
    const taskQueue = options.taskQueue ?? uid('official-options');
    const worker = await Worker.create({ connection: suite.connection, taskQueue, workflowsPath, activities, logger, ...options });
    return await worker.runUntil(() => fn(taskQueue));
  }

  /** The workflow task failures a run recorded, by cause. */
  async function taskFailureCauses(handle) {
    const { events } = await handle.fetchHistory();
    return events.filter((e) => e.workflowTaskFailedEventAttributes).map((e) => e.workflowTaskFailedEventAttributes.cause);
  }

  /** Waits until the run has recorded a failed workflow task. */
  async function untilTaskFails(handle) {
    for (let i = 0; i < 200; i++) {
      if ((await taskFailureCauses(handle)).length > 0) return;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error('the workflow task never failed');
  }

  it('an error type named in workflowFailureErrorTypes fails the execution; others fail the task', T, async () => {
    await withWorker({ workflowFailureErrorTypes: { throwsValidation: ['ValidationError'] } }, async (taskQueue) => {
      const failed = await suite.client.workflow.execute('throwsValidation', { taskQueue, workflowId: uid('validation') }).catch((e) => e);
      assert.ok(failed instanceof WorkflowFailedError, String(failed));
      assert.equal(failed.cause.type, 'ValidationError');
      assert.equal(failed.cause.message, 'order 17 has no address');

      const handle = await suite.client.workflow.start('throwsTypeError', { taskQueue, workflowId: uid('type-error') });
      await untilTaskFails(handle);
      assert.equal((await handle.describe()).status.name, 'RUNNING');
      await handle.terminate();
    });
  });

  it("'Error' under '*' fails the execution on any error", T, async () => {
    await withWorker({ workflowFailureErrorTypes: { '*': ['Error'] } }, async (taskQueue) => {
      const failed = await suite.client.workflow.execute('throwsTypeError', { taskQueue, workflowId: uid('any') }).catch((e) => e);
      assert.ok(failed instanceof WorkflowFailedError, String(failed));
      assert.equal(failed.cause.type, 'TypeError');
    });
  });

  it('setWorkflowOptions({ failureExceptionTypes }) matches subclasses, defineWorkflowOptions too, and a getter may read workflowInfo()', T, async () => {
    await withWorker({}, async (taskQueue) => {
      const failed = await suite.client.workflow.execute('throwsSubclass', { taskQueue, workflowId: uid('subclass') }).catch((e) => e);
      assert.ok(failed instanceof WorkflowFailedError, String(failed));
      assert.equal(failed.cause.type, 'MissingItemsError');
      const defined = await suite.client.workflow.execute('definedOptions', { taskQueue, workflowId: uid('defined') }).catch((e) => e);
      assert.ok(defined instanceof WorkflowFailedError, String(defined));
      const any = await suite.client.workflow.execute('anyErrorFails', { taskQueue, workflowId: uid('any-error') }).catch((e) => e);
      assert.ok(any instanceof WorkflowFailedError, String(any));
      assert.equal(any.cause.type, 'TypeError');

      const handle = await suite.client.workflow.start('signalThrows', { taskQueue, workflowId: uid('signal') });
      await handle.signal('explode');
      const signalFailed = await handle.result().catch((e) => e);
      assert.ok(signalFailed instanceof WorkflowFailedError, String(signalFailed));
      assert.equal(signalFailed.cause.message, 'rejected by signalThrows');
    });
  });

  it("'NondeterminismError' fails a nondeterministic run instead of retrying its task", T, async () => {
    const taskQueue = uid('nde');
    const workflowId = uid('changes-shape');
    const handle = await withWorker({ taskQueue, maxCachedWorkflows: 0 }, async () => {
      const started = await suite.client.workflow.start('changesShape', { taskQueue, workflowId });
      for (let i = 0; i < 200 && !(await started.fetchHistory()).events.some((e) => e.activityTaskCompletedEventAttributes); i++) {
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      return started;
    });
    await withWorker({ taskQueue, workflowsPath: v2Path, maxCachedWorkflows: 0, workflowFailureErrorTypes: { '*': ['NondeterminismError'] } }, async () => {
      await handle.signal('release');
      const failed = await handle.result().catch((e) => e);
      assert.ok(failed instanceof WorkflowFailedError, String(failed));
      assert.match(failed.cause.message, /nondetermin/i);
    });
    assert.deepEqual(await taskFailureCauses(handle), [], 'no workflow task was failed: the execution was');
  });

  it('without it, nondeterminism fails the task and the run stays open', T, async () => {
    const taskQueue = uid('nde-task');
    const handle = await withWorker({ taskQueue, maxCachedWorkflows: 0 }, async () => {
      const started = await suite.client.workflow.start('changesShape', { taskQueue, workflowId: uid('changes-shape') });
      for (let i = 0; i < 200 && !(await started.fetchHistory()).events.some((e) => e.activityTaskCompletedEventAttributes); i++) {
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      return started;
    });
    await withWorker({ taskQueue, workflowsPath: v2Path, maxCachedWorkflows: 0 }, async () => {
      await handle.signal('release');
      await untilTaskFails(handle);
    });
    assert.equal((await handle.describe()).status.name, 'RUNNING');
    await handle.terminate();
  });

  it('enableNonLocalActivities: false runs local activities but leaves activity tasks to other workers', T, async () => {
    const taskQueue = uid('local-only');
    const handle = await withWorker({ taskQueue, enableNonLocalActivities: false }, async () => {
      const started = await suite.client.workflow.start('localAndRemote', { taskQueue, workflowId: uid('local-remote') });
      for (let i = 0; i < 200 && !(await started.describe()).raw.pendingActivities?.length; i++) {
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
      const [pending] = (await started.describe()).raw.pendingActivities;
      assert.equal(pending.attempt, 1);
      assert.ok(!pending.lastStartedTime, 'the activity task was not started');
      return started;
    });
    await withWorker({ taskQueue }, async () => assert.deepEqual(await handle.result(), ['local', 'remote']));
  });

  it('maxTaskQueueActivitiesPerSecond makes the server dispatch at that rate (burst: one second\'s worth)', T, async () => {
    await withWorker({ maxTaskQueueActivitiesPerSecond: 4, maxConcurrentActivityTaskPolls: 5 }, async (taskQueue) => {
      const times = await suite.client.workflow.execute('startTimes', { taskQueue, workflowId: uid('tq-rate'), args: [8] });
      times.sort((a, b) => a - b);
      // 4 at once, then one per 250 ms: the eighth starts ≥ 1 s after the first (never sooner; later on a slow machine).
      assert.ok(times[7] - times[0] >= 900, `starts spread over ${times[7] - times[0]} ms`);
      const described = await suite.connection.workflowService.describeTaskQueue({
        namespace: 'default',
        taskQueue: { name: taskQueue },
        taskQueueType: 2,
      });
      assert.equal(described.effectiveRateLimit.requestsPerSecond, 4);
      assert.equal(described.effectiveRateLimit.rateLimitSource, 2, 'RATE_LIMIT_SOURCE_WORKER');
    });
  });

  it('shutdownForceTime: run() rejects with GracefulShutdownPeriodExpiredError when an activity outlives it', T, async () => {
    const taskQueue = uid('force');
    const worker = await Worker.create({ connection: suite.connection, taskQueue, workflowsPath, activities, logger, shutdownForceTime: '300ms' });
    const running = worker.run();
    const handle = await suite.client.workflow.start('slowActivity', { taskQueue, workflowId: uid('slow'), args: [1500] });
    for (let i = 0; i < 200 && !(await handle.describe()).raw.pendingActivities?.[0]?.lastStartedTime; i++) {
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    const shutdownAt = Date.now();
    worker.shutdown();
    await assert.rejects(running, (error) => error instanceof GracefulShutdownPeriodExpiredError && /shutdownForceTime \(300 ms\)/.test(error.message));
    assert.ok(Date.now() - shutdownAt < 1400, 'run() did not wait for the activity');
    assert.equal(worker.getState(), 'FAILED');
    await handle.terminate();
    await new Promise((resolve) => setTimeout(resolve, 1500)); // let the abandoned activity end before the server stops
    assert.equal(worker.getState(), 'FAILED', 'the abandoned drain ending later does not change it');
  });

  it('maxActivitiesPerSecond spaces this worker\'s activity polls', T, async () => {
    await withWorker({ maxActivitiesPerSecond: 5, maxConcurrentActivityTaskPolls: 5 }, async (taskQueue) => {
      const times = await suite.client.workflow.execute('startTimes', { taskQueue, workflowId: uid('worker-rate'), args: [6] });
      times.sort((a, b) => a - b);
      // Polls start 200 ms apart: six activities span at least ≈ 0.8 s (one may ride a poll begun before the workflow).
      assert.ok(times[5] - times[0] >= 700, `starts spread over ${times[5] - times[0]} ms`);
    });
  });
});
