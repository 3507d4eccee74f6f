// Bad input to the dev server's WorkflowService: each is refused with the gRPC status a Temporal
// server uses and a message naming the problem, the server keeps answering, and a refused call
// leaves nothing half-written behind.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { durationFromMs } from 'duraflow/proto';
import { detailOf, expectRpcError, startServer, status } from './helpers/rpc.js';
import {
  completeWorkflowCommand,
  countExecutions,
  ExecutionStatus,
  jsonPayload,
  NAMESPACE,
  payloads,
  runWorkflowTask,
  startRequest,
  startWorkflow,
  statusOf,
  terminate,
  uid,
} from './helpers/workflows.js';

const BLOB_LIMIT = 2 * 1024 * 1024;

describe('dev server: bad input', () => {
  let env;
  let countBefore;
  /** Workflow ids whose start was refused: none of them may exist afterwards. */
  const refusedIds = [];

  before(async () => {
    env = await startServer();
    countBefore = await countExecutions(env);
  });
  after(async () => {
    await env?.stop();
  });

  /** Sends a start that must be refused with `code` and `message`; remembers its id. */
  async function refusedStart(overrides, code, message) {
    const request = startRequest(overrides);
    if (request.workflowId) refusedIds.push(request.workflowId);
    return await expectRpcError(env.call('StartWorkflowExecution', request), code, message);
  }

  it('unknown namespace → NOT_FOUND with a NamespaceNotFoundFailure detail', async () => {
    const error = await refusedStart({ namespace: 'no-such-namespace' }, status.NOT_FOUND, /no-such-namespace/);
    const detail = detailOf(error, 'NamespaceNotFoundFailure');
    assert.ok(detail, `expected a NamespaceNotFoundFailure detail, got ${JSON.stringify(error.statusDetails)}`);
    assert.equal(detail.value.namespace, 'no-such-namespace');
    const describeError = await expectRpcError(
      env.call('DescribeNamespace', { namespace: 'no-such-namespace' }),
      status.NOT_FOUND,
      /no-such-namespace/,
    );
    assert.ok(detailOf(describeError, 'NamespaceNotFoundFailure'));
  });

  it('StartWorkflowExecution without workflowId / workflowType / taskQueue → INVALID_ARGUMENT naming the field', async () => {
    await refusedStart({ workflowId: '' }, status.INVALID_ARGUMENT, /WorkflowId/);
    await refusedStart({ workflowType: undefined }, status.INVALID_ARGUMENT, /WorkflowType/);
    await refusedStart({ workflowType: { name: '' } }, status.INVALID_ARGUMENT, /WorkflowType/);
    await refusedStart({ taskQueue: undefined }, status.INVALID_ARGUMENT, /TaskQueue/);
    await refusedStart({ taskQueue: { name: '' } }, status.INVALID_ARGUMENT, /TaskQueue/);
  });

  it('negative workflow timeouts → INVALID_ARGUMENT naming the timeout', async () => {
    await refusedStart({ workflowExecutionTimeout: durationFromMs(-1000) }, status.INVALID_ARGUMENT, /WorkflowExecutionTimeout/);
    await refusedStart({ workflowRunTimeout: durationFromMs(-1000) }, status.INVALID_ARGUMENT, /WorkflowRunTimeout/);
    await refusedStart({ workflowTaskTimeout: durationFromMs(-1000) }, status.INVALID_ARGUMENT, /WorkflowTaskTimeout/);
  });

  it('bad retry policy → INVALID_ARGUMENT naming the field', async () => {
    await refusedStart({ retryPolicy: { backoffCoefficient: 0.5 } }, status.INVALID_ARGUMENT, /BackoffCoefficient/);
    await refusedStart(
      { retryPolicy: { initialInterval: durationFromMs(10_000), maximumInterval: durationFromMs(1000) } },
      status.INVALID_ARGUMENT,
      /MaximumInterval/,
    );
    await refusedStart({ retryPolicy: { maximumAttempts: -1 } }, status.INVALID_ARGUMENT, /MaximumAttempts/);
  });

  it('a refused TERMINATE_EXISTING start rolls back: the running run is not terminated', async () => {
    const running = await startWorkflow(env);
    await expectRpcError(
      env.call(
        'StartWorkflowExecution',
        startRequest({
          workflowId: running.workflowId,
          workflowIdConflictPolicy: 3, // WORKFLOW_ID_CONFLICT_POLICY_TERMINATE_EXISTING
          retryPolicy: { backoffCoefficient: 0.5 },
        }),
      ),
      status.INVALID_ARGUMENT,
      /BackoffCoefficient/,
    );
    const execution = { workflowId: running.workflowId, runId: running.runId };
    assert.equal(await statusOf(env, execution), ExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING);
    const current = await env.call('DescribeWorkflowExecution', { namespace: NAMESPACE, execution: { workflowId: running.workflowId } });
    assert.equal(current.workflowExecutionInfo.execution.runId, running.runId, 'the current run must still be the old one');
    await terminate(env, execution);
    countBefore += 1;
  });

  it('unknown workflow on Signal / Describe / Terminate / GetHistory → NOT_FOUND naming it', async () => {
    const workflowExecution = { workflowId: uid('missing') };
    const named = new RegExp(workflowExecution.workflowId);
    await expectRpcError(
      env.call('SignalWorkflowExecution', { namespace: NAMESPACE, workflowExecution, signalName: 's', input: payloads(1) }),
      status.NOT_FOUND,
      named,
    );
    await expectRpcError(env.call('DescribeWorkflowExecution', { namespace: NAMESPACE, execution: workflowExecution }), status.NOT_FOUND, named);
    await expectRpcError(env.call('TerminateWorkflowExecution', { namespace: NAMESPACE, workflowExecution, reason: 'x' }), status.NOT_FOUND, named);
    await expectRpcError(env.call('GetWorkflowExecutionHistory', { namespace: NAMESPACE, execution: workflowExecution }), status.NOT_FOUND, named);
  });

  it('signalling a completed or a terminated workflow → NOT_FOUND "workflow execution already completed"', async () => {
    const completed = await startWorkflow(env);
    await runWorkflowTask(env, completed.taskQueue, [completeWorkflowCommand()]);
    const terminated = await startWorkflow(env);
    await terminate(env, { workflowId: terminated.workflowId });
    countBefore += 2;
    for (const wf of [completed, terminated]) {
      await expectRpcError(
        env.call('SignalWorkflowExecution', {
          namespace: NAMESPACE,
          workflowExecution: { workflowId: wf.workflowId },
          signalName: 'late',
          input: payloads('x'),
        }),
        status.NOT_FOUND,
        'workflow execution already completed',
      );
    }
    // Terminating a closed run is refused the same way.
    await expectRpcError(terminate(env, { workflowId: completed.workflowId }), status.NOT_FOUND, 'workflow execution already completed');
  });

  it('a garbage task token → INVALID_ARGUMENT on RespondWorkflowTaskCompleted and RespondActivityTaskCompleted', async () => {
    const garbage = Buffer.from([0xde, 0xad, 0xbe, 0xef, 0x00, 0x7b]);
    await expectRpcError(
      env.call('RespondWorkflowTaskCompleted', { namespace: NAMESPACE, taskToken: garbage, commands: [completeWorkflowCommand()] }),
      status.INVALID_ARGUMENT,
      /token/i,
    );
    await expectRpcError(
      env.call('RespondActivityTaskCompleted', { namespace: NAMESPACE, taskToken: garbage, result: payloads(1) }),
      status.INVALID_ARGUMENT,
      /token/i,
    );
    await expectRpcError(
      env.call('RespondWorkflowTaskCompleted', { namespace: NAMESPACE, commands: [] }),
      status.INVALID_ARGUMENT,
      /token/i,
    );
  });

  it('a payload over 2 MiB → INVALID_ARGUMENT naming the limit', async () => {
    const big = { payloads: [{ ...jsonPayload(null), data: Buffer.alloc(BLOB_LIMIT + 1, 0x61) }] };
    const error = await refusedStart({ input: big }, status.INVALID_ARGUMENT, /limit/i);
    assert.match(error.details, /2097152|2 ?MiB/, 'the message names the 2 MiB limit');
    const running = await startWorkflow(env);
    countBefore += 1;
    await expectRpcError(
      env.call('SignalWorkflowExecution', {
        namespace: NAMESPACE,
        workflowExecution: { workflowId: running.workflowId },
        signalName: 'big',
        input: big,
      }),
      status.INVALID_ARGUMENT,
      /limit/i,
    );
    // The refused signal wrote nothing: the history is still Started + WorkflowTaskScheduled.
    const d = await env.call('DescribeWorkflowExecution', { namespace: NAMESPACE, execution: { workflowId: running.workflowId } });
    assert.equal(Number(d.workflowExecutionInfo.historyLength), 2);
    await terminate(env, { workflowId: running.workflowId });
  });

  it('a malformed visibility query → INVALID_ARGUMENT on List and Count', async () => {
    for (const method of ['ListWorkflowExecutions', 'CountWorkflowExecutions']) {
      await expectRpcError(env.call(method, { namespace: NAMESPACE, query: "WorkflowId = 'a' AND" }), status.INVALID_ARGUMENT);
      await expectRpcError(env.call(method, { namespace: NAMESPACE, query: "WorkflowId = = 'a'" }), status.INVALID_ARGUMENT);
      await expectRpcError(env.call(method, { namespace: NAMESPACE, query: "NoSuchAttribute = 'a'" }), status.INVALID_ARGUMENT, /NoSuchAttribute/);
      await expectRpcError(env.call(method, { namespace: NAMESPACE, query: "(WorkflowId = 'a'" }), status.INVALID_ARGUMENT);
    }
  });

  it('ORDER BY, LIMIT and GROUP BY outside Count, or on another field → INVALID_ARGUMENT', async () => {
    const list = (query) => env.call('ListWorkflowExecutions', { namespace: NAMESPACE, query });
    const count = (query) => env.call('CountWorkflowExecutions', { namespace: NAMESPACE, query });
    await expectRpcError(list("WorkflowType = 'a' ORDER BY StartTime"), status.INVALID_ARGUMENT, /ORDER BY/);
    await expectRpcError(list("WorkflowType = 'a' LIMIT 5"), status.INVALID_ARGUMENT, /LIMIT/);
    await expectRpcError(list('GROUP BY ExecutionStatus'), status.INVALID_ARGUMENT, /GROUP BY/);
    await expectRpcError(count('GROUP BY WorkflowType'), status.INVALID_ARGUMENT, /GROUP BY|WorkflowType/);
    await expectRpcError(list("ExecutionStatus = 'Sleeping'"), status.INVALID_ARGUMENT, /ExecutionStatus|Sleeping/);
    await expectRpcError(list("StartTime > 'yesterday'"), status.INVALID_ARGUMENT, /StartTime|yesterday/);
  });

  it('garbage next_page_token on GetWorkflowExecutionHistory and ListWorkflowExecutions → INVALID_ARGUMENT', async () => {
    const wf = await startWorkflow(env);
    countBefore += 1;
    const junk = Buffer.from([0xff, 0xfe, 0x00, 0x01]);
    await expectRpcError(
      env.call('GetWorkflowExecutionHistory', { namespace: NAMESPACE, execution: { workflowId: wf.workflowId }, nextPageToken: junk }),
      status.INVALID_ARGUMENT,
      /token/i,
    );
    await expectRpcError(env.call('ListWorkflowExecutions', { namespace: NAMESPACE, nextPageToken: junk }), status.INVALID_ARGUMENT, /token/i);
    await terminate(env, { workflowId: wf.workflowId });
  });

  it('an unregistered search attribute on start → INVALID_ARGUMENT naming it', async () => {
    await refusedStart(
      { searchAttributes: { indexedFields: { NoSuchSearchAttribute: jsonPayload('x') } } },
      status.INVALID_ARGUMENT,
      /NoSuchSearchAttribute/,
    );
  });

  it('a negative start delay → INVALID_ARGUMENT', async () => {
    await refusedStart({ workflowStartDelay: durationFromMs(-1000) }, status.INVALID_ARGUMENT, /StartDelay/i);
  });

  it('no namespace on the request → INVALID_ARGUMENT', async () => {
    await refusedStart({ namespace: '' }, status.INVALID_ARGUMENT, /[Nn]amespace/);
  });

  it('a runId that does not exist, or belongs to another workflow id → NOT_FOUND', async () => {
    const a = await startWorkflow(env);
    const b = await startWorkflow(env);
    countBefore += 2;
    await expectRpcError(
      env.call('DescribeWorkflowExecution', { namespace: NAMESPACE, execution: { workflowId: a.workflowId, runId: '7c9e6679-7425-40de-944b-e07fc1f90ae7' } }),
      status.NOT_FOUND,
    );
    await expectRpcError(
      env.call('DescribeWorkflowExecution', { namespace: NAMESPACE, execution: { workflowId: a.workflowId, runId: b.runId } }),
      status.NOT_FOUND,
    );
    await expectRpcError(
      env.call('SignalWorkflowExecution', { namespace: NAMESPACE, workflowExecution: { workflowId: a.workflowId, runId: b.runId }, signalName: 's' }),
      status.NOT_FOUND,
    );
    // Nothing was written to b by the mismatched signal.
    const d = await env.call('DescribeWorkflowExecution', { namespace: NAMESPACE, execution: { workflowId: b.workflowId } });
    assert.equal(Number(d.workflowExecutionInfo.historyLength), 2);
    await terminate(env, { workflowId: a.workflowId });
    await terminate(env, { workflowId: b.workflowId });
  });

  it('a stale workflow task token (task already completed) → NOT_FOUND', async () => {
    const wf = await startWorkflow(env);
    countBefore += 1;
    const task = await runWorkflowTask(env, wf.taskQueue, []);
    await expectRpcError(
      env.call('RespondWorkflowTaskCompleted', { namespace: NAMESPACE, taskToken: task.taskToken, commands: [completeWorkflowCommand()] }),
      status.NOT_FOUND,
    );
    assert.equal(await statusOf(env, { workflowId: wf.workflowId }), ExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING);
    await terminate(env, { workflowId: wf.workflowId });
    // A token of a closed run → NOT_FOUND as well.
    await expectRpcError(
      env.call('RespondWorkflowTaskCompleted', { namespace: NAMESPACE, taskToken: task.taskToken, commands: [] }),
      status.NOT_FOUND,
    );
  });

  it('QueryWorkflow without a query type → INVALID_ARGUMENT', async () => {
    const wf = await startWorkflow(env);
    countBefore += 1;
    await expectRpcError(
      env.call('QueryWorkflow', { namespace: NAMESPACE, execution: { workflowId: wf.workflowId }, query: {} }),
      status.INVALID_ARGUMENT,
      /QueryType/,
    );
    await terminate(env, { workflowId: wf.workflowId });
  });

  it('RegisterNamespace twice → ALREADY_EXISTS', async () => {
    const name = uid('ns');
    await env.call('RegisterNamespace', { namespace: name, workflowExecutionRetentionPeriod: durationFromMs(86_400_000) });
    await expectRpcError(
      env.call('RegisterNamespace', { namespace: name, workflowExecutionRetentionPeriod: durationFromMs(86_400_000) }),
      status.ALREADY_EXISTS,
    );
    const d = await env.call('DescribeNamespace', { namespace: name });
    assert.equal(d.namespaceInfo.name, name);
    await expectRpcError(env.call('RegisterNamespace', { namespace: 'default' }), status.ALREADY_EXISTS);
  });

  it('DescribeNamespace("default") works and ListNamespaces includes it', async () => {
    const d = await env.call('DescribeNamespace', { namespace: 'default' });
    assert.equal(d.namespaceInfo.name, 'default');
    assert.ok(d.namespaceInfo.id, 'the namespace has an id');
    assert.ok(d.config?.workflowExecutionRetentionTtl, 'the namespace reports its retention');
    const list = await env.call('ListNamespaces', {});
    assert.ok(list.namespaces.some((n) => n.namespaceInfo.name === 'default'));
  });

  it('GetSystemInfo advertises the capabilities the official SDKs rely on', async () => {
    const info = await env.call('GetSystemInfo', {});
    const c = info.capabilities;
    assert.ok(info.serverVersion, 'a server version is reported');
    assert.equal(c.sdkMetadata, true);
    assert.equal(c.signalAndQueryHeader, true);
    assert.equal(c.encodedFailureAttributes, true);
    assert.equal(c.upsertMemo, true);
    assert.equal(c.activityFailureIncludeHeartbeat, true);
    assert.equal(c.buildIdBasedVersioning, false);
  });

  it('after all that, the server still answers and no refused start left an execution behind', async () => {
    const info = await env.call('GetSystemInfo', {});
    assert.ok(info.capabilities);
    assert.equal(await countExecutions(env), countBefore, 'CountWorkflowExecutions is unchanged by refused calls');
    assert.ok(refusedIds.length >= 10);
    for (const workflowId of refusedIds.filter(Boolean)) {
      assert.equal(await countExecutions(env, `WorkflowId = '${workflowId}'`), 0, `no visibility row for refused ${workflowId}`);
      await expectRpcError(
        env.call('DescribeWorkflowExecution', { namespace: NAMESPACE, execution: { workflowId } }),
        status.NOT_FOUND,
      );
    }
  });
});
