// UpdateTaskQueueConfig on the dev server over gRPC (as `temporal task-queue config set` calls it),
// with duraflow's worker running the activities: a configured rate limit takes precedence over the
// workers' (0 stops dispatch), DescribeTaskQueue reports it and the config, and bad requests are
// refused as Temporal's frontend refuses them. Public subpaths only.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import { DefaultLogger, Worker } from 'duraflow/worker';
import * as activities from '../fixtures/worker/activities.js';
import { devServerSuite } from './helpers/dev-server-suite.js';

const workflowsPath = new URL('../fixtures/worker/failure-types.js', import.meta.url).pathname;
const uid = (prefix) => `${prefix}-${randomUUID()}`;
const ACTIVITY = 2;
const T = { timeout: 60_000 };

describe('UpdateTaskQueueConfig', () => {
  const suite = devServerSuite();
  const service = () => suite.connection.workflowService;

  const setRate = (taskQueue, requestsPerSecond, reason = 'test') =>
    service().updateTaskQueueConfig({
      namespace: 'default',
      identity: 'ops',
      taskQueue,
      taskQueueType: ACTIVITY,
      updateQueueRateLimit: { rateLimit: requestsPerSecond === undefined ? undefined : { requestsPerSecond }, reason },
    });
  const describeActivities = (taskQueue) =>
    service().describeTaskQueue({ namespace: 'default', taskQueue: { name: taskQueue }, taskQueueType: ACTIVITY, reportConfig: true });

  it('a rate of 0 holds the queue\'s activities until the limit is lifted; describe reports the limit and its source', T, async () => {
    const taskQueue = uid('paused');
    const set = await setRate(taskQueue, 0, 'maintenance');
    assert.equal(set.config.queueRateLimit.rateLimit.requestsPerSecond, 0);
    assert.equal(set.config.queueRateLimit.metadata.reason, 'maintenance');
    assert.equal(set.config.queueRateLimit.metadata.updateIdentity, 'ops');
    const worker = await Worker.create({ connection: suite.connection, taskQueue, workflowsPath, activities, logger: new DefaultLogger('ERROR'), maxTaskQueueActivitiesPerSecond: 50 });
    await worker.runUntil(async () => {
      const handle = await suite.client.workflow.start('startTimes', { taskQueue, workflowId: uid('held'), args: [2] });
      await new Promise((resolve) => setTimeout(resolve, 500));
      const held = await describeActivities(taskQueue);
      assert.deepEqual([held.effectiveRateLimit.requestsPerSecond, held.effectiveRateLimit.rateLimitSource], [0, 1], 'RATE_LIMIT_SOURCE_API wins over the worker\'s 50');
      assert.equal(held.config.queueRateLimit.rateLimit.requestsPerSecond, 0);
      const { raw } = await handle.describe();
      assert.equal(raw.pendingActivities.length, 2);
      assert.ok(raw.pendingActivities.every((a) => !a.lastStartedTime), 'no activity was dispatched');
      const lifted = await setRate(taskQueue, undefined, 'done');
      assert.equal(lifted.config.queueRateLimit.rateLimit, null);
      assert.equal((await handle.result()).length, 2);
      const after = await describeActivities(taskQueue);
      assert.deepEqual([after.effectiveRateLimit.requestsPerSecond, after.effectiveRateLimit.rateLimitSource], [50, 2], 'back to the worker\'s limit');
    });
  });

  it('fairness weight overrides are kept and reported; set and unset merge', T, async () => {
    const taskQueue = uid('weights');
    const update = (set, unset) => service().updateTaskQueueConfig({ namespace: 'default', taskQueue, taskQueueType: ACTIVITY, setFairnessWeightOverrides: set, unsetFairnessWeightOverrides: unset });
    await update({ a: 2, b: 0.5 }, []);
    const merged = await update({ c: 3 }, ['a']);
    assert.deepEqual(merged.config.fairnessWeightOverrides, { b: 0.5, c: 3 });
    assert.deepEqual((await describeActivities(taskQueue)).config.fairnessWeightOverrides, { b: 0.5, c: 3 });
  });

  it('refuses what Temporal\'s frontend refuses', T, async () => {
    const refuses = async (request, pattern, code = 3) =>
      assert.rejects(service().updateTaskQueueConfig({ namespace: 'default', taskQueue: 'q', taskQueueType: ACTIVITY, ...request }), (error) => error.code === code && pattern.test(error.message));
    await refuses({ taskQueueType: 1, updateQueueRateLimit: { rateLimit: { requestsPerSecond: 5 } } }, /Setting rate limit on workflow task queues is not allowed/);
    await refuses({ updateQueueRateLimit: { rateLimit: { requestsPerSecond: -1 } } }, /RequestsPerSecond for UpdateQueueRateLimit rate limit must be non-negative/);
    await refuses({ setFairnessWeightOverrides: { '': 1 } }, /fairness weight override key must not be empty/);
    await refuses({ setFairnessWeightOverrides: { k: 0 } }, /invalid fairness weight weight for key "k"/);
    await refuses({ setFairnessWeightOverrides: { k: 1 }, unsetFairnessWeightOverrides: ['k'] }, /present in both set and unset lists/);
    await refuses({ taskQueue: '' }, /TaskQueue is not set/);
    await refuses({ updateFairnessKeyRateLimitDefault: { rateLimit: { requestsPerSecond: 1 } } }, /not supported by the duraflow dev server yet/, 12);
  });
});
