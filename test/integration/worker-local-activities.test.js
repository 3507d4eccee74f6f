// Local activities on duraflow's worker, against the dev server with duraflow's client: execution
// and markers, failures, local retries and retries on a durable timer past the local retry
// threshold, timeouts, a local activity longer than the workflow task timeout (workflow task
// heartbeats), cancellation through a cancellation scope, replay from markers without executing,
// and histories recorded by the official worker replaying on ours (and ours on theirs).
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import * as officialActivity from '@temporalio/activity';
import { bundleWorkflowCode as officialBundle, DefaultLogger as OfficialLogger, NativeConnection, Worker as OfficialWorker } from '@temporalio/worker';
import { Context } from 'duraflow/activity';
import { Client, Connection } from 'duraflow/client';
import { temporal } from 'duraflow/proto';
import { DevServer } from 'duraflow/server';
import { DefaultLogger, Worker } from 'duraflow/worker';
import { makeActivities } from '../fixtures/worker-la/activities.js';
import { installQuietRuntime } from '../interop/helpers.js';

const FIXTURES = new URL('../fixtures/worker-la/', import.meta.url);
const workflowsPath = new URL('workflows.js', FIXTURES).pathname;
const uid = (prefix) => `${prefix}-${randomUUID()}`;
const T = { timeout: 60_000 };
const MARKER = 'core_local_activity';

const { EventType } = temporal.api.enums.v1;
const count = (events, type) => events.filter((e) => e.eventType === type).length;
const markers = (events) => events.filter((e) => e.eventType === EventType.EVENT_TYPE_MARKER_RECORDED && e.markerRecordedEventAttributes?.markerName === MARKER);

async function historyEvents(handle) {
  return (await handle.fetchHistory()).events ?? [];
}

