// Priority end to end through public subpaths: the client's `priority` start option (validated),
// describe() reporting it, workflowInfo() and activityInfo() seeing it (activities and children
// inheriting it field by field), schedules carrying it, and the dev server dispatching a queue's
// tasks by priority key, and fairness keys in turns within a key.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import { DefaultLogger, Worker } from 'duraflow/worker';
import { temporal } from 'duraflow/proto';
import * as activities from '../fixtures/worker/activities.js';
import { devServerSuite } from './helpers/dev-server-suite.js';

const workflowsPath = new URL('../fixtures/worker/priorities.js', import.meta.url).pathname;
const uid = (prefix) => `${prefix}-${randomUUID()}`;
const T = { timeout: 60_000 };
const UNHANDLED_FAILURE = temporal.api.enums.v1.WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_WORKFLOW_WORKER_UNHANDLED_FAILURE;

describe('priority', () => {
  const suite = devServerSuite();

  async function withWorker(fn) {
    const taskQueue = uid('prio');
    const worker = await Worker.create({ connection: suite.connection, taskQueue, workflowsPath, activities, logger: new DefaultLogger('ERROR') });
    return await worker.runUntil(() => fn(taskQueue));
  }

  it('a workflow\'s priority reaches workflowInfo(), its activities (overridable) and describe()', T, async () => {
    await withWorker(async (taskQueue) => {
      const priority = { priorityKey: 2, fairnessKey: 'tenant-a', fairnessWeight: 1.5 };
      const handle = await suite.client.workflow.start('reportsPriority', { taskQueue, workflowId: uid('reports'), priority });
      assert.deepEqual(await handle.result(), {
        workflow: priority,
        inherited: priority,
        own: { ...priority, priorityKey: 5 },
      });
      assert.deepEqual((await handle.describe()).priority, priority);
    });
  });

  it('a child inherits its parent\'s priority where it sets none; without any, nothing is reported', T, async () => {
    await withWorker(async (taskQueue) => {
      const child = await suite.client.workflow.execute('parentOfChild', { taskQueue, workflowId: uid('parent'), priority: { priorityKey: 1 } });
      assert.deepEqual(child.workflow, { priorityKey: 1, fairnessKey: 'child' });
      const plain = await suite.client.workflow.execute('reportsPriority', { taskQueue, workflowId: uid('plain') });
      assert.deepEqual(plain, { workflow: null, inherited: null, own: { priorityKey: 5 } });
    });
  });

  it('the dev server dispatches a queue\'s workflow tasks by priority key', T, async () => {
    const taskQueue = uid('order');
    for (const [id, priorityKey] of [['low', 5], ['middle', undefined], ['high', 1]]) {
      await suite.client.workflow.start('reportsPriority', { taskQueue, workflowId: `${taskQueue}-${id}`, priority: priorityKey && { priorityKey } });
    }
    const order = [];
    for (let i = 0; i < 3; i++) {
      const task = await suite.connection.workflowService.pollWorkflowTaskQueue({ namespace: 'default', taskQueue: { name: taskQueue }, identity: 'test' });
      order.push(task.workflowExecution.workflowId.slice(taskQueue.length + 1));
    }
    assert.deepEqual(order, ['high', 'middle', 'low']);
  });

  it('within a priority key, fairness keys take turns', T, async () => {
    const taskQueue = uid('fair');
    for (const [id, fairnessKey] of [['x1', 'x'], ['x2', 'x'], ['x3', 'x'], ['y1', 'y']]) {
      await suite.client.workflow.start('reportsPriority', { taskQueue, workflowId: `${taskQueue}-${id}`, priority: { fairnessKey } });
    }
    const order = [];
    for (let i = 0; i < 4; i++) {
      const task = await suite.connection.workflowService.pollWorkflowTaskQueue({ namespace: 'default', taskQueue: { name: taskQueue }, identity: 'test' });
      order.push(task.workflowExecution.workflowId.slice(taskQueue.length + 1));
    }
    assert.deepEqual(order, ['x1', 'y1', 'x2', 'x3']);
  });

  it('schedules carry the started workflows\' priority', T, async () => {
    const handle = await suite.client.schedule.create({
      scheduleId: uid('sched'),
      spec: { intervals: [{ every: '1 hour' }] },
      action: { type: 'startWorkflow', workflowType: 'reportsPriority', taskQueue: 'nowhere', priority: { priorityKey: 4 } },
      state: { paused: true },
    });
    assert.deepEqual((await handle.describe()).action.priority, { priorityKey: 4 });
    await handle.delete();
  });

  it('bad priorities are refused with a message naming them, by the client and by the server', T, async () => {
    await assert.rejects(
      suite.client.workflow.start('reportsPriority', { taskQueue: 'q', workflowId: uid('bad'), priority: { priorityKey: 1.5 } }),
      /WorkflowOptions.priority is not valid: priorityKey must be an integer/,
    );
    await assert.rejects(
      suite.connection.workflowService.startWorkflowExecution({
        namespace: 'default',
        workflowId: uid('bad'),
        workflowType: { name: 'x' },
        taskQueue: { name: 'q' },
        requestId: randomUUID(),
        priority: { fairnessKey: 'k'.repeat(65) },
      }),
      (error) => error.code === 3 && /fairness key length exceeds limit/.test(error.message),
    );
  });

  it('UpdateWorkflowExecutionOptions changes a running workflow\'s priority: an event workers skip, and its pending task requeued', T, async () => {
    const taskQueue = uid('update-options');
    const handles = [];
    for (const id of ['first', 'second']) handles.push(await suite.client.workflow.start('reportsPriority', { taskQueue, workflowId: `${taskQueue}-${id}` }));
    const update = (workflowId, priority, paths) =>
      suite.connection.workflowService.updateWorkflowExecutionOptions({
        namespace: 'default',
        workflowExecution: { workflowId },
        workflowExecutionOptions: { priority },
        updateMask: { paths },
        identity: 'ops',
      });
    const updated = await update(handles[1].workflowId, { priorityKey: 1, fairnessKey: 'ignored' }, ['priority.priority_key']);
    assert.deepEqual({ ...updated.workflowExecutionOptions.priority }, { priorityKey: 1 }, 'only the masked field');
    const again = await update(handles[1].workflowId, { priorityKey: 1 }, ['priority.priorityKey']);
    assert.equal(again.workflowExecutionOptions.priority.priorityKey, 1, 'no change, no second event');
    const { events } = await handles[1].fetchHistory();
    const optionEvents = events.filter((e) => e.workflowExecutionOptionsUpdatedEventAttributes);
    assert.equal(optionEvents.length, 1);
    assert.equal(optionEvents[0].workerMayIgnore, true);
    assert.equal(optionEvents[0].workflowExecutionOptionsUpdatedEventAttributes.identity, 'ops');
    assert.deepEqual((await handles[1].describe()).priority, { priorityKey: 1 });
    const task = await suite.connection.workflowService.pollWorkflowTaskQueue({ namespace: 'default', taskQueue: { name: taskQueue }, identity: 'test' });
    assert.equal(task.workflowExecution.workflowId, handles[1].workflowId, 'the requeued task goes first');
    await suite.connection.workflowService.respondWorkflowTaskFailed({ namespace: 'default', taskToken: task.taskToken, cause: UNHANDLED_FAILURE, identity: 'test' });
    const worker = await Worker.create({ connection: suite.connection, taskQueue, workflowsPath, activities, logger: new DefaultLogger('ERROR') });
    await worker.runUntil(async () => {
      assert.deepEqual(
        await handles[1].result(),
        { workflow: null, inherited: { priorityKey: 1 }, own: { priorityKey: 5 } },
        'the worker skipped the event (workflowInfo() has the priority the run started with); its activities inherit the new one',
      );
      await handles[0].result();
    });
    await assert.rejects(update(handles[1].workflowId, { priorityKey: 2 }, ['priority']), (e) => e.code === 5, 'a closed workflow');
    await assert.rejects(update(handles[0].workflowId, {}, ['versioning_override']), (e) => e.code === 12);
    await assert.rejects(update(handles[0].workflowId, {}, ['nonsense']), (e) => e.code === 3 && /invalid path "nonsense"/.test(e.message));
  });
});
