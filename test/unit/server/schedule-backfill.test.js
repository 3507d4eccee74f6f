// Schedule backfills on the engine (fake clock): a long backfill is taken a chunk per tick, a second
// apart, instead of in one transaction that held the whole server; BUFFER_ALL backfills respect the
// buffer limit.
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { temporal, tsFromMs, durationFromMs } from '../../../dist/proto/index.js';
import { SCHEDULE_TIMER } from '../../../dist/server/schedules/record.js';
import { onScheduleTimer, scheduleHandlers } from '../../../dist/server/schedules/schedule-api.js';
import { NS, T0, createTestEngine } from './helpers/engine-harness.js';

const { ScheduleOverlapPolicy } = temporal.api.enums.v1;
const MINUTE = 60_000;

const engines = [];

function setup() {
  let now = T0 + 10_000 * MINUTE;
  const engine = createTestEngine(() => now);
  engines.push(engine);
  engine.onOwnerlessTimer(SCHEDULE_TIMER, onScheduleTimer);
  const api = scheduleHandlers(engine, (name) => name || NS);
  api.CreateSchedule({
    namespace: NS,
    scheduleId: 's',
    requestId: 'r',
    schedule: {
      spec: { interval: [{ interval: durationFromMs(MINUTE) }] },
      action: { startWorkflow: { workflowId: 'wf', workflowType: { name: 'W' }, taskQueue: { name: 'tq' } } },
      state: { paused: true },
    },
  });
  const info = () => api.DescribeSchedule({ namespace: NS, scheduleId: 's' }).info;
  const backfill = (minutes, overlapPolicy) =>
    api.PatchSchedule({
      namespace: NS,
      scheduleId: 's',
      patch: { backfillRequest: [{ startTime: tsFromMs(T0), endTime: tsFromMs(T0 + (minutes - 1) * MINUTE), overlapPolicy }] },
    });
  /** Moves the clock on by `ms` and fires what came due. */
  const tick = (ms = 1000) => {
    now += ms;
    engine.fireDueTimers();
  };
  return { engine, info, backfill, tick };
}

describe('schedule backfills', () => {
  afterEach(() => {
    for (const engine of engines.splice(0)) engine.stop();
  });

  it('takes a long backfill 500 times per tick, one tick a second, until every time is taken', () => {
    const { info, backfill, tick } = setup();
    backfill(1_200, ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_ALLOW_ALL);
    assert.equal(Number(info().actionCount), 500, 'the first chunk is taken in the request');
    tick(999);
    assert.equal(Number(info().actionCount), 500, 'the next chunk waits a second');
    tick(1);
    assert.equal(Number(info().actionCount), 1_000);
    tick();
    assert.equal(Number(info().actionCount), 1_200);
    tick();
    tick();
    assert.equal(Number(info().actionCount), 1_200, 'nothing is taken twice');
    assert.deepEqual(info().runningWorkflows, [], 'ALLOW_ALL starts are not tracked as running (as Temporal)');
    const ids = info().recentActions.map((a) => a.startWorkflowResult.workflowId);
    assert.equal(ids.at(-1), `wf-${new Date(T0 + 1_199 * MINUTE).toISOString().replace('.000Z', 'Z')}`);
  });

  it('a small backfill is taken whole in the request', () => {
    const { info, backfill } = setup();
    backfill(3, ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_ALLOW_ALL);
    assert.equal(Number(info().actionCount), 3);
  });

  it('BUFFER_ALL: buffers while a run is open, waits while the buffer is half full, and drops beyond its limit', () => {
    const { info, backfill, tick } = setup();
    backfill(2_000, ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_BUFFER_ALL);
    // One start, then every other time waits behind it: 499 buffered in the first chunk.
    assert.equal(Number(info().actionCount), 1);
    assert.equal(Number(info().bufferSize), 499);
    tick();
    assert.equal(Number(info().bufferSize), 999, 'below half full, the next chunk was taken');
    tick();
    tick();
    assert.equal(Number(info().bufferSize), 999, 'at least half full: the backfill waits for the buffer to drain');
    assert.equal(Number(info().bufferDropped), 0);
  });
});
