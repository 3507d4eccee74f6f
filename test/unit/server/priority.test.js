// Task priority in the dev server, engine-level: workflow tasks and activity tasks are taken by
// priority key (1 first … 5 last, unset = 3, clipped), oldest first within a key; activities and
// children inherit the workflow's priority field by field; fairness keys take weighted turns within a
// key; continue-as-new keeps it; bad priorities
// are refused as Temporal refuses them. And the store migration that added the tasks' priority.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { durationFromMs, temporal } from '../../../dist/proto/index.js';
import { Store, TaskKind } from '../../../dist/server/store/store.js';
import { completeWorkflowTask } from '../../../dist/server/engine/complete-task.js';
import { pollActivityTask, pollWorkflowTask } from '../../../dist/server/engine/polling.js';
import { startWorkflow } from '../../../dist/server/engine/start.js';
import { decodePriority } from '../../../dist/common/priority.js';
import { dispatchPriorityKey, mergePriority, validatePriority } from '../../../dist/server/engine/priority.js';
import { createTestEngine, NS, pollOptions, T0, TQ } from './helpers/engine-harness.js';

const { CommandType } = temporal.api.enums.v1;

describe('priority rules', () => {
  it('unset is the middle of 5 levels; keys are clipped into 1…5', () => {
    assert.deepEqual([undefined, { priorityKey: 1 }, { priorityKey: 9 }, { fairnessKey: 'a' }].map(dispatchPriorityKey), [3, 1, 5, 3]);
  });
  it('an override replaces the base field by field; zero and empty fields are unset', () => {
    assert.deepEqual(mergePriority({ priorityKey: 1, fairnessKey: 'a' }, { priorityKey: 4 }), { priorityKey: 4, fairnessKey: 'a' });
    assert.deepEqual(decodePriority({ priorityKey: 0, fairnessKey: '', fairnessWeight: 0 }), undefined);
  });
  it('refuses what Temporal refuses, with its messages', () => {
    assert.throws(() => validatePriority({ priorityKey: -1 }), /priority key can't be negative/);
    assert.throws(() => validatePriority({ fairnessKey: 'x'.repeat(65) }), /fairness key length exceeds limit/);
    assert.throws(() => validatePriority({ fairnessWeight: -2 }), /must be greater than zero/);
    validatePriority({ priorityKey: 7, fairnessKey: 'x'.repeat(64), fairnessWeight: 2.5 });
  });
});

describe('priority dispatch', () => {
  let engine;
  beforeEach(() => {
    engine = createTestEngine(() => T0);
  });
  afterEach(() => {
    engine.stop();
    engine.store.close();
  });

  const start = (workflowId, priority, taskQueue = TQ) =>
    engine.write((tx) => startWorkflow(tx, NS, { workflowId, workflowType: { name: 'W' }, taskQueue: { name: taskQueue }, requestId: `r-${workflowId}`, priority }));

  it('hands out workflow tasks by priority key, oldest first within a key', async () => {
    start('low', { priorityKey: 5 });
    start('default-1', undefined);
    start('high', { priorityKey: 1 });
    start('default-2', { fairnessKey: 'tenant' });
    start('clipped', { priorityKey: 40 });
    const order = [];
    for (let i = 0; i < 5; i++) order.push((await pollWorkflowTask(engine, pollOptions('w'))).workflowExecution.workflowId);
    assert.deepEqual(order, ['high', 'default-1', 'default-2', 'low', 'clipped']);
  });

  it('activities inherit the workflow\'s priority unless they set their own, and say so in their tasks', async () => {
    start('wf', { priorityKey: 2, fairnessKey: 'tenant-a' });
    const wft = await pollWorkflowTask(engine, pollOptions('w'));
    const schedule = (activityId, priority) => ({
      commandType: CommandType.COMMAND_TYPE_SCHEDULE_ACTIVITY_TASK,
      scheduleActivityTaskCommandAttributes: { activityId, activityType: { name: 'a' }, taskQueue: { name: 'acts' }, startToCloseTimeout: durationFromMs(10_000), priority },
    });
    completeWorkflowTask(engine, { taskToken: wft.taskToken, identity: 'w', commands: [schedule('last', { priorityKey: 4 }), schedule('inherits'), schedule('first', { priorityKey: 1 })] });
    const tasks = [];
    for (let i = 0; i < 3; i++) tasks.push(await pollActivityTask(engine, pollOptions('a', 'acts')));
    assert.deepEqual(tasks.map((t) => t.activityId), ['first', 'inherits', 'last']);
    assert.deepEqual(tasks.map((t) => t.priority), [
      { priorityKey: 1, fairnessKey: 'tenant-a' },
      { priorityKey: 2, fairnessKey: 'tenant-a' },
      { priorityKey: 4, fairnessKey: 'tenant-a' },
    ]);
  });

  it('within a priority key, fairness keys take turns, in proportion to their weights', async () => {
    const order = async (n, taskQueue = TQ) => {
      const ids = [];
      for (let i = 0; i < n; i++) ids.push((await pollWorkflowTask(engine, pollOptions('w', taskQueue))).workflowExecution.workflowId);
      return ids;
    };
    for (let i = 1; i <= 4; i++) start(`a${i}`, { fairnessKey: 'a' });
    for (let i = 1; i <= 2; i++) start(`b${i}`, { fairnessKey: 'b' });
    assert.deepEqual(await order(6), ['a1', 'b1', 'a2', 'b2', 'a3', 'a4'], 'a backlog of a cannot hold b back');
    for (let i = 1; i <= 4; i++) start(`heavy${i}`, { fairnessKey: 'heavy', fairnessWeight: 2 }, 'weighted');
    for (let i = 1; i <= 2; i++) start(`light${i}`, { fairnessKey: 'light' }, 'weighted');
    assert.deepEqual(await order(6, 'weighted'), ['heavy1', 'heavy2', 'light1', 'heavy3', 'heavy4', 'light2'], 'weight 2 gets twice the turns');
    for (let i = 1; i <= 3; i++) start(`late${i}`, { fairnessKey: 'late' });
    for (let i = 5; i <= 6; i++) start(`a${i}`, { fairnessKey: 'a' });
    assert.deepEqual(await order(5), ['late1', 'late2', 'a5', 'late3', 'a6'], 'keys start again at the level already dispatched');
  });

  it('a queue\'s configured fairness weight overrides replace the tasks\' own weights', async () => {
    engine.taskQueueConfigs.update(NS, 'overridden', TaskKind.Workflow, (c) => ({ ...c, fairnessWeightOverrides: { light: 2 } }));
    for (let i = 1; i <= 2; i++) start(`heavy${i}`, { fairnessKey: 'heavy', fairnessWeight: 1 }, 'overridden');
    for (let i = 1; i <= 2; i++) start(`light${i}`, { fairnessKey: 'light', fairnessWeight: 0.5 }, 'overridden');
    const ids = [];
    for (let i = 0; i < 4; i++) ids.push((await pollWorkflowTask(engine, pollOptions('w', 'overridden'))).workflowExecution.workflowId);
    assert.deepEqual(ids, ['light1', 'heavy1', 'light2', 'heavy2'], 'light counts as weight 2 (passes 500, 1000), heavy as 1 (1000, 2000)');
  });

  it('continue-as-new keeps the run\'s priority; a bad one is refused at start', async () => {
    const runId = start('chain', { priorityKey: 1 }).runId;
    const wft = await pollWorkflowTask(engine, pollOptions('w'));
    completeWorkflowTask(engine, {
      taskToken: wft.taskToken,
      identity: 'w',
      commands: [{ commandType: CommandType.COMMAND_TYPE_CONTINUE_AS_NEW_WORKFLOW_EXECUTION, continueAsNewWorkflowExecutionCommandAttributes: { workflowType: { name: 'W' }, taskQueue: { name: TQ } } }],
    });
    const next = engine.read((tx) => tx.currentRun(NS, 'chain'));
    assert.notEqual(next.state.runId, runId);
    assert.deepEqual(next.state.priority, { priorityKey: 1 });
    assert.throws(() => start('bad', { priorityKey: -3 }), /priority key can't be negative/);
  });
});

describe('store migration 1 → 2', () => {
  let dir;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'duraflow-migrate-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('adds the tasks\' priority (existing tasks at the default) and keeps them dispatchable', () => {
    const file = join(dir, 'v1.db');
    const v1 = new Database(file);
    v1.exec(`CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      INSERT INTO meta VALUES ('schema_version', '1');
      CREATE TABLE tasks (id INTEGER PRIMARY KEY AUTOINCREMENT, namespace TEXT NOT NULL, task_queue TEXT NOT NULL, kind INTEGER NOT NULL, run_id TEXT NOT NULL, ref INTEGER NOT NULL, attempt INTEGER NOT NULL);
      CREATE INDEX tasks_by_queue ON tasks (namespace, task_queue, kind, id);
      INSERT INTO tasks (namespace, task_queue, kind, run_id, ref, attempt) VALUES ('default', 'q', 1, 'old-run', 2, 1);`);
    v1.close();
    const store = new Store(file);
    try {
      store.insertTask('default', 'q', TaskKind.Workflow, 'urgent-run', 2, 1, 1, 1000);
      assert.equal(store.nextTask('default', 'q', TaskKind.Workflow).runId, 'urgent-run');
      const old = store.oldestTask('default', 'q', TaskKind.Workflow);
      assert.deepEqual([old.priority, old.pass], [3, 0], 'the old task got the default key and the first pass');
    } finally {
      store.close();
    }
    const db = new Database(file, { readonly: true });
    assert.equal(db.prepare(`SELECT value FROM meta WHERE key = 'schema_version'`).get().value, '2');
    assert.deepEqual(db.prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'tasks' ORDER BY name`).all().map((r) => r.name), ['tasks_by_queue_fair', 'tasks_by_run']);
    db.close();
  });

  it('refuses a database from a newer duraflow', () => {
    const file = join(dir, 'v9.db');
    const db = new Database(file);
    db.exec(`CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL); INSERT INTO meta VALUES ('schema_version', '9');`);
    db.close();
    assert.throws(() => new Store(file), /database schema version 9 is not supported \(expected 2 or older\)/);
  });
});
