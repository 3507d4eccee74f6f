// Interop: the official worker's sticky execution against duraflow's dev server. Its later workflow
// tasks go to its sticky queue; and a history in which a task stranded on a sticky queue timed out
// SCHEDULE_TO_START (Scheduled(sticky) → Signaled → TimedOut → Scheduled(normal)) is taken over and
// replayed by the official worker without a hitch.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import proto from '@temporalio/proto';
import * as activities from '../fixtures/interop/activities.js';
import { eventsOfType, historyEvents, interopSuite, SCENARIO_TIMEOUT, summarizeHistory, uid, waitFor } from './helpers.js';

const { TaskQueueKind, TimeoutType } = proto.temporal.api.enums.v1;

describe('interop: sticky queues of the official worker on the duraflow dev server', () => {
  const suite = interopSuite({ activities, queuePrefix: 'tq-sticky' });

  const scheduledQueues = (events) => eventsOfType(events, 'WORKFLOW_TASK_SCHEDULED').map((e) => e.workflowTaskScheduledEventAttributes.taskQueue);
  const completedTasks = async (handle) => eventsOfType(await historyEvents(handle), 'WORKFLOW_TASK_COMPLETED').length;

  it('the official worker gets the later tasks of a run on its sticky queue', SCENARIO_TIMEOUT, async (t) => {
    await suite.withWorker(t, async (taskQueue) => {
      const handle = await suite.env.client.workflow.start('collectSignals', { taskQueue, workflowId: uid('collect'), args: [3] });
      for (let i = 1; i <= 3; i++) {
        await waitFor(`workflow task ${i}`, async () => (await completedTasks(handle)) >= i);
        await handle.signal('add', `item-${i}`);
      }
      assert.deepEqual(await handle.result(), ['item-1', 'item-2', 'item-3']);
      const events = await historyEvents(handle);
      assert.equal(eventsOfType(events, 'WORKFLOW_TASK_FAILED').length, 0, summarizeHistory(events));
      const queues = scheduledQueues(events);
      assert.equal(queues[0].kind, TaskQueueKind.TASK_QUEUE_KIND_NORMAL);
      assert.ok(queues.length >= 4, summarizeHistory(events));
      for (const q of queues.slice(1)) {
        assert.equal(q.kind, TaskQueueKind.TASK_QUEUE_KIND_STICKY);
        assert.equal(q.normalName, taskQueue);
      }
    });
  });

  it('the official worker replays a sticky task that timed out SCHEDULE_TO_START, with a signal in between', SCENARIO_TIMEOUT, async (t) => {
    const { client, connection } = suite.env;
    const service = connection.workflowService;
    const taskQueue = uid('tq-stranded');
    const sticky = { name: `${taskQueue}-gone-worker`, kind: TaskQueueKind.TASK_QUEUE_KIND_STICKY, normalName: taskQueue };
    const handle = await client.workflow.start('collectSignals', { taskQueue, workflowId: uid('stranded'), args: [2] });
    // Play a worker that completes the first task (collectSignals issues no command) with sticky attributes ...
    const first = await service.pollWorkflowTaskQueue({ namespace: 'default', taskQueue: { name: taskQueue, kind: TaskQueueKind.TASK_QUEUE_KIND_NORMAL }, identity: 'gone-worker' });
    assert.ok(first.taskToken?.length > 0);
    await service.respondWorkflowTaskCompleted({
      namespace: 'default',
      taskToken: first.taskToken,
      identity: 'gone-worker',
      commands: [],
      stickyAttributes: { workerTaskQueue: sticky, scheduleToStartTimeout: { nanos: 500_000_000 } },
    });
    // ... that polls its sticky queue once (so the queue counts as alive), then disappears.
    await connection
      .withDeadline(Date.now() + 300, () => service.pollWorkflowTaskQueue({ namespace: 'default', taskQueue: sticky, identity: 'gone-worker' }))
      .catch(() => undefined);
    await handle.signal('add', 'one'); // scheduled on the dead sticky queue
    await handle.signal('add', 'two'); // arrives while that task waits
    await waitFor('the sticky task to time out', async () => eventsOfType(await historyEvents(handle), 'WORKFLOW_TASK_TIMED_OUT').length > 0);

    const result = await suite.withWorker(t, async () => await handle.result(), taskQueue);
    assert.deepEqual(result, ['one', 'two']);
    const events = await historyEvents(handle);
    assert.equal(eventsOfType(events, 'WORKFLOW_TASK_FAILED').length, 0, summarizeHistory(events));
    const timedOut = eventsOfType(events, 'WORKFLOW_TASK_TIMED_OUT');
    assert.equal(timedOut.length, 1, summarizeHistory(events));
    assert.equal(timedOut[0].workflowTaskTimedOutEventAttributes.timeoutType, TimeoutType.TIMEOUT_TYPE_SCHEDULE_TO_START);
    assert.match(summarizeHistory(events), /WORKFLOW_TASK_SCHEDULED \d+:WORKFLOW_EXECUTION_SIGNALED \d+:WORKFLOW_TASK_TIMED_OUT \d+:WORKFLOW_TASK_SCHEDULED/);
  });
});