describe('Local activities on duraflow\'s worker', () => {
  let server;
  let connection;
  let client;
  let worker;
  let running;
  let taskQueue;
  const { calls, activities } = makeActivities(Context);
  const start = (fn, options = {}) => client.workflow.start(fn, { taskQueue, workflowId: uid(fn), ...options });
  const execute = (fn, options = {}) => client.workflow.execute(fn, { taskQueue, workflowId: uid(fn), ...options });

  before(async () => {
    installQuietRuntime();
    server = await DevServer.start({ port: 0, logLevel: 'error' });
    connection = await Connection.connect({ address: server.address });
    client = new Client({ connection });
    taskQueue = uid('la');
    worker = await Worker.create({ connection, taskQueue, workflowsPath, activities, logger: new DefaultLogger('ERROR') });
    running = worker.run();
  });

  after(async () => {
    worker?.shutdown();
    await running;
    await connection?.close();
    await server?.stop();
  });

  it('runs local activities, in sequence and in parallel, recorded as markers', T, async () => {
    const handle = await start('laPipeline', { args: [3] });
    assert.deepEqual(await handle.result(), ['start', 0, 1, 2, 'end']);
    const events = await historyEvents(handle);
    assert.equal(markers(events).length, 5);
    assert.equal(count(events, EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED), 0, 'no activity task went through the server');
    assert.equal(calls.get('echo:"end"'), 1);
  });

  it('runs a local and a regular activity whose timeouts are longer than setTimeout can hold', T, async () => {
    // A 30-day timeout armed a timer Node fires after 1 ms: both activities timed out at once.
    const result = await execute('longTimeouts', { args: [50] });
    assert.equal(result.length, 2);
  });

  it('gives the activity a local activity info', T, async () => {
    const { local, remote } = await execute('laInfo');
    assert.deepEqual(local, { isLocal: true, attempt: 1, startToCloseTimeoutMs: 5000, scheduleToCloseTimeoutMs: 5000, workflowType: 'laInfo' });
    assert.equal(remote.isLocal, false);
  });

  it('rejects with the failure the activity threw, as the official SDK does', T, async () => {
    const caught = await execute('laFailure', { args: ['boom'] });
    // Not wrapped in an ActivityFailure: the official worker hands the workflow the activity's own failure.
    assert.deepEqual(caught, { name: 'ApplicationFailure', message: 'boom', type: 'Error' });
    assert.equal(calls.get('alwaysFails:boom'), 1, 'maximumAttempts: 1 means no retry');
  });

  it('fails a local activity of an unregistered type at once', T, async () => {
    assert.deepEqual(await execute('laUnknown'), { name: 'ApplicationFailure', type: 'NotFoundError', nonRetryable: true });
  });

  it('runs at most maxConcurrentLocalActivityExecutions at once', T, async () => {
    const tq = uid('la-slots');
    const w = await Worker.create({ connection, taskQueue: tq, workflowsPath, activities, maxConcurrentLocalActivityExecutions: 2, logger: new DefaultLogger('ERROR') });
    calls.delete('concurrent:max');
    const n = await w.runUntil(() => client.workflow.execute('laConcurrent', { taskQueue: tq, workflowId: uid('slots'), args: [6] }));
    assert.equal(n, 6);
    assert.ok(calls.get('concurrent:max') <= 2, `at most 2 ran at once (saw ${calls.get('concurrent:max')})`);
  });

  it('retries locally within the threshold, and on a durable timer beyond it', T, async () => {
    const key = uid('retries');
    const handle = await start('laRetries', { args: [key] });
    assert.deepEqual(await handle.result(), [3, 3]);
    assert.equal(calls.get(`flaky:${key}-quick`), 3);
    assert.equal(calls.get(`flaky:${key}-timer`), 3);
    const events = await historyEvents(handle);
    // One marker for the locally retried activity; for the other, a marker per attempt (two with a backoff).
    const all = markers(events);
    assert.equal(all.length, 4);
    assert.equal(all.filter((e) => e.markerRecordedEventAttributes.failure).length, 2);
    assert.equal(count(events, EventType.EVENT_TYPE_TIMER_STARTED), 2);
  });

  it('times out attempts (start-to-close, retried) and the activity (schedule-to-close)', T, async () => {
    const before = calls.get('slow') ?? 0;
    const key = uid('s2c');
    const out = await execute('laTimeouts', { args: [key] });
    assert.deepEqual(out.startToClose, { name: 'ActivityFailure', message: 'Local Activity timed out', causeName: 'TimeoutFailure', timeoutType: 'START_TO_CLOSE' });
    assert.equal((calls.get('slow') ?? 0) - before, 2, 'two attempts');
    assert.deepEqual(out.scheduleToClose, { name: 'ActivityFailure', message: 'Local Activity timed out', causeName: 'TimeoutFailure', timeoutType: 'SCHEDULE_TO_CLOSE' });
    assert.ok(calls.get(`flaky:${key}`) > 2, 'retried locally until the schedule-to-close timeout');
  });

  it('keeps the workflow task alive while a local activity runs longer than its timeout', T, async () => {
    const before = calls.get('slow') ?? 0;
    const handle = await start('laLong', { args: [3500], workflowTaskTimeout: '2s' });
    assert.equal(await handle.result(), 3500);
    const events = await historyEvents(handle);
    assert.ok(count(events, EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED) >= 3, 'heartbeat workflow tasks were completed');
    assert.equal(count(events, EventType.EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT), 0);
    assert.equal(count(events, EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED), 0);
    assert.equal(markers(events).length, 1);
    assert.equal((calls.get('slow') ?? 0) - before, 1, 'the activity ran once');
  });

  it('cancels a running local activity through its cancellation scope', T, async () => {
    for (const cancellationType of ['WAIT_CANCELLATION_COMPLETED', 'TRY_CANCEL', 'ABANDON']) {
      const key = uid(cancellationType);
      const handle = await start('laCancel', { args: [key, cancellationType], workflowTaskTimeout: '1s' });
      const result = await handle.result();
      assert.deepEqual(result, { cancelled: true, name: 'ActivityFailure', message: 'Local Activity cancelled', causeName: 'CancelledFailure' }, cancellationType);
      assert.equal(calls.get(`waitForCancel:${key}`), 1);
      // An abandoned activity is not cancelled by the workflow, only stopped once its run leaves the worker.
      if (cancellationType !== 'ABANDON') assert.equal(calls.get(`cancelled:${key}`), 'CancelledFailure', `${cancellationType}: the activity saw the cancellation`);
      const events = await historyEvents(handle);
      assert.equal(markers(events).length, 1, `${cancellationType}: one marker`);
      assert.ok(markers(events)[0].markerRecordedEventAttributes.failure?.canceledFailureInfo, `${cancellationType}: the marker records the cancellation`);
    }
  });

  it('replays a history with local activity markers without executing them', T, async () => {
    const key = uid('replay');
    const retries = await start('laRetries', { args: [key] });
    await retries.result();
    const pipeline = await start('laPipeline', { args: [2] });
    await pipeline.result();
    const snapshot = new Map(calls);
    await Worker.runReplayHistory({ workflowsPath }, await retries.fetchHistory(), retries.workflowId);
    await Worker.runReplayHistory({ workflowsPath }, await pipeline.fetchHistory(), pipeline.workflowId);
    assert.deepEqual(new Map(calls), snapshot, 'no activity ran during replay');
  });

  it('replays with a cache of one run, resolving earlier local activities from markers', T, async () => {
    const tq = uid('la-nocache');
    const w = await Worker.create({ connection, taskQueue: tq, workflowsPath, activities, maxCachedWorkflows: 0, logger: new DefaultLogger('ERROR') });
    const key = uid('nocache');
    const result = await w.runUntil(() => client.workflow.execute('laRetries', { taskQueue: tq, workflowId: uid('nocache'), args: [key] }));
    assert.deepEqual(result, [3, 3]);
    assert.equal(calls.get(`flaky:${key}-quick`), 3, 'replayed tasks did not run the activity again');
  });
});

