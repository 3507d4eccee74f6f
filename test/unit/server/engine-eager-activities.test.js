// Engine without gRPC: eager activity execution. A ScheduleActivityTask command with
// request_eager_execution comes back started in the RespondWorkflowTaskCompleted response instead of
// going to the task queue, unless the engine does not allow it or the same task canceled the
// activity or closed the run.
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { durationFromMs, msFromDuration, msFromTs, temporal } from '../../../dist/proto/index.js';
import { activityByToken, completeActivity } from '../../../dist/server/engine/activities.js';
import { completeWorkflowTask } from '../../../dist/server/engine/complete-task.js';
import { pollActivityTask, pollWorkflowTask } from '../../../dist/server/engine/polling.js';
import { startWorkflow } from '../../../dist/server/engine/start.js';
import { createTestEngine, decode, NS, payloads, pollOptions, T0, TQ, typeName } from './helpers/engine-harness.js';

const { CommandType } = temporal.api.enums.v1;

let t = T0;
let engine;

function useEngine(eagerActivities = true) {
  t = T0;
  engine = createTestEngine(() => t, ':memory:', Date.now, eagerActivities);
}

afterEach(() => {
  engine.stop();
  engine.store.close();
});

async function startAndPoll() {
  const { runId } = engine.write((tx) =>
    startWorkflow(tx, NS, {
      namespace: NS,
      workflowId: 'wf-eager',
      workflowType: { name: 'MyWorkflow' },
      taskQueue: { name: TQ },
      requestId: `req-${Math.random()}`,
    }),
  );
  const task = await pollWorkflowTask(engine, pollOptions('wf-worker'));
  assert.ok(task.taskToken, 'expected a workflow task');
  return { runId, task };
}

const complete = (task, commands) => completeWorkflowTask(engine, { taskToken: task.taskToken, commands, identity: 'wf-worker' });

const scheduleCmd = (activityId, requestEagerExecution = true) => ({
  commandType: CommandType.COMMAND_TYPE_SCHEDULE_ACTIVITY_TASK,
  scheduleActivityTaskCommandAttributes: {
    activityId,
    activityType: { name: 'greet' },
    taskQueue: { name: TQ },
    input: payloads('Ada'),
    startToCloseTimeout: durationFromMs(10_000),
    requestEagerExecution,
  },
});

const types = (runId) => engine.store.readEvents(NS, runId, 1).map((e) => typeName(e.eventType));
const queuedActivityTask = () => pollActivityTask(engine, pollOptions('act-worker'));

describe('eager activities', () => {
  it('an activity requested eagerly comes back started in the completion response and is not queued', async () => {
    useEngine();
    const { runId, task } = await startAndPoll();
    t += 50;
    const response = complete(task, [scheduleCmd('a1'), scheduleCmd('a2', false)]);
    assert.equal(response.activityTasks?.length, 1);
    const eager = response.activityTasks[0];
    assert.equal(eager.activityId, 'a1');
    assert.equal(eager.activityType.name, 'greet');
    assert.deepEqual(eager.workflowExecution, { workflowId: 'wf-eager', runId });
    assert.equal(eager.workflowType.name, 'MyWorkflow');
    assert.equal(eager.workflowNamespace, NS);
    assert.equal(decode(eager.input.payloads[0]), 'Ada');
    assert.equal(eager.attempt, 1);
    assert.equal(msFromTs(eager.startedTime), t);
    assert.equal(msFromDuration(eager.startToCloseTimeout), 10_000);
    // Only the activity that did not ask for eager execution is on the queue.
    const queued = await queuedActivityTask();
    assert.equal(queued.activityId, 'a2');
    assert.equal((await queuedActivityTask()).taskToken, undefined);
    // The eager task's token completes it; the deferred Started event names the completing worker.
    engine.write((tx) => completeActivity(activityByToken(tx, eager.taskToken), payloads('hi'), 'wf-worker'));
    const events = engine.store.readEvents(NS, runId, 1);
    const started = events.find((e) => typeName(e.eventType) === 'ACTIVITY_TASK_STARTED');
    assert.equal(started.activityTaskStartedEventAttributes.identity, 'wf-worker');
    assert.equal(started.activityTaskStartedEventAttributes.attempt, 1);
    assert.ok(started.activityTaskStartedEventAttributes.requestId);
    assert.deepEqual(types(runId).slice(-3), ['ACTIVITY_TASK_STARTED', 'ACTIVITY_TASK_COMPLETED', 'WORKFLOW_TASK_SCHEDULED']);
  });

  it('a server that does not allow eager activities queues them and answers an empty response', async () => {
    useEngine(false);
    const { task } = await startAndPoll();
    const response = complete(task, [scheduleCmd('a1')]);
    assert.equal(response.activityTasks, undefined);
    assert.equal((await queuedActivityTask()).activityId, 'a1');
  });

  it('an eager activity the same task canceled is not returned', async () => {
    useEngine();
    const { runId, task } = await startAndPoll();
    const cancel = {
      commandType: CommandType.COMMAND_TYPE_REQUEST_CANCEL_ACTIVITY_TASK,
      requestCancelActivityTaskCommandAttributes: { scheduledEventId: 5 },
    };
    const response = complete(task, [scheduleCmd('a1'), cancel]);
    assert.equal(response.activityTasks, undefined);
    assert.deepEqual(types(runId).slice(4), ['ACTIVITY_TASK_SCHEDULED', 'ACTIVITY_TASK_CANCEL_REQUESTED', 'ACTIVITY_TASK_CANCELED', 'WORKFLOW_TASK_SCHEDULED']);
  });

  it('an eager activity of a task that also closed the run is not returned', async () => {
    useEngine();
    const { task } = await startAndPoll();
    const done = { commandType: CommandType.COMMAND_TYPE_COMPLETE_WORKFLOW_EXECUTION, completeWorkflowExecutionCommandAttributes: {} };
    assert.equal(complete(task, [scheduleCmd('a1'), done]).activityTasks, undefined);
  });

  it('an eager attempt that times out is retried through the task queue', async () => {
    useEngine();
    const { task } = await startAndPoll();
    const [eager] = complete(task, [scheduleCmd('a1')]).activityTasks;
    t += 10_000;
    engine.fireDueTimers();
    t += 1000; // the retry policy's initial interval
    engine.fireDueTimers();
    const retry = await queuedActivityTask();
    assert.equal(retry.activityId, 'a1');
    assert.equal(retry.attempt, 2);
    assert.throws(() => engine.write((tx) => activityByToken(tx, eager.taskToken)), /invalid activityID/);
  });
});
