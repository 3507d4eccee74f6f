// The official worker's option set: names duraflow does not read are refused (misspellings with a
// suggestion, unsupported official options with the reason) instead of being silently ignored; the
// official shapes duraflow supports (tuner with fixed-size slots, simple-maximum poller behaviors,
// activity rate limits, eager reservations, failure error types) compile into the worker's numbers.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileWorkerOptions } from '../../../dist/worker/worker-options.js';
import { failsOnNondeterminism, failureExceptionTypeNamesFor } from '../../../dist/worker/worker-option-checks.js';
import { closestName } from '../../../dist/common/closest-name.js';
import { PollRateLimiter } from '../../../dist/worker/poll-rate-limiter.js';

const noop = async () => undefined;
const base = { taskQueue: 'q', workflowsPath: '/w.js', activities: { noop } };

describe('worker option names', () => {
  it('refuses a misspelt option, suggesting the right name', () => {
    assert.throws(
      () => compileWorkerOptions({ ...base, maxConcurentActivityTaskExecutions: 5 }),
      /Unknown Worker option 'maxConcurentActivityTaskExecutions'; did you mean 'maxConcurrentActivityTaskExecutions'\?/,
    );
    assert.throws(() => compileWorkerOptions({ ...base, taskqueue: 'q' }), /did you mean 'taskQueue'/);
    assert.throws(() => compileWorkerOptions({ ...base, colour: 'blue' }), (e) => /Unknown Worker option 'colour'$/.test(e.message));
  });

  it('refuses official options duraflow does not support, saying why; empty or undefined ones pass', () => {
    assert.throws(() => compileWorkerOptions({ ...base, workerDeploymentOptions: { version: { deploymentName: 'd', buildId: '1' }, useWorkerVersioning: false } }), /'workerDeploymentOptions' is not supported: Worker Versioning/);
    assert.throws(() => compileWorkerOptions({ ...base, buildId: '1.0' }), /'buildId' is not supported/);
    assert.throws(() => compileWorkerOptions({ ...base, nexusServices: [{}] }), /'nexusServices' is not supported: Nexus/);
    assert.throws(() => compileWorkerOptions({ ...base, plugins: [{ name: 'p' }] }), /'plugins' is not supported/);
    assert.throws(() => compileWorkerOptions({ ...base, bundlerOptions: { webpackConfigHook: (c) => c } }), /webpackConfigHook' is not supported: duraflow bundles .* esbuild/);
    assert.throws(() => compileWorkerOptions({ ...base, bundlerOptions: { preloadModules: ['x'] } }), /preloadModules' is not supported/);
    const o = compileWorkerOptions({ ...base, nexusServices: [], plugins: [], buildId: undefined, reuseV8Context: true, enableSDKTracing: false, disablePayloadErrorLimit: true });
    assert.equal(o.taskQueue, 'q');
  });

  it('checks the accepted-for-compatibility options\' types', () => {
    assert.throws(() => compileWorkerOptions({ ...base, reuseV8Context: 'yes' }), /'reuseV8Context' must be true or false/);
    assert.throws(() => compileWorkerOptions({ ...base, maxConcurrentNexusTaskPolls: 0 }), /maxConcurrentNexusTaskPolls/);
    assert.throws(() => compileWorkerOptions({ ...base, nexusTaskPollerBehavior: { type: 'sometimes' } }), /nexusTaskPollerBehavior/);
  });
});

describe('tuner and poller behaviors', () => {
  const fixed = (numSlots) => ({ type: 'fixed-size', numSlots });
  it('reads fixed-size slot suppliers into the slot counts', () => {
    const o = compileWorkerOptions({
      ...base,
      maxCachedWorkflows: 100,
      tuner: { workflowTaskSlotSupplier: fixed(7), activityTaskSlotSupplier: fixed(3), localActivityTaskSlotSupplier: fixed(2), nexusTaskSlotSupplier: fixed(1) },
    });
    assert.deepEqual(
      [o.maxConcurrentWorkflowTaskExecutions, o.maxConcurrentActivityTaskExecutions, o.maxConcurrentLocalActivityExecutions, o.maxConcurrentActivityTaskPolls],
      [7, 3, 2, 3],
    );
  });

  it('refuses resource-based and custom slot suppliers, bad slot counts, and a tuner beside maxConcurrent…Executions', () => {
    assert.throws(() => compileWorkerOptions({ ...base, tuner: { tunerOptions: { targetMemoryUsage: 0.8, targetCpuUsage: 0.9 } } }), /resource-based tuners are not supported/);
    assert.throws(() => compileWorkerOptions({ ...base, tuner: { activityTaskSlotSupplier: { type: 'custom', reserveSlot: noop } } }), /tuner.activityTaskSlotSupplier': custom slot suppliers are not supported/);
    assert.throws(() => compileWorkerOptions({ ...base, tuner: { activityTaskSlotSupplier: fixed(0) } }), /tuner.activityTaskSlotSupplier.numSlots' must be an integer ≥ 1/);
    assert.throws(() => compileWorkerOptions({ ...base, tuner: { workflowSlots: fixed(1) } }), /Unknown Worker option 'tuner.workflowSlots'/);
    assert.throws(() => compileWorkerOptions({ ...base, tuner: {}, maxConcurrentActivityTaskExecutions: 5 }), /'tuner' and 'maxConcurrentActivityTaskExecutions' cannot both be set/);
  });

  it('takes a simple-maximum poller behavior as the poll count; refuses autoscaling and a second poll count', () => {
    const o = compileWorkerOptions({ ...base, workflowTaskPollerBehavior: { type: 'simple-maximum', maximum: 4 }, activityTaskPollerBehavior: { type: 'simple-maximum' } });
    assert.equal(o.maxConcurrentWorkflowTaskPolls, 4);
    assert.equal(o.maxConcurrentActivityTaskPolls, 10, 'no maximum: the default');
    assert.throws(() => compileWorkerOptions({ ...base, activityTaskPollerBehavior: { type: 'autoscaling', maximum: 20 } }), /autoscaling pollers are not supported by duraflow yet/);
    assert.throws(
      () => compileWorkerOptions({ ...base, workflowTaskPollerBehavior: { type: 'simple-maximum', maximum: 4 }, maxConcurrentWorkflowTaskPolls: 2 }),
      /'workflowTaskPollerBehavior' and 'maxConcurrentWorkflowTaskPolls' cannot both be set/,
    );
    assert.throws(() => compileWorkerOptions({ ...base, workflowTaskPollerBehavior: { type: 'simple-maximum', maximum: 1.5 } }), /maximum' must be an integer/);
  });
});

describe('activity options of the official worker', () => {
  it('enableNonLocalActivities: false stops activity polling (local activities still run); a worker left with nothing is refused', () => {
    assert.equal(compileWorkerOptions(base).pollsActivities, true);
    assert.equal(compileWorkerOptions({ ...base, enableNonLocalActivities: false }).pollsActivities, false);
    assert.throws(() => compileWorkerOptions({ taskQueue: 'q', activities: { noop }, enableNonLocalActivities: false }), /nothing to do/);
    assert.throws(() => compileWorkerOptions({ ...base, enableNonLocalActivities: 'no' }), /enableNonLocalActivities/);
  });

  it('eager reservations default to 3, 0 disables them, and either activities-per-second limit turns them off', () => {
    assert.equal(compileWorkerOptions(base).maxEagerActivityReservationsPerWorkflowTask, 3);
    assert.equal(compileWorkerOptions({ ...base, maxEagerActivityReservationsPerWorkflowTask: 0 }).maxEagerActivityReservationsPerWorkflowTask, 0);
    const limited = compileWorkerOptions({ ...base, maxActivitiesPerSecond: 2.5, maxEagerActivityReservationsPerWorkflowTask: 5 });
    assert.deepEqual([limited.maxActivitiesPerSecond, limited.maxEagerActivityReservationsPerWorkflowTask], [2.5, 0]);
    assert.equal(compileWorkerOptions({ ...base, maxTaskQueueActivitiesPerSecond: 10 }).maxEagerActivityReservationsPerWorkflowTask, 0);
    for (const bad of [0, -1, Number.NaN, Number.POSITIVE_INFINITY, '5']) {
      assert.throws(() => compileWorkerOptions({ ...base, maxActivitiesPerSecond: bad }), /'maxActivitiesPerSecond' must be a positive number/);
      assert.throws(() => compileWorkerOptions({ ...base, maxTaskQueueActivitiesPerSecond: bad }), /'maxTaskQueueActivitiesPerSecond' must be a positive number/);
    }
    assert.throws(() => compileWorkerOptions({ ...base, maxEagerActivityReservationsPerWorkflowTask: -1 }), /maxEagerActivityReservationsPerWorkflowTask/);
  });
});

describe('workflowFailureErrorTypes', () => {
  it('is checked, and a workflow type gets the "*" names and its own', () => {
    const o = compileWorkerOptions({ ...base, workflowFailureErrorTypes: { '*': ['NondeterminismError'], order: ['ValidationError', 'NondeterminismError'] } });
    assert.deepEqual(failureExceptionTypeNamesFor('order', o.workflowFailureErrorTypes), ['NondeterminismError', 'ValidationError']);
    assert.deepEqual(failureExceptionTypeNamesFor('other', o.workflowFailureErrorTypes), ['NondeterminismError']);
    assert.equal(failureExceptionTypeNamesFor('other', compileWorkerOptions(base).workflowFailureErrorTypes), undefined);
    assert.throws(() => compileWorkerOptions({ ...base, workflowFailureErrorTypes: { '*': 'Error' } }), /workflowFailureErrorTypes.\*' must be an array/);
    assert.throws(() => compileWorkerOptions({ ...base, workflowFailureErrorTypes: [] }), /must be an object/);
  });

  it('NondeterminismError, DeterminismViolationError and Error make nondeterminism fail the execution', () => {
    for (const name of ['NondeterminismError', 'DeterminismViolationError', 'Error']) assert.equal(failsOnNondeterminism([name]), true, name);
    assert.equal(failsOnNondeterminism(['ValidationError']), false);
    assert.equal(failsOnNondeterminism(undefined), false);
  });
});

describe('closestName', () => {
  it('suggests only close names, ignoring case', () => {
    assert.equal(closestName('TASKQUEUE', ['taskQueue', 'namespace']), 'taskQueue');
    assert.equal(closestName('identiy', ['identity', 'namespace']), 'identity');
    assert.equal(closestName('retries', ['taskQueue', 'namespace']), undefined);
  });
});

describe('PollRateLimiter', () => {
  it('spaces starts 1/rate apart, queueing concurrent callers, and lets idle time pass without banking starts', () => {
    let now = 1_000;
    const limiter = new PollRateLimiter(4, () => now);
    assert.deepEqual([limiter.reserve(), limiter.reserve(), limiter.reserve()], [0, 250, 500]);
    now += 10_000;
    assert.deepEqual([limiter.reserve(), limiter.reserve()], [0, 250]);
    assert.throws(() => new PollRateLimiter(0, () => now), /positive/);
  });
});
