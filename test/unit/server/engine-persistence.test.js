// Engine without gRPC: state, tasks and timers survive closing and reopening a file database.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { durationFromMs, longToNumber, msFromTs, temporal } from '../../../dist/proto/index.js';
import { TaskKind } from '../../../dist/server/store/store.js';
import { completeWorkflowTask } from '../../../dist/server/engine/complete-task.js';
import { pollWorkflowTask } from '../../../dist/server/engine/polling.js';
import { startWorkflow } from '../../../dist/server/engine/start.js';
import { createTestEngine, NS, pollOptions, T0, TQ, typeName } from './helpers/engine-harness.js';

const { CommandType, WorkflowExecutionStatus: Status, TimeoutType } = temporal.api.enums.v1;

let dir;
let file;
let t;
/** Every engine opened by a test, stopped and closed afterwards. */
let opened;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'duraflow-engine-'));
  file = join(dir, 'dev.db');
  t = T0;
  opened = [];
});

afterEach(() => {
  for (const engine of opened) {
    engine.stop();
    if (engine.store.db.open) engine.store.close();
  }
  rmSync(dir, { recursive: true, force: true });
});

function open() {
  const engine = createTestEngine(() => t, file);
  opened.push(engine);
  return engine;
}

function close(engine) {
  engine.stop();
  engine.store.close();
}

const types = (engine, runId) => engine.store.readEvents(NS, runId, 1).map((e) => typeName(e.eventType));

const start = (engine, workflowId = 'wf-p') =>
  engine.write((tx) =>
    startWorkflow(tx, NS, { namespace: NS, workflowId, workflowType: { name: 'W' }, taskQueue: { name: TQ }, requestId: workflowId }),
  ).runId;

const poll = (engine) =>
  pollWorkflowTask(engine, {
    ...pollOptions('worker'),
  });

describe('persistence across a restart', () => {
  it('a timer started before a restart still fires after it', async () => {
    let engine = open();
    const runId = start(engine);
    const task = await poll(engine);
    completeWorkflowTask(engine, {
      taskToken: task.taskToken,
      identity: 'worker',
      commands: [
        {
          commandType: CommandType.COMMAND_TYPE_START_TIMER,
          startTimerCommandAttributes: { timerId: 'nap', startToFireTimeout: durationFromMs(30_000) },
        },
      ],
    });
    close(engine);

    t += 30_000;
    engine = open();
    assert.equal(engine.fireDueTimers(), 2, 'the user timer and the stale workflow-task timeout timer');
    const list = engine.store.readEvents(NS, runId, 1);
    assert.deepEqual(list.map((e) => typeName(e.eventType)), [
      'WORKFLOW_EXECUTION_STARTED', 'WORKFLOW_TASK_SCHEDULED', 'WORKFLOW_TASK_STARTED', 'WORKFLOW_TASK_COMPLETED', 'TIMER_STARTED',
      'TIMER_FIRED', 'WORKFLOW_TASK_SCHEDULED',
    ]);
    assert.deepEqual(list.map((e) => longToNumber(e.eventId)), [1, 2, 3, 4, 5, 6, 7]);
    assert.equal(list[5].timerFiredEventAttributes.timerId, 'nap');
    assert.equal(longToNumber(list[5].timerFiredEventAttributes.startedEventId), 5);
    assert.equal(msFromTs(list[5].eventTime), T0 + 30_000);

    const next = await poll(engine);
    assert.equal(longToNumber(next.previousStartedEventId), 3);
    assert.equal(longToNumber(next.startedEventId), 8);
  });

  it('pending workflow tasks, open runs and a started task timeout survive the restart', async () => {
    let engine = open();
    const idle = start(engine, 'wf-idle');
    const busy = start(engine, 'wf-busy');
    const task = await poll(engine); // starts wf-idle's task (oldest first)
    assert.equal(task.workflowExecution.runId, idle);
    close(engine);

    engine = open();
    assert.equal(engine.store.countTasks(NS, TQ, TaskKind.Workflow), 1);
    const run = engine.read((tx) => tx.currentRun(NS, 'wf-busy'));
    assert.equal(run.state.runId, busy);
    assert.equal(run.state.status, Status.WORKFLOW_EXECUTION_STATUS_RUNNING);
    t += 1000;
    const busyTask = await poll(engine);
    assert.equal(busyTask.workflowExecution.runId, busy);

    t += 9000; // T0 + 10 s: wf-idle's task (started at T0) times out; wf-busy's (started at T0 + 1 s) not yet
    engine.fireDueTimers();
    const timedOut = engine.store.readEvent(NS, idle, 4);
    assert.equal(typeName(timedOut.eventType), 'WORKFLOW_TASK_TIMED_OUT');
    assert.equal(timedOut.workflowTaskTimedOutEventAttributes.timeoutType, TimeoutType.TIMEOUT_TYPE_START_TO_CLOSE);
    assert.equal(engine.store.readEvent(NS, idle, 5).workflowTaskScheduledEventAttributes.attempt, 2);
    assert.equal(types(engine, busy).at(-1), 'WORKFLOW_TASK_STARTED', 'the task started after the restart is not yet due');
  });

  it('a transaction that throws leaves nothing behind in the file', () => {
    let engine = open();
    assert.throws(() =>
      engine.write((tx) => {
        startWorkflow(tx, NS, { namespace: NS, workflowId: 'wf-x', workflowType: { name: 'W' }, taskQueue: { name: TQ } });
        throw new Error('abort');
      }),
    );
    close(engine);
    engine = open();
    assert.equal(engine.read((tx) => tx.currentRun(NS, 'wf-x')), undefined);
    assert.equal(engine.store.countTasks(NS, TQ, TaskKind.Workflow), 0);
    assert.equal(engine.store.nextTimerAt(), undefined);
  });
});