describe('Local activity histories of the official worker', () => {
  let server;
  let connection;
  let client;
  let nativeConnection;
  let officialWorkflowBundle;
  const official = makeActivities(officialActivity.Context);
  const ours = makeActivities(Context);

  before(async () => {
    installQuietRuntime();
    server = await DevServer.start({ port: 0, logLevel: 'error' });
    connection = await Connection.connect({ address: server.address });
    client = new Client({ connection });
    nativeConnection = await NativeConnection.connect({ address: server.address });
    officialWorkflowBundle = await officialBundle({ workflowsPath: new URL('official.js', FIXTURES).pathname, logger: new OfficialLogger('ERROR') });
  });

  after(async () => {
    await nativeConnection?.close();
    await connection?.close();
    await server?.stop();
  });

  /** Runs the shared workflows on a worker polling `taskQueue`; returns their results and histories. */
  async function runShared(taskQueue) {
    const out = {};
    for (const [name, args] of [['laPipeline', [2]], ['laRetries', [uid('interop')]], ['laFailure', ['nope']]]) {
      const handle = await client.workflow.start(name, { taskQueue, workflowId: uid(name), args });
      out[name] = { result: await handle.result(), history: await handle.fetchHistory(), workflowId: handle.workflowId };
    }
    return out;
  }

  it('replay on ours, and ours on theirs, with the same results', { timeout: 120_000 }, async () => {
    const officialQueue = uid('official-la');
    const theirWorker = await OfficialWorker.create({ connection: nativeConnection, taskQueue: officialQueue, workflowBundle: officialWorkflowBundle, activities: official.activities });
    const theirs = await theirWorker.runUntil(() => runShared(officialQueue));
    const ourQueue = uid('ours-la');
    const ourWorker = await Worker.create({ connection, taskQueue: ourQueue, workflowsPath, activities: ours.activities, logger: new DefaultLogger('ERROR') });
    const mine = await ourWorker.runUntil(() => runShared(ourQueue));

    for (const name of Object.keys(theirs)) {
      assert.deepEqual(mine[name].result, theirs[name].result, `${name}: same result on both workers`);
      assert.equal(markers(mine[name].history.events).length, markers(theirs[name].history.events).length, `${name}: same markers`);
      const executed = new Map(ours.calls);
      await assert.doesNotReject(Worker.runReplayHistory({ workflowsPath }, theirs[name].history, theirs[name].workflowId), `${name}: official history on ours`);
      assert.deepEqual(new Map(ours.calls), executed);
      await assert.doesNotReject(
        OfficialWorker.runReplayHistory({ workflowBundle: officialWorkflowBundle }, mine[name].history, mine[name].workflowId),
        `${name}: our history on the official worker`
      );
    }
  });
});
