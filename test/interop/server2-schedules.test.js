// Interop (server, second half): schedules driven by the official @temporalio/client ScheduleClient,
// with the official worker running the scheduled workflows on duraflow's dev server.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ScheduleNotFoundError } from '@temporalio/client';
import * as activities from '../fixtures/interop2/activities.js';
import { interopSuite, rejection, uid, waitFor } from '../fixtures/interop2/helpers.js';

describe('interop server2: schedules', () => {
  const suite = interopSuite({ activities, queuePrefix: 'tq-schedules' });
  const { withWorker } = suite;

  async function scheduledRuns(scheduleId) {
    const ids = [];
    for await (const w of suite.env.client.workflow.list({ query: `TemporalScheduledById = '${scheduleId}'` })) ids.push(w);
    return ids;
  }

  it('runs on its interval; is described, listed, paused, triggered, backfilled and deleted', async () => {
    await withWorker(async (taskQueue) => {
      const scheduleId = uid('sched');
      const handle = await suite.env.client.schedule.create({
        scheduleId,
        spec: { intervals: [{ every: '1s' }] },
        action: { type: 'startWorkflow', workflowType: 'childEcho', args: ['tick'], taskQueue, workflowId: `${scheduleId}-wf` },
      });

      // Runs: at least two actions, named <workflowId>-<nominal time> with the schedule's search attributes.
      await waitFor('two scheduled runs', async () => (await handle.describe()).info.numActionsTaken >= 2);
      const described = await handle.describe();
      assert.equal(described.scheduleId, scheduleId);
      assert.deepEqual(described.spec.intervals?.map((i) => i.every), [1000]);
      assert.equal(described.info.nextActionTimes.length > 0, true);
      const recent = described.info.recentActions[0];
      assert.match(recent.action.workflow.workflowId, new RegExp(`^${scheduleId}-wf-\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ$`));
      const run = await suite.env.client.workflow.getHandle(recent.action.workflow.workflowId).describe();
      assert.equal(run.searchAttributes.TemporalScheduledById?.[0], scheduleId);
      assert.ok(run.searchAttributes.TemporalScheduledStartTime?.[0] instanceof Date);
      assert.equal((await suite.env.client.workflow.getHandle(recent.action.workflow.workflowId).result()).echoed, 'child:tick');

      // Listed.
      const listed = [];
      for await (const s of suite.env.client.schedule.list()) listed.push(s.scheduleId);
      assert.ok(listed.includes(scheduleId));

      // Paused: no new actions; the note is kept.
      await handle.pause('maintenance');
      const paused = await handle.describe();
      assert.equal(paused.state.paused, true);
      assert.equal(paused.state.note, 'maintenance');
      const countWhilePaused = paused.info.numActionsTaken;
      await new Promise((resolve) => setTimeout(resolve, 1500));
      assert.equal((await handle.describe()).info.numActionsTaken, countWhilePaused);

      // Triggered while paused: one immediate action.
      await handle.trigger();
      assert.equal((await handle.describe()).info.numActionsTaken, countWhilePaused + 1);

      // Backfilled: one action per spec time in the (past) range.
      // Whole seconds, so the inclusive range [start, end] holds exactly 5 interval times.
      const end = new Date(Math.floor(Date.now() / 1000) * 1000 - 60_000);
      const start = new Date(end.getTime() - 4_000);
      await handle.backfill({ start, end, overlap: 'ALLOW_ALL' });
      assert.equal((await handle.describe()).info.numActionsTaken, countWhilePaused + 1 + 5);
      const runs = await scheduledRuns(scheduleId);
      assert.equal(runs.length, countWhilePaused + 1 + 5);

      // Unpaused: actions resume.
      await handle.unpause('back');
      await waitFor('an action after unpause', async () => (await handle.describe()).info.numActionsTaken > countWhilePaused + 6);

      // Deleted.
      await handle.delete();
      const error = await rejection(handle.describe());
      assert.ok(error instanceof ScheduleNotFoundError, `expected ScheduleNotFoundError, got ${error}`);
    });
  });

  it('the SKIP overlap policy skips while the previous run is still running', async () => {
    await withWorker(async (taskQueue) => {
      const scheduleId = uid('sched-skip');
      const handle = await suite.env.client.schedule.create({
        scheduleId,
        spec: { intervals: [{ every: '1s' }] },
        policies: { overlap: 'SKIP' },
        action: { type: 'startWorkflow', workflowType: 'waitForPoke', taskQueue, workflowId: `${scheduleId}-wf` },
      });
      await waitFor('a skipped action', async () => (await handle.describe()).info.numActionsSkippedOverlap >= 1);
      const d = await handle.describe();
      assert.equal(d.info.numActionsTaken, 1);
      assert.equal(d.info.runningActions.length, 1);
      await handle.delete();
      await suite.env.client.workflow.getHandle(d.info.runningActions[0].workflow.workflowId).terminate();
    });
  });

  it('matching times and invalid specs', async () => {
    const scheduleId = uid('sched-cron');
    const handle = await suite.env.client.schedule.create({
      scheduleId,
      spec: { cronExpressions: ['0 12 * * MON-FRI'] },
      action: { type: 'startWorkflow', workflowType: 'childEcho', args: ['x'], taskQueue: 'unused', workflowId: 'w' },
      state: { paused: true },
    });
    const d = await handle.describe();
    // Cron strings are described as structured calendars, as Temporal does.
    assert.equal(d.spec.cronExpressions?.length ?? 0, 0);
    assert.equal(d.spec.calendars?.length, 1);
    const { startTime } = await suite.env.connection.workflowService.listScheduleMatchingTimes({
      namespace: 'default',
      scheduleId,
      startTime: { seconds: Date.UTC(2030, 0, 7) / 1000 },
      endTime: { seconds: Date.UTC(2030, 0, 14) / 1000 },
    });
    assert.deepEqual(
      startTime.map((t) => new Date(Number(t.seconds) * 1000).toISOString()),
      ['2030-01-07', '2030-01-08', '2030-01-09', '2030-01-10', '2030-01-11'].map((day) => `${day}T12:00:00.000Z`),
    );
    await handle.delete();
    const bad = await rejection(
      suite.env.client.schedule.create({
        scheduleId: uid('bad'),
        spec: { cronExpressions: ['61 * * * *'] },
        action: { type: 'startWorkflow', workflowType: 'childEcho', taskQueue: 'q', workflowId: 'w' },
      }),
    );
    assert.match(String(bad?.cause?.message ?? bad?.message), /minute: 61 is out of range/);
  });
});
