// Interop (server, second half): the time-skipping test server (`bin/duraflow-test-server.js`)
// through the official TestWorkflowEnvironment.createTimeSkipping().
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { interopSuite, createTimeSkippingEnv, uid } from '../fixtures/interop2/helpers.js';

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;

describe('interop server2: time skipping', () => {
  const observed = {};
  const activities = {
    /** Takes ~1.5 s of real time; records wall-clock and server-clock readings around it. */
    async slowActivity() {
      const wallStart = Date.now();
      const serverStart = await suite.env.currentTimeMs();
      await new Promise((resolve) => setTimeout(resolve, 1500));
      const wallEnd = Date.now();
      const serverEnd = await suite.env.currentTimeMs();
      observed.activity = { wallStart, wallEnd, serverStart, serverEnd };
      return { wallGap: wallEnd - wallStart, serverGap: serverEnd - serverStart };
    },
  };

  const suite = interopSuite({ createEnv: createTimeSkippingEnv, activities, queuePrefix: 'tq-skip' });
  const { withWorker } = suite;

  it('a workflow that sleeps 30 days completes in under a second of wall time', async () => {
    await withWorker(async (taskQueue) => {
      const serverBefore = await suite.env.currentTimeMs();
      const wallStart = Date.now();
      const result = await suite.env.client.workflow.execute('sleepLong', {
        taskQueue,
        workflowId: uid('sleep-30d'),
        args: ['30 days'],
      });
      const wallElapsed = Date.now() - wallStart;
      assert.ok(wallElapsed < 1000, `30 days took ${wallElapsed} ms of wall time`);
      assert.ok(result.workflowTimeSlept >= 30 * DAY, `workflow time slept ${result.workflowTimeSlept} ms`);
      const serverAfter = await suite.env.currentTimeMs();
      assert.ok(serverAfter - serverBefore >= 30 * DAY, `server clock advanced ${serverAfter - serverBefore} ms`);
    });
  });

  it('time does not skip while an activity runs, and skips once it is done', async () => {
    await withWorker(async (taskQueue) => {
      const serverBefore = await suite.env.currentTimeMs();
      const result = await suite.env.client.workflow.execute('activityThenSleep', {
        taskQueue,
        workflowId: uid('activity-then-sleep'),
      });
      const serverAfter = await suite.env.currentTimeMs();
      const { activityResult } = result;
      // The activity really took ~1.5 s...
      assert.ok(activityResult.wallGap >= 1400, `activity wall gap ${activityResult.wallGap} ms`);
      // ...and the server clock did not jump (to the pending 1 h timer) while it ran.
      assert.ok(
        activityResult.serverGap >= 1400 && activityResult.serverGap < 60_000,
        `server clock moved ${activityResult.serverGap} ms during the activity`,
      );
      assert.ok(result.afterActivity - result.start < HOUR, `workflow time at activity end: +${result.afterActivity - result.start} ms`);
      // Afterwards the timers were skipped: the 1 h timer plus another 1 h sleep.
      assert.ok(result.end - result.afterActivity >= HOUR, `workflow time after the activity: +${result.end - result.afterActivity} ms`);
      assert.ok(serverAfter - serverBefore >= HOUR, `server clock advanced ${serverAfter - serverBefore} ms`);
      assert.ok(observed.activity.serverStart - serverBefore < HOUR, 'no skip happened before the activity started');
    });
  });

  it("suite.env.sleep('1 day') advances the server clock by a day, quickly", async () => {
    const before = await suite.env.currentTimeMs();
    const wallStart = Date.now();
    await suite.env.sleep('1 day');
    const wallElapsed = Date.now() - wallStart;
    const after = await suite.env.currentTimeMs();
    assert.ok(after - before >= DAY, `server clock advanced ${after - before} ms`);
    assert.ok(after - before < DAY + 60_000, `server clock advanced ${after - before} ms (too far)`);
    assert.ok(wallElapsed < 1000, `suite.env.sleep('1 day') took ${wallElapsed} ms`);
  });

  it('without an unlocked waiter the clock follows wall time', async () => {
    const before = await suite.env.currentTimeMs();
    await new Promise((resolve) => setTimeout(resolve, 300));
    const after = await suite.env.currentTimeMs();
    assert.ok(after - before >= 250 && after - before < 5000, `locked clock moved ${after - before} ms in 300 ms`);
  });
});
