// StartWorkflowExecution: request-id dedupe, the workflow ID conflict policy (while a run is open)
// and the workflow ID reuse policy (after it closed), as a Temporal server applies them.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { durationFromMs } from 'duraflow/proto';
import { detailOf, expectRpcError, startServer, status } from './helpers/rpc.js';
import {
  cancelWorkflowCommand,
  completeWorkflowCommand,
  countExecutions,
  enums,
  eventNames,
  ExecutionStatus,
  failWorkflowCommand,
  historyEvents,
  NAMESPACE,
  runWorkflowTask,
  startRequest,
  startWorkflow,
  statusOf,
  terminate,
  uid,
  waitFor,
} from './helpers/workflows.js';

const Conflict = enums.WorkflowIdConflictPolicy;
const Reuse = enums.WorkflowIdReusePolicy;

describe('dev server: StartWorkflowExecution policies', () => {
  let env;
  before(async () => {
    env = await startServer();
  });
  after(async () => {
    await env?.stop();
  });

  const start = (request) => env.call('StartWorkflowExecution', request);

  it('the same request_id twice returns the same run and starts one execution', async () => {
    const request = startRequest();
    const first = await start(request);
    const second = await start(request);
    assert.ok(first.runId);
    assert.equal(second.runId, first.runId);
    assert.equal(await countExecutions(env, `WorkflowId = '${request.workflowId}'`), 1);
    const events = await historyEvents(env, { workflowId: request.workflowId, runId: first.runId });
    assert.deepEqual(eventNames(events), ['WORKFLOW_EXECUTION_STARTED', 'WORKFLOW_TASK_SCHEDULED']);
  });

  it('the same request_id after the run closed still returns that run (no new execution)', async () => {
    const request = startRequest();
    const first = await start(request);
    await terminate(env, { workflowId: request.workflowId });
    const again = await start(request);
    assert.equal(again.runId, first.runId);
    assert.equal(await countExecutions(env, `WorkflowId = '${request.workflowId}'`), 1);
  });

  it('default conflict policy while running → ALREADY_EXISTS with WorkflowExecutionAlreadyStartedFailure(runId)', async () => {
    const running = await startWorkflow(env);
    const retryRequestId = randomUUID();
    const error = await expectRpcError(
      start(startRequest({ workflowId: running.workflowId, requestId: retryRequestId })),
      status.ALREADY_EXISTS,
      new RegExp(running.workflowId),
    );
    const detail = detailOf(error, 'WorkflowExecutionAlreadyStartedFailure');
    assert.ok(detail, `expected a WorkflowExecutionAlreadyStartedFailure detail, got ${JSON.stringify(error.statusDetails)}`);
    assert.equal(detail.value.runId, running.runId);
    assert.equal(await statusOf(env, { workflowId: running.workflowId, runId: running.runId }), ExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING);
    assert.equal(await countExecutions(env, `WorkflowId = '${running.workflowId}'`), 1);
    // Explicit FAIL behaves the same.
    await expectRpcError(
      start(startRequest({ workflowId: running.workflowId, workflowIdConflictPolicy: Conflict.WORKFLOW_ID_CONFLICT_POLICY_FAIL })),
      status.ALREADY_EXISTS,
    );
    await terminate(env, { workflowId: running.workflowId });
  });

  it('the WorkflowExecutionAlreadyStartedFailure carries the running run\'s start request id', async () => {
    // Temporal reports the request id that created the running run (not the refused request's).
    const running = await startWorkflow(env);
    const error = await expectRpcError(
      start(startRequest({ workflowId: running.workflowId, requestId: randomUUID() })),
      status.ALREADY_EXISTS,
    );
    const detail = detailOf(error, 'WorkflowExecutionAlreadyStartedFailure');
    assert.equal(detail.value.runId, running.runId);
    assert.equal(detail.value.startRequestId, running.request.requestId);
    await terminate(env, { workflowId: running.workflowId });
  });

  it('USE_EXISTING while running → started=false and the running runId', async () => {
    const running = await startWorkflow(env);
    const r = await start(
      startRequest({ workflowId: running.workflowId, workflowIdConflictPolicy: Conflict.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING }),
    );
    assert.equal(r.started, false);
    assert.equal(r.runId, running.runId);
    assert.equal(await countExecutions(env, `WorkflowId = '${running.workflowId}'`), 1);
    await terminate(env, { workflowId: running.workflowId });
  });

  it('TERMINATE_EXISTING while running → the old run is TERMINATED and a new run starts', async () => {
    const old = await startWorkflow(env);
    const r = await start(
      startRequest({ workflowId: old.workflowId, workflowIdConflictPolicy: Conflict.WORKFLOW_ID_CONFLICT_POLICY_TERMINATE_EXISTING }),
    );
    assert.equal(r.started, true);
    assert.notEqual(r.runId, old.runId);
    assert.equal(await statusOf(env, { workflowId: old.workflowId, runId: old.runId }), ExecutionStatus.WORKFLOW_EXECUTION_STATUS_TERMINATED);
    assert.equal(await statusOf(env, { workflowId: old.workflowId }), ExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING);
    const oldEvents = eventNames(await historyEvents(env, { workflowId: old.workflowId, runId: old.runId }));
    assert.equal(oldEvents.at(-1), 'WORKFLOW_EXECUTION_TERMINATED');
    assert.equal(await countExecutions(env, `WorkflowId = '${old.workflowId}'`), 2);
    await terminate(env, { workflowId: old.workflowId });
  });

  it('after a completed run: REJECT_DUPLICATE and ALLOW_DUPLICATE_FAILED_ONLY reject, ALLOW_DUPLICATE starts', async () => {
    const done = await startWorkflow(env);
    const task = await runWorkflowTask(env, done.taskQueue, [completeWorkflowCommand('ok')]);
    assert.equal(eventNames(task.history.events).at(-1), 'WORKFLOW_TASK_STARTED');
    assert.equal(await statusOf(env, { workflowId: done.workflowId }), ExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED);

    for (const policy of [Reuse.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE, Reuse.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE_FAILED_ONLY]) {
      const error = await expectRpcError(
        start(startRequest({ workflowId: done.workflowId, workflowIdReusePolicy: policy })),
        status.ALREADY_EXISTS,
      );
      assert.equal(detailOf(error, 'WorkflowExecutionAlreadyStartedFailure')?.value.runId, done.runId, `policy ${policy}`);
    }
    assert.equal(await countExecutions(env, `WorkflowId = '${done.workflowId}'`), 1);
    const r = await start(startRequest({ workflowId: done.workflowId, workflowIdReusePolicy: Reuse.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE }));
    assert.notEqual(r.runId, done.runId);
    await terminate(env, { workflowId: done.workflowId });
  });

  it('the default reuse policy (ALLOW_DUPLICATE) starts a new run after a completed one', async () => {
    const done = await startWorkflow(env);
    await runWorkflowTask(env, done.taskQueue, [completeWorkflowCommand()]);
    const r = await start(startRequest({ workflowId: done.workflowId }));
    assert.equal(r.started, true);
    assert.notEqual(r.runId, done.runId);
    await terminate(env, { workflowId: done.workflowId });
  });

  for (const [label, close, closedStatus, startOptions = {}] of [
    ['terminated', (wf) => terminate(env, { workflowId: wf.workflowId }), ExecutionStatus.WORKFLOW_EXECUTION_STATUS_TERMINATED],
    ['failed', (wf) => runWorkflowTask(env, wf.taskQueue, [failWorkflowCommand()]), ExecutionStatus.WORKFLOW_EXECUTION_STATUS_FAILED],
    [
      'canceled',
      async (wf) => {
        await env.call('RequestCancelWorkflowExecution', { namespace: NAMESPACE, workflowExecution: { workflowId: wf.workflowId } });
        await runWorkflowTask(env, wf.taskQueue, [cancelWorkflowCommand()]);
      },
      ExecutionStatus.WORKFLOW_EXECUTION_STATUS_CANCELED,
    ],
    [
      'timed-out',
      (wf) => waitFor('the run timeout', async () => (await statusOf(env, { workflowId: wf.workflowId })) !== ExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING),
      ExecutionStatus.WORKFLOW_EXECUTION_STATUS_TIMED_OUT,
      { workflowRunTimeout: durationFromMs(300) },
    ],
  ]) {
    it(`after a ${label} run: ALLOW_DUPLICATE_FAILED_ONLY starts a new run, REJECT_DUPLICATE rejects`, async () => {
      const wf = await startWorkflow(env, startOptions);
      await close(wf);
      assert.equal(await statusOf(env, { workflowId: wf.workflowId }), closedStatus);
      await expectRpcError(
        start(startRequest({ workflowId: wf.workflowId, workflowIdReusePolicy: Reuse.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE })),
        status.ALREADY_EXISTS,
      );
      const r = await start(
        startRequest({ workflowId: wf.workflowId, workflowIdReusePolicy: Reuse.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE_FAILED_ONLY }),
      );
      assert.equal(r.started, true);
      assert.notEqual(r.runId, wf.runId);
      assert.equal(await statusOf(env, { workflowId: wf.workflowId }), ExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING);
      await terminate(env, { workflowId: wf.workflowId });
    });
  }

  it('the conflict policy does not apply once the run is closed (USE_EXISTING starts a new run)', async () => {
    const wf = await startWorkflow(env);
    await terminate(env, { workflowId: wf.workflowId });
    const r = await start(
      startRequest({ workflowId: wf.workflowId, workflowIdConflictPolicy: Conflict.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING }),
    );
    assert.equal(r.started, true);
    assert.notEqual(r.runId, wf.runId);
    await terminate(env, { workflowId: wf.workflowId });
  });

  it('ids are per namespace: the same workflow id may run in two namespaces', async () => {
    const ns = uid('ns');
    await env.call('RegisterNamespace', { namespace: ns });
    const wf = await startWorkflow(env);
    const other = await start(startRequest({ namespace: ns, workflowId: wf.workflowId }));
    assert.notEqual(other.runId, wf.runId);
    await terminate(env, { workflowId: wf.workflowId });
  });
});
