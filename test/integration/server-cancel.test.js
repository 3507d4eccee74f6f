// RequestCancelWorkflowExecution: idempotent, a no-op on a closed run, and checked against
// first_execution_run_id.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { expectRpcError, startServer, status } from './helpers/rpc.js';
import {
  completeWorkflowCommand,
  eventNames,
  ExecutionStatus,
  historyEvents,
  NAMESPACE,
  runWorkflowTask,
  startWorkflow,
  statusOf,
  terminate,
  uid,
} from './helpers/workflows.js';

describe('dev server: RequestCancelWorkflowExecution', () => {
  let env;
  before(async () => {
    env = await startServer({ longPollMs: 500 });
  });
  after(async () => {
    await env?.stop();
  });

  const requestCancel = (workflowExecution, extra = {}) =>
    env.call('RequestCancelWorkflowExecution', {
      namespace: NAMESPACE,
      workflowExecution,
      identity: 'integration-test',
      requestId: randomUUID(),
      reason: 'please stop',
      ...extra,
    });

  it('twice → one WorkflowExecutionCancelRequested event and the run stays open', async () => {
    const wf = await startWorkflow(env);
    const execution = { workflowId: wf.workflowId, runId: wf.runId };
    await requestCancel(execution);
    await requestCancel(execution);
    const events = await historyEvents(env, execution);
    const names = eventNames(events);
    assert.equal(names.filter((n) => n === 'WORKFLOW_EXECUTION_CANCEL_REQUESTED').length, 1, names.join(','));
    const requested = events.find((e) => e.workflowExecutionCancelRequestedEventAttributes);
    assert.equal(requested.workflowExecutionCancelRequestedEventAttributes.cause, 'please stop');
    assert.equal(requested.workflowExecutionCancelRequestedEventAttributes.identity, 'integration-test');
    // The first workflow task was still pending: the request does not schedule a second one.
    assert.equal(names.filter((n) => n === 'WORKFLOW_TASK_SCHEDULED').length, 1, names.join(','));
    assert.equal(await statusOf(env, execution), ExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING);
    await terminate(env, execution);
  });

  it('a cancel request after the first task completed schedules a new workflow task carrying it', async () => {
    const wf = await startWorkflow(env);
    const execution = { workflowId: wf.workflowId, runId: wf.runId };
    await runWorkflowTask(env, wf.taskQueue, []);
    await requestCancel({ workflowId: wf.workflowId });
    const names = eventNames(await historyEvents(env, execution));
    assert.deepEqual(names.slice(-2), ['WORKFLOW_EXECUTION_CANCEL_REQUESTED', 'WORKFLOW_TASK_SCHEDULED']);
    await terminate(env, execution);
  });

  it('on a closed run it succeeds as a no-op', async () => {
    const wf = await startWorkflow(env);
    const execution = { workflowId: wf.workflowId, runId: wf.runId };
    await runWorkflowTask(env, wf.taskQueue, [completeWorkflowCommand()]);
    const before = eventNames(await historyEvents(env, execution));
    await requestCancel(execution);
    await requestCancel({ workflowId: wf.workflowId });
    assert.deepEqual(eventNames(await historyEvents(env, execution)), before);
    assert.equal(await statusOf(env, execution), ExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED);
  });

  it('a first_execution_run_id that does not match the chain → NOT_FOUND, and nothing is written', async () => {
    const wf = await startWorkflow(env);
    const execution = { workflowId: wf.workflowId, runId: wf.runId };
    await expectRpcError(requestCancel({ workflowId: wf.workflowId }, { firstExecutionRunId: randomUUID() }), status.NOT_FOUND);
    assert.ok(!eventNames(await historyEvents(env, execution)).includes('WORKFLOW_EXECUTION_CANCEL_REQUESTED'));
    // The matching first run id is accepted.
    await requestCancel({ workflowId: wf.workflowId }, { firstExecutionRunId: wf.runId });
    assert.ok(eventNames(await historyEvents(env, execution)).includes('WORKFLOW_EXECUTION_CANCEL_REQUESTED'));
    await terminate(env, execution);
  });

  it('an unknown workflow → NOT_FOUND', async () => {
    await expectRpcError(requestCancel({ workflowId: uid('missing') }), status.NOT_FOUND);
  });
});
