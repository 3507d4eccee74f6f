// The WorkflowService calls tools make besides the SDKs' own (the Temporal CLI and web UI among them):
// GetWorkflowExecutionHistoryReverse, DeleteWorkflowExecution, DescribeTaskQueue,
// ListTaskQueuePartitions, GetClusterInfo, GetSearchAttributes, CountSchedules, UpdateNamespace, and
// the older API's ListOpen/ListClosed/Scan/ListArchivedWorkflowExecutions.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { expectRpcError, startServer, status } from './helpers/rpc.js';
import {
  completeWorkflowCommand,
  countExecutions,
  ExecutionStatus,
  durationMs,
  enums,
  historyEvents,
  NAMESPACE,
  num,
  payloads,
  pollWorkflowTask,
  runWorkflowTask,
  startAndComplete,
  startTimerCommand,
  startWorkflow,
  terminate,
  timestampMs,
  uid,
} from './helpers/workflows.js';

const { TaskQueueType, TaskQueueKind, DescribeTaskQueueMode, WorkflowIdReusePolicy, IndexedValueType } = enums;

describe('dev server: tooling calls', () => {
  let env;
  before(async () => {
    env = await startServer({ longPollMs: 300 });
  });
  after(async () => {
    await env?.stop();
  });

  const reverse = (request) => env.call('GetWorkflowExecutionHistoryReverse', { namespace: NAMESPACE, ...request });
  const describeRun = (execution) => env.call('DescribeWorkflowExecution', { namespace: NAMESPACE, execution });
  const deleteRun = (execution) => env.call('DeleteWorkflowExecution', { namespace: NAMESPACE, workflowExecution: execution });
  const describeQueue = (request) => env.call('DescribeTaskQueue', { namespace: NAMESPACE, ...request });

  /** A running workflow with 7 events (the last a WorkflowTaskScheduled after a signal). */
  async function sevenEventWorkflow() {
    const wf = await startWorkflow(env);
    await runWorkflowTask(env, wf.taskQueue, [startTimerCommand('t1', 3_600_000)]);
    await signal(wf, 'poke');
    return { workflowId: wf.workflowId, runId: wf.runId };
  }

  const signal = (execution, signalName) =>
    env.call('SignalWorkflowExecution', {
      namespace: NAMESPACE,
      workflowExecution: { workflowId: execution.workflowId, runId: execution.runId },
      signalName,
      input: payloads(1),
    });

  async function reversePages(execution, maximumPageSize) {
    const pages = [];
    let nextPageToken;
    do {
      const r = await reverse({ execution, maximumPageSize, nextPageToken });
      pages.push(r.history.events.map((e) => num(e.eventId)));
      nextPageToken = r.nextPageToken;
      assert.ok(pages.length <= 10, 'paging terminates');
    } while (nextPageToken && nextPageToken.length > 0);
    return pages;
  }

  describe('GetWorkflowExecutionHistoryReverse', () => {
    it('returns the events newest first, a page at a time, down to event 1', async () => {
      const execution = await sevenEventWorkflow();
      assert.deepEqual(await reversePages(execution, 3), [[7, 6, 5], [4, 3, 2], [1]]);
      assert.deepEqual(await reversePages(execution, 0), [[7, 6, 5, 4, 3, 2, 1]], 'page size 0 is the default');
      const first = (await reverse({ execution: { workflowId: execution.workflowId } })).history.events[0];
      assert.equal(num(first.eventId), 7, 'without a run id: the current run');
      assert.equal(first.eventType, enums.EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED);
      await terminate(env, execution);
    });

    it('keeps paging down from where it was when events are added meanwhile', async () => {
      const execution = await sevenEventWorkflow();
      const first = await reverse({ execution, maximumPageSize: 2 });
      assert.deepEqual(first.history.events.map((e) => num(e.eventId)), [7, 6]);
      await signal(execution, 'again'); // event 8
      const second = await reverse({ execution, maximumPageSize: 2, nextPageToken: first.nextPageToken });
      assert.deepEqual(second.history.events.map((e) => num(e.eventId)), [5, 4]);
      await terminate(env, execution);
    });

    it('answers unknown runs, bad tokens and missing ids as Temporal does', async () => {
      await expectRpcError(reverse({ execution: { workflowId: uid('none') } }), status.NOT_FOUND, /workflow execution not found/);
      await expectRpcError(reverse({ execution: {} }), status.INVALID_ARGUMENT, /WorkflowId/);
      const { workflowId } = await startAndComplete(env);
      await expectRpcError(
        reverse({ execution: { workflowId }, nextPageToken: Buffer.from('nonsense') }),
        status.INVALID_ARGUMENT,
        /Invalid NextPageToken for GetWorkflowExecutionHistoryReverse/,
      );
    });
  });

  describe('DeleteWorkflowExecution', () => {
    it('deletes a closed run: gone from describe, history and visibility; its workflow id is free again', async () => {
      const { workflowId, runId } = await startAndComplete(env);
      assert.equal(await countExecutions(env, `WorkflowId = '${workflowId}'`), 1);
      await deleteRun({ workflowId, runId });
      await expectRpcError(describeRun({ workflowId, runId }), status.NOT_FOUND, /workflow execution not found/);
      await expectRpcError(historyEvents(env, { workflowId, runId }), status.NOT_FOUND);
      assert.equal(await countExecutions(env, `WorkflowId = '${workflowId}'`), 0);
      const again = await startWorkflow(env, {
        workflowId,
        workflowIdReusePolicy: WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE,
      });
      assert.notEqual(again.runId, runId);
      await terminate(env, { workflowId, runId: again.runId });
    });

    it('terminates an open run first, so waiting callers hear of it, then deletes it', async () => {
      const wf = await startWorkflow(env);
      const execution = { workflowId: wf.workflowId, runId: wf.runId };
      await runWorkflowTask(env, wf.taskQueue, [startTimerCommand('t', 3_600_000)]);
      const follow = (nextPageToken) =>
        env.call('GetWorkflowExecutionHistory', { namespace: NAMESPACE, execution, waitNewEvent: true, nextPageToken });
      // All 5 events read: the second call waits for the next one.
      const waiting = expectRpcError(follow((await follow()).nextPageToken), status.NOT_FOUND, /workflow execution not found/);
      await deleteRun({ workflowId: wf.workflowId }); // no run id: the current run
      await waiting;
      await expectRpcError(describeRun(execution), status.NOT_FOUND);
      await expectRpcError(signal(execution, 'late'), status.NOT_FOUND);
      const poll = await pollWorkflowTask(env, wf.taskQueue);
      assert.ok(!poll.taskToken?.length, 'no task of the deleted run is handed out');
    });

    it('deletes only the run it names: earlier runs of the workflow id stay readable by run id', async () => {
      const first = await startAndComplete(env);
      const second = await startWorkflow(env, { workflowId: first.workflowId });
      await deleteRun({ workflowId: first.workflowId, runId: second.runId });
      const d = await describeRun({ workflowId: first.workflowId, runId: first.runId });
      assert.equal(d.workflowExecutionInfo.execution.runId, first.runId);
      // The deleted run was the current one: by workflow id alone there is none now.
      await expectRpcError(describeRun({ workflowId: first.workflowId }), status.NOT_FOUND, /workflow execution not found/);
    });

    it('refuses unknown executions and requests without a workflow id', async () => {
      await expectRpcError(deleteRun({ workflowId: uid('none') }), status.NOT_FOUND, /workflow execution not found/);
      await expectRpcError(deleteRun({}), status.INVALID_ARGUMENT, /WorkflowId is not set/);
      await expectRpcError(
        env.call('DeleteWorkflowExecution', { namespace: 'no-such-namespace', workflowExecution: { workflowId: 'x' } }),
        status.NOT_FOUND,
        /Namespace no-such-namespace is not found/,
      );
    });
  });

  describe('DescribeTaskQueue', () => {
    const pollActivity = (taskQueue, identity, maxTasksPerSecond) =>
      env.call('PollActivityTaskQueue', {
        namespace: NAMESPACE,
        taskQueue: { name: taskQueue },
        identity,
        taskQueueMetadata: maxTasksPerSecond === undefined ? undefined : { maxTasksPerSecond: { value: maxTasksPerSecond } },
      });

    it('lists who polled each task type recently, with the rate an activity poller asked for', async () => {
      const taskQueue = uid('tq');
      const before = Date.now();
      await Promise.all([
        env.call('PollWorkflowTaskQueue', { namespace: NAMESPACE, taskQueue: { name: taskQueue }, identity: 'wf-worker@host' }),
        pollActivity(taskQueue, 'act-worker@host', 50),
      ]);
      const workflowPollers = (await describeQueue({ taskQueue: { name: taskQueue } })).pollers;
      assert.deepEqual(workflowPollers.map((p) => [p.identity, p.ratePerSecond]), [['wf-worker@host', 100_000]]);
      const at = timestampMs(workflowPollers[0].lastAccessTime);
      assert.ok(at >= before - 1000 && at <= Date.now() + 1000, `lastAccessTime ${at} is the poll's time`);
      const activityPollers = (await describeQueue({ taskQueue: { name: taskQueue }, taskQueueType: TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY })).pollers;
      assert.deepEqual(activityPollers.map((p) => [p.identity, p.ratePerSecond]), [['act-worker@host', 50]]);
      const nexus = await describeQueue({ taskQueue: { name: taskQueue }, taskQueueType: TaskQueueType.TASK_QUEUE_TYPE_NEXUS });
      assert.deepEqual(nexus.pollers, []);
      assert.deepEqual((await describeQueue({ taskQueue: { name: uid('unused') } })).pollers, [], 'a queue nobody used has no pollers');
    });

    it('reports the backlog, its age and the add and dispatch rates', async () => {
      const taskQueue = uid('tq');
      for (let i = 0; i < 3; i++) await startWorkflow(env, { taskQueue: { name: taskQueue } });
      const { stats, taskQueueStatus } = await describeQueue({ taskQueue: { name: taskQueue }, reportStats: true, includeTaskQueueStatus: true });
      assert.equal(num(stats.approximateBacklogCount), 3);
      assert.ok(durationMs(stats.approximateBacklogAge) >= 0);
      assert.ok(Math.abs(stats.tasksAddRate - 3 / 30) < 1e-6, `add rate ${stats.tasksAddRate} is 3 tasks over 30 s`);
      assert.equal(stats.tasksDispatchRate, 0);
      assert.equal(num(taskQueueStatus.backlogCountHint), 3);
      const task = await pollWorkflowTask(env, taskQueue);
      assert.ok(task.taskToken.length > 0);
      const later = (await describeQueue({ taskQueue: { name: taskQueue }, reportStats: true })).stats;
      assert.equal(num(later.approximateBacklogCount), 2);
      assert.ok(Math.abs(later.tasksDispatchRate - 1 / 30) < 1e-6, `dispatch rate ${later.tasksDispatchRate}`);
    });

    it('answers the enhanced mode per build id and task type, unversioned under ""', async () => {
      const taskQueue = uid('tq');
      await pollActivity(taskQueue, 'act-worker@host');
      await startWorkflow(env, { taskQueue: { name: taskQueue } });
      const r = await describeQueue({
        taskQueue: { name: taskQueue },
        apiMode: DescribeTaskQueueMode.DESCRIBE_TASK_QUEUE_MODE_ENHANCED,
        reportPollers: true,
        reportStats: true,
        reportTaskReachability: true,
      });
      const unversioned = r.versionsInfo[''];
      assert.equal(unversioned.taskReachability, enums.BuildIdTaskReachability.BUILD_ID_TASK_REACHABILITY_REACHABLE);
      const wf = unversioned.typesInfo[TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW];
      const act = unversioned.typesInfo[TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY];
      assert.equal(num(wf.stats.approximateBacklogCount), 1);
      assert.deepEqual(wf.pollers, []);
      assert.deepEqual(act.pollers.map((p) => p.identity), ['act-worker@host']);
      await expectRpcError(
        describeQueue({ taskQueue: { name: taskQueue, kind: TaskQueueKind.TASK_QUEUE_KIND_STICKY }, apiMode: DescribeTaskQueueMode.DESCRIBE_TASK_QUEUE_MODE_ENHANCED }),
        status.INVALID_ARGUMENT,
        /not valid for a sticky queue/,
      );
    });

    it('forgets a sticky queue\'s pollers when its worker shuts down', async () => {
      const sticky = uid('sticky');
      const stickyQueue = { name: sticky, kind: TaskQueueKind.TASK_QUEUE_KIND_STICKY, normalName: uid('tq') };
      await env.call('PollWorkflowTaskQueue', { namespace: NAMESPACE, taskQueue: stickyQueue, identity: 'sticky-worker' });
      assert.deepEqual((await describeQueue({ taskQueue: stickyQueue })).pollers.map((p) => p.identity), ['sticky-worker']);
      await env.call('ShutdownWorker', { namespace: NAMESPACE, stickyTaskQueue: sticky, identity: 'sticky-worker' });
      assert.deepEqual((await describeQueue({ taskQueue: stickyQueue })).pollers, []);
    });

    it('refuses a request without a task queue', async () => {
      await expectRpcError(describeQueue({}), status.INVALID_ARGUMENT, /TaskQueue is not set/);
      await expectRpcError(env.call('ListTaskQueuePartitions', { namespace: NAMESPACE }), status.INVALID_ARGUMENT, /TaskQueue is not set/);
    });

    it('ListTaskQueuePartitions names the one partition of each type', async () => {
      const r = await env.call('ListTaskQueuePartitions', { namespace: NAMESPACE, taskQueue: { name: 'orders' } });
      assert.deepEqual(r.workflowTaskQueuePartitions.map((p) => p.key), ['orders']);
      assert.deepEqual(r.activityTaskQueuePartitions.map((p) => p.key), ['orders']);
      assert.ok(r.workflowTaskQueuePartitions[0].ownerHostName.length > 0);
    });
  });

  describe('cluster, search attributes, schedules and namespaces', () => {
    it('GetClusterInfo names the server, its stores and a cluster id that stays the same', async () => {
      const a = await env.call('GetClusterInfo', {});
      const b = await env.call('GetClusterInfo', {});
      assert.match(a.serverVersion, /duraflow/);
      assert.equal(a.clusterId, b.clusterId);
      assert.match(a.clusterId, /^[0-9a-f-]{36}$/);
      assert.equal(a.persistenceStore, 'sqlite');
      assert.equal(a.supportedClients['temporal-typescript'], '<2.0.0');
    });

    it('GetSearchAttributes lists the system attributes with their types', async () => {
      const { keys } = await env.call('GetSearchAttributes', {});
      assert.equal(keys.WorkflowId, IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
      assert.equal(keys.StartTime, IndexedValueType.INDEXED_VALUE_TYPE_DATETIME);
      assert.equal(keys.ExecutionStatus, IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
    });

    it('CountSchedules counts a namespace\'s schedules', async () => {
      const namespace = uid('count-ns').replace(/[^a-zA-Z0-9-]/g, '');
      await env.call('RegisterNamespace', { namespace, workflowExecutionRetentionPeriod: { seconds: 86_400 } });
      const count = async () => num((await env.call('CountSchedules', { namespace })).count);
      assert.equal(await count(), 0);
      await env.call('CreateSchedule', {
        namespace,
        scheduleId: 'hourly',
        requestId: randomUUID(),
        schedule: {
          spec: { interval: [{ interval: { seconds: 3600 } }] },
          action: { startWorkflow: { workflowId: 'hourly-wf', workflowType: { name: 'W' }, taskQueue: { name: 'tq' } } },
        },
      });
      assert.equal(await count(), 1);
      await expectRpcError(env.call('CountSchedules', { namespace, query: 'x = 1' }), status.INVALID_ARGUMENT, /does not support a query/);
    });

    it('UpdateNamespace changes description, owner, data (merged) and retention', async () => {
      const namespace = uid('upd-ns').replace(/[^a-zA-Z0-9-]/g, '');
      await env.call('RegisterNamespace', { namespace, data: { team: 'a', tier: '1' }, workflowExecutionRetentionPeriod: { seconds: 86_400 } });
      const r = await env.call('UpdateNamespace', {
        namespace,
        updateInfo: { description: 'orders', ownerEmail: 'ops@example.com', data: { tier: '2' } },
        config: { workflowExecutionRetentionTtl: { seconds: 3 * 86_400 } },
      });
      assert.equal(r.namespaceInfo.description, 'orders');
      const d = await env.call('DescribeNamespace', { namespace });
      assert.equal(d.namespaceInfo.ownerEmail, 'ops@example.com');
      assert.deepEqual({ ...d.namespaceInfo.data }, { team: 'a', tier: '2' });
      assert.equal(durationMs(d.config.workflowExecutionRetentionTtl), 3 * 86_400_000);
      await env.call('UpdateNamespace', { namespace, updateInfo: { ownerEmail: 'new@example.com' } });
      assert.equal((await env.call('DescribeNamespace', { namespace })).namespaceInfo.description, 'orders', 'unset fields are kept');
      await expectRpcError(
        env.call('UpdateNamespace', { namespace, updateInfo: { state: enums.NamespaceState.NAMESPACE_STATE_DELETED } }),
        status.INVALID_ARGUMENT,
        /cannot deprecate or delete/,
      );
      await expectRpcError(
        env.call('UpdateNamespace', { namespace, config: { workflowExecutionRetentionTtl: { seconds: -5 } } }),
        status.INVALID_ARGUMENT,
        /must be positive/,
      );
      await expectRpcError(env.call('UpdateNamespace', { namespace: 'no-such-namespace' }), status.NOT_FOUND);
    });
  });

  describe('legacy visibility: ListOpen, ListClosed, Scan, ListArchived', () => {
    it('filter by status, time, workflow id or type, as Temporal builds the queries', async () => {
      const type = uid('Legacy');
      const open = await startWorkflow(env, { workflowType: { name: type } });
      const closed = await startAndComplete(env, { workflowType: { name: type } });
      const quoted = await startWorkflow(env, { workflowId: `o'brien-${uid('q')}` });
      const ids = (r) => r.executions.map((e) => e.execution.workflowId);
      const listOpen = (request) => env.call('ListOpenWorkflowExecutions', { namespace: NAMESPACE, ...request });
      const listClosed = (request) => env.call('ListClosedWorkflowExecutions', { namespace: NAMESPACE, ...request });
      assert.deepEqual(ids(await listOpen({ typeFilter: { name: type } })), [open.workflowId]);
      assert.deepEqual(ids(await listClosed({ typeFilter: { name: type } })), [closed.workflowId]);
      assert.deepEqual(ids(await listOpen({ executionFilter: { workflowId: quoted.workflowId } })), [quoted.workflowId], 'a quote in a value is escaped');
      const minuteAgo = { seconds: Math.floor(Date.now() / 1000) - 60 };
      const later = { seconds: Math.floor(Date.now() / 1000) + 3600 };
      assert.ok(ids(await listClosed({ startTimeFilter: { earliestTime: minuteAgo, latestTime: later } })).includes(closed.workflowId));
      assert.deepEqual(ids(await listClosed({ startTimeFilter: { earliestTime: later } })), [], 'closed after the filter: close time counts');
      const completed = await listClosed({ statusFilter: { status: ExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED }, maximumPageSize: 1000 });
      assert.ok(ids(completed).includes(closed.workflowId));
      await expectRpcError(listClosed({ statusFilter: { status: ExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING } }), status.INVALID_ARGUMENT, /must be not Running/);
      await expectRpcError(listOpen({ startTimeFilter: { earliestTime: later, latestTime: minuteAgo } }), status.INVALID_ARGUMENT, /EarliestTime in StartTimeFilter should not be larger than LatestTime/);
      await expectRpcError(listOpen({ startTimeFilter: { earliestTime: { seconds: 1e15 } } }), status.INVALID_ARGUMENT, /time out of range/);
      const scanned = await env.call('ScanWorkflowExecutions', { namespace: NAMESPACE, query: `WorkflowType = '${type}'` });
      assert.deepEqual(ids(scanned).sort(), [open.workflowId, closed.workflowId].sort());
      await expectRpcError(env.call('ListArchivedWorkflowExecutions', { namespace: NAMESPACE, query: '' }), status.INVALID_ARGUMENT, /not configured for visibility archival/);
      await terminate(env, { workflowId: open.workflowId });
      await terminate(env, { workflowId: quoted.workflowId });
    });
  });

  it('a deleted workflow can no longer be completed by the worker that holds its task', async () => {
    const wf = await startWorkflow(env);
    const task = await pollWorkflowTask(env, wf.taskQueue);
    await deleteRun({ workflowId: wf.workflowId, runId: wf.runId });
    await expectRpcError(
      env.call('RespondWorkflowTaskCompleted', { namespace: NAMESPACE, taskToken: task.taskToken, commands: [completeWorkflowCommand()] }),
      status.NOT_FOUND,
    );
  });
});
