// QueryWorkflow when no worker answers: the caller's deadline ends the call with DEADLINE_EXCEEDED
// and the server stays healthy.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { expectRpcError, startServer, status } from './helpers/rpc.js';
import {
  enums,
  NAMESPACE,
  pollWorkflowTask,
  runWorkflowTask,
  startWorkflow,
  terminate,
} from './helpers/workflows.js';

describe('dev server: QueryWorkflow without a worker', () => {
  let env;
  before(async () => {
    env = await startServer({ longPollMs: 500 });
  });
  after(async () => {
    await env?.stop();
  });

  const query = (execution, callOptions, extra = {}) =>
    env.call('QueryWorkflow', { namespace: NAMESPACE, execution, query: { queryType: 'state' }, ...extra }, callOptions);

  it('a query nobody answers times out with DEADLINE_EXCEEDED at the caller deadline; the server stays healthy', async () => {
    const wf = await startWorkflow(env);
    const execution = { workflowId: wf.workflowId, runId: wf.runId };
    await runWorkflowTask(env, wf.taskQueue, []);
    const startedAt = Date.now();
    await expectRpcError(query(execution, { deadlineMs: 1000 }), status.DEADLINE_EXCEEDED);
    const elapsed = Date.now() - startedAt;
    assert.ok(elapsed >= 900 && elapsed < 5000, `ended near the 1 s deadline (${elapsed} ms)`);

    // Healthy afterwards: other RPCs answer, and the workflow can still be used.
    assert.ok((await env.call('GetSystemInfo', {})).capabilities);
    const d = await env.call('DescribeWorkflowExecution', { namespace: NAMESPACE, execution });
    assert.equal(d.workflowExecutionInfo.status, enums.WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING);
    await env.call('SignalWorkflowExecution', { namespace: NAMESPACE, workflowExecution: execution, signalName: 'after-query' });
    const task = await pollWorkflowTask(env, wf.taskQueue);
    assert.ok(task.taskToken?.length > 0, 'the signal produced a workflow task');
    assert.ok(!task.query, 'the abandoned query is not handed to a worker as a legacy query task');
    assert.equal((task.queries && Object.keys(task.queries).length) || 0, 0, 'the abandoned query is not attached to the next task');
    await terminate(env, execution);
  });

  it('an abandoned query is not delivered later to a poller', async () => {
    const wf = await startWorkflow(env);
    const execution = { workflowId: wf.workflowId, runId: wf.runId };
    await runWorkflowTask(env, wf.taskQueue, []);
    await expectRpcError(query(execution, { deadlineMs: 500 }), status.DEADLINE_EXCEEDED);
    const task = await pollWorkflowTask(env, wf.taskQueue);
    assert.ok(!task.taskToken || task.taskToken.length === 0, 'no stale legacy query task');
    await terminate(env, execution);
  });

  it('several concurrent unanswered queries all time out and leave the server healthy', async () => {
    const wf = await startWorkflow(env);
    const execution = { workflowId: wf.workflowId, runId: wf.runId };
    await runWorkflowTask(env, wf.taskQueue, []);
    const results = await Promise.allSettled(Array.from({ length: 5 }, () => query(execution, { deadlineMs: 800 })));
    for (const r of results) {
      assert.equal(r.status, 'rejected');
      assert.equal(r.reason.code, status.DEADLINE_EXCEEDED);
    }
    assert.ok((await env.call('GetSystemInfo', {})).capabilities);
    await terminate(env, execution);
  });

  it('QUERY_REJECT_CONDITION_NOT_OPEN on a closed workflow answers queryRejected without a worker', async () => {
    const wf = await startWorkflow(env);
    const execution = { workflowId: wf.workflowId, runId: wf.runId };
    await runWorkflowTask(env, wf.taskQueue, []);
    await terminate(env, execution);
    const r = await query(execution, { deadlineMs: 5000 }, {
      queryRejectCondition: enums.QueryRejectCondition.QUERY_REJECT_CONDITION_NOT_OPEN,
    });
    assert.equal(r.queryRejected.status, enums.WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_TERMINATED);
  });
});
