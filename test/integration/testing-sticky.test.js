// A time-skipping TestWorkflowEnvironment with duraflow's worker: a caching (sticky) worker produces
// the same history as a non-caching one, apart from the sticky queue named in WorkflowTaskScheduled,
// and sticky schedule-to-start timeouts never make time jump.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { msFromTs, temporal } from 'duraflow/proto';
import { TestWorkflowEnvironment } from 'duraflow/testing';
import { DefaultLogger, Worker } from 'duraflow/worker';
import * as activities from '../fixtures/sticky/activities.js';

const { EventType, TaskQueueKind } = temporal.api.enums.v1;
const workflowsPath = new URL('../fixtures/sticky/workflows.js', import.meta.url).pathname;
const T = { timeout: 60_000 };
const HOUR = 60 * 60 * 1000;

/** Runs sleepySteps(3) on a fresh queue with a worker of the given cache size; returns its history. */
async function runOnce(env, maxCachedWorkflows) {
  const taskQueue = `ts-sticky-${randomUUID()}`;
  const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowsPath, activities, maxCachedWorkflows, logger: new DefaultLogger('WARN') });
  return await worker.runUntil(async () => {
    const handle = await env.client.workflow.start('sleepySteps', { taskQueue, workflowId: `ts-${randomUUID()}`, args: [3] });
    assert.equal(await handle.result(), 6);
    return { taskQueue, events: (await handle.fetchHistory()).events };
  });
}

/** Event types, and times relative to the start rounded to the minute (skipped time shows, wall jitter does not). */
function shape({ events }) {
  const start = msFromTs(events[0].eventTime);
  return events.map((e) => `${EventType[e.eventType]} +${Math.round((msFromTs(e.eventTime) - start) / 60_000)}min`);
}

describe('time skipping with a sticky (caching) worker', () => {
  let env;
  before(async () => {
    env = await TestWorkflowEnvironment.createTimeSkipping({ server: { log: { level: 'error' } } });
  });
  after(() => env?.teardown());

  it('gives the same history as a worker without cache, apart from sticky queue names', T, async () => {
    const plain = await runOnce(env, 0);
    const sticky = await runOnce(env, 10);
    assert.deepEqual(shape(sticky), shape(plain));
    const timerFired = shape(sticky).filter((s) => s.startsWith('EVENT_TYPE_TIMER_FIRED'));
    assert.deepEqual(timerFired, ['EVENT_TYPE_TIMER_FIRED +60min', 'EVENT_TYPE_TIMER_FIRED +120min', 'EVENT_TYPE_TIMER_FIRED +180min']);
    const queues = (run) =>
      run.events.filter((e) => e.workflowTaskScheduledEventAttributes).map((e) => e.workflowTaskScheduledEventAttributes.taskQueue);
    assert.ok(queues(plain).every((q) => q.kind === TaskQueueKind.TASK_QUEUE_KIND_NORMAL && q.name === plain.taskQueue));
    const stickyQueues = queues(sticky);
    assert.equal(stickyQueues[0].kind, TaskQueueKind.TASK_QUEUE_KIND_NORMAL);
    assert.ok(stickyQueues.slice(1).every((q) => q.kind === TaskQueueKind.TASK_QUEUE_KIND_STICKY && q.normalName === sticky.taskQueue));
    assert.ok(!shape(sticky).some((s) => s.startsWith('EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT')));
    assert.ok((await env.currentTimeMs()) - msFromTs(sticky.events[0].eventTime) < 4 * HOUR, 'no extra time skipped');
  });
});
