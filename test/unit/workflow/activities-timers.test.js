// Workflow runtime: start and result, activities (options → command fields, resolutions), timers,
// workflow failures. Activations in, commands out; no server, no sandbox.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as wf from '../../fixtures/workflows/basic.js';
import { appFailure, commandsOf, failureError, jobs, kinds, payload, resultOf, Run, value } from './helpers/harness.js';

describe('start and result', () => {
  it('passes the arguments and completes with the result', async () => {
    const run = new Run(wf);
    const completion = await run.start('returnsArgs', { args: [1, 'two', { three: 3 }] });
    assert.equal(completion.runId, 'run-1');
    assert.deepEqual(kinds(completion), ['completeWorkflowExecution']);
    assert.deepEqual(resultOf(completion), { args: [1, 'two', { three: 3 }] });
  });

  it('fails the workflow task when the workflow type is not exported', async () => {
    const run = new Run(wf);
    const completion = await run.start('noSuchWorkflow');
    assert.match(completion.failed.failure.message, /Failed to initialize workflow of type 'noSuchWorkflow': no such function is exported/);
  });

  it('uses the default export when the type is not exported by name', async () => {
    const run = new Run({ default: async () => 'from default' });
    assert.equal(resultOf(await run.start('anything')), 'from default');
  });

  it('fails the task when the first activation has no initializeWorkflow job', async () => {
    const run = new Run(wf);
    const completion = await run.activate([jobs.fireTimer(1)]);
    assert.match(completion.failed.failure.message, /must contain an initializeWorkflow job/);
  });
});

describe('activities', () => {
  it('schedules with defaults, then completes with the activity result', async () => {
    const run = new Run(wf);
    const first = await run.start('greetViaActivity', { args: ['Ada'] });
    const [cmd] = commandsOf(first);
    assert.deepEqual(
      { ...cmd, arguments: cmd.arguments.map(value) },
      {
        kind: 'scheduleActivity',
        seq: 1,
        activityId: '1',
        activityType: 'greet',
        taskQueue: 'tq',
        arguments: ['Ada'],
        headers: {},
        startToCloseTimeoutMs: 60_000,
        cancellationType: 'WAIT_CANCELLATION_COMPLETED',
        doNotEagerlyExecute: false,
      }
    );
    const second = await run.activate([jobs.activityCompleted(1, 'Hello, Ada')]);
    assert.equal(resultOf(second), 'Hello, Ada');
  });

  it('maps every ActivityOptions field to the command', async () => {
    const run = new Run(wf);
    const [cmd] = commandsOf(await run.start('activityWithAllOptions'));
    assert.equal(cmd.activityId, 'custom-id');
    assert.equal(cmd.taskQueue, 'other-tq');
    assert.equal(cmd.scheduleToCloseTimeoutMs, 600_000);
    assert.equal(cmd.scheduleToStartTimeoutMs, 120_000);
    assert.equal(cmd.startToCloseTimeoutMs, 30_000);
    assert.equal(cmd.heartbeatTimeoutMs, 5_000);
    assert.deepEqual(cmd.retryPolicy, {
      initialInterval: { seconds: 2, nanos: 0 },
      maximumInterval: { seconds: 60, nanos: 0 },
      backoffCoefficient: 3,
      maximumAttempts: 4,
      nonRetryableErrorTypes: ['Bad'],
    });
    assert.equal(cmd.cancellationType, 'TRY_CANCEL');
    assert.equal(cmd.doNotEagerlyExecute, true);
    assert.equal(value(cmd.summary), 'does everything');
    assert.deepEqual(cmd.priority, { priorityKey: 2 });
    assert.deepEqual(cmd.arguments.map(value), [1, 'two']);
  });

  it('executeWithOptions merges the override into the proxy options', async () => {
    const run = new Run(wf);
    const [cmd] = commandsOf(await run.start('executeWithOptionsOverride'));
    assert.equal(cmd.taskQueue, 'override-tq');
    assert.equal(cmd.startToCloseTimeoutMs, 60_000);
    assert.equal(cmd.retryPolicy.maximumAttempts, 5);
    assert.deepEqual(cmd.retryPolicy.initialInterval, { seconds: 1, nanos: 0 });
  });

  it('numbers activities from 1 and resolves them by seq in any order', async () => {
    const run = new Run(wf);
    const first = commandsOf(await run.start('twoActivitiesInParallel'));
    assert.deepEqual(first.map((c) => [c.seq, c.activityType, c.activityId]), [[1, 'first', '1'], [2, 'second', '2']]);
    assert.deepEqual(kinds(await run.activate([jobs.activityCompleted(2, 'b')])), []);
    assert.equal(resultOf(await run.activate([jobs.activityCompleted(1, 'a')])), 'a+b');
  });

  it('rejects with ActivityFailure (cause decoded) when the activity failed', async () => {
    const run = new Run(wf);
    await run.start('activityFailureCaught');
    const activityFailure = {
      message: 'Activity task failed',
      activityFailureInfo: { activityType: { name: 'failing' }, activityId: '1', retryState: 5 },
      cause: { message: 'card declined', applicationFailureInfo: { type: 'Declined', nonRetryable: true } },
    };
    const completion = await run.activate([{ kind: 'resolveActivity', seq: 1, isLocal: false, result: { status: 'failed', failure: activityFailure } }]);
    assert.deepEqual(resultOf(completion), {
      name: 'ActivityFailure',
      message: 'Activity task failed',
      causeName: 'ApplicationFailure',
      causeMessage: 'card declined',
    });
  });

  it('an activity failure escaping the workflow fails the execution', async () => {
    const run = new Run(wf);
    await run.start('activityFailurePropagates');
    const completion = await run.activate([jobs.activityFailed(1, appFailure('boom'))]);
    const [cmd] = commandsOf(completion);
    assert.equal(cmd.kind, 'failWorkflowExecution');
    assert.equal(cmd.failure.message, 'boom');
  });

  it('fails the task on a resolution for an unknown seq', async () => {
    const run = new Run(wf);
    await run.start('greetViaActivity', { args: ['x'] });
    const completion = await run.activate([jobs.activityCompleted(7, 'nope')]);
    assert.match(completion.failed.failure.message, /resolveActivity: no pending operation with seq 7/);
  });

  it('local activities: scheduleLocalActivity, backoff via a timer, then a new attempt with a new seq', async () => {
    const run = new Run(wf);
    const [la] = commandsOf(await run.start('localActivity'));
    assert.equal(la.kind, 'scheduleLocalActivity');
    assert.deepEqual([la.seq, la.activityId, la.activityType, la.attempt, la.localRetryThresholdMs], [1, '1', 'compute', 1, 60_000]);
    const [timer] = commandsOf(await run.activate([jobs.localActivityBackoff(1, 2, 90_000)]));
    assert.deepEqual(timer, { kind: 'startTimer', seq: 1, startToFireTimeoutMs: 90_000 });
    const [retry] = commandsOf(await run.activate([jobs.fireTimer(1)]));
    assert.deepEqual([retry.kind, retry.seq, retry.attempt, retry.originalScheduleTimeMs], ['scheduleLocalActivity', 2, 2, run.timeMs]);
    assert.equal(resultOf(await run.activate([jobs.activityCompleted(2, 42, true)])), 42);
  });

  it('requires a timeout, with a clear error', async () => {
    const { proxyActivities } = await import('../../../dist/workflow/index.js');
    assert.throws(() => proxyActivities({}), /Required either scheduleToCloseTimeout or startToCloseTimeout/);
    assert.throws(() => proxyActivities(undefined), /Activity options must be an object/);
  });
});

describe('timers', () => {
  it('startTimer with the duration in ms, completes after fireTimer', async () => {
    const run = new Run(wf);
    const first = await run.start('sleepThenReturn', { args: ['1 day'] });
    assert.deepEqual(commandsOf(first), [{ kind: 'startTimer', seq: 1, startToFireTimeoutMs: 86_400_000 }]);
    assert.equal(resultOf(await run.activate([jobs.fireTimer(1)])), 'woke');
  });

  it('a duration below 1 ms becomes 1 ms', async () => {
    const run = new Run(wf);
    const [cmd] = commandsOf(await run.start('sleepThenReturn', { args: [0] }));
    assert.equal(cmd.startToFireTimeoutMs, 1);
  });

  it('an invalid duration fails the task with a message naming the value', async () => {
    const run = new Run(wf);
    const completion = await run.start('sleepInvalid');
    assert.match(completion.failed.failure.message, /Invalid sleep duration: Invalid duration string: 'soon-ish'/);
  });
});

describe('workflow failures', () => {
  it('ApplicationFailure → failWorkflowExecution with the encoded failure', async () => {
    const run = new Run(wf);
    const [cmd] = commandsOf(await run.start('throwsApplicationFailure'));
    assert.equal(cmd.kind, 'failWorkflowExecution');
    const err = failureError(cmd.failure);
    assert.equal(err.name, 'ApplicationFailure');
    assert.equal(err.message, 'nope');
    assert.equal(err.type, 'Refused');
    assert.equal(err.nonRetryable, true);
    assert.deepEqual(err.details, ['why']);
  });

  it('a TypeError fails the workflow task, without commands', async () => {
    const run = new Run(wf);
    assert.deepEqual(kinds(await run.start('throwsTypeError')), ['startTimer']);
    const completion = await run.activate([jobs.fireTimer(1)]);
    assert.equal(completion.successful, undefined);
    assert.match(completion.failed.failure.message, /Cannot read properties of null/);
    assert.match(completion.failed.failure.stackTrace, /TypeError/);
  });

  it('a plain Error fails the workflow task, and the run keeps failing until evicted', async () => {
    const run = new Run(wf);
    const completion = await run.start('throwsPlainError');
    assert.equal(completion.failed.failure.message, 'plain error');
    const again = await run.activate([jobs.signal('anything')]);
    assert.equal(again.failed.failure.message, 'plain error');
  });

  it('a DeterminismViolationError fails the workflow task', async () => {
    const run = new Run(wf);
    const completion = await run.start('throwsDeterminismViolation');
    assert.equal(completion.failed.failure.message, 'not deterministic');
  });

  it('payload helpers round-trip', () => {
    assert.deepEqual(value(payload({ a: [1] })), { a: [1] });
  });
});
