// Batch operations (what `temporal workflow terminate --query …` runs): StartBatchOperation over a
// visibility query or a list of executions, DescribeBatchOperation's counts, ListBatchOperations,
// StopBatchOperation, one running job per namespace, and a job that survives a restart.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { expectRpcError, startServer, status } from './helpers/rpc.js';
import { enums, eventNames, ExecutionStatus, historyEvents, NAMESPACE, num, payloads, startWorkflow, statusOf, uid, waitFor } from './helpers/workflows.js';

const { BatchOperationState, BatchOperationType } = enums;

describe('dev server: batch operations', () => {
  let env;
  before(async () => {
    env = await startServer();
  });
  after(async () => {
    await env?.stop();
  });

  const startBatch = (request) => env.call('StartBatchOperation', { namespace: NAMESPACE, jobId: uid('job'), reason: 'cleanup', ...request });
  const describeBatch = (jobId) => env.call('DescribeBatchOperation', { namespace: NAMESPACE, jobId });
  const finished = (jobId) =>
    waitFor(`batch ${jobId} to finish`, async () => {
      const d = await describeBatch(jobId);
      return d.state !== BatchOperationState.BATCH_OPERATION_STATE_RUNNING && d;
    });
  async function workflowsOfType(n, type = uid('BatchTarget')) {
    const runs = [];
    for (let i = 0; i < n; i++) runs.push(await startWorkflow(env, { workflowType: { name: type } }));
    return { type, runs: runs.map((r) => ({ workflowId: r.workflowId, runId: r.runId })) };
  }

  it('terminates every workflow a query matches and reports the counts', async () => {
    const { type, runs } = await workflowsOfType(5);
    const bystander = await startWorkflow(env);
    const jobId = uid('job');
    await startBatch({
      jobId,
      visibilityQuery: `WorkflowType = '${type}' AND ExecutionStatus = 'Running'`,
      maxOperationsPerSecond: 1000,
      terminationOperation: { identity: 'ops@example', details: payloads('why') },
    });
    const d = await finished(jobId);
    assert.equal(d.state, BatchOperationState.BATCH_OPERATION_STATE_COMPLETED);
    assert.equal(d.operationType, BatchOperationType.BATCH_OPERATION_TYPE_TERMINATE);
    assert.deepEqual([num(d.totalOperationCount), num(d.completeOperationCount), num(d.failureOperationCount)], [5, 5, 0]);
    assert.equal(d.reason, 'cleanup');
    assert.match(d.query, /WorkflowType/);
    assert.ok(d.closeTime, 'a finished job has a close time');
    for (const run of runs) {
      assert.equal(await statusOf(env, run), ExecutionStatus.WORKFLOW_EXECUTION_STATUS_TERMINATED);
      const last = (await historyEvents(env, run)).at(-1).workflowExecutionTerminatedEventAttributes;
      assert.deepEqual([last.reason, last.identity], ['cleanup', 'ops@example']);
    }
    assert.equal(await statusOf(env, bystander), ExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING, 'others are left alone');
  });

  it('signals, cancels and deletes the executions it is given; a closed or missing one counts as done', async () => {
    const { runs } = await workflowsOfType(3);
    const signal = uid('job');
    await startBatch({
      jobId: signal,
      executions: [...runs, { workflowId: uid('missing') }],
      signalOperation: { signal: 'poke', input: payloads({ n: 1 }), identity: 'ops' },
    });
    assert.deepEqual(num((await finished(signal)).completeOperationCount), 4);
    for (const run of runs) assert.ok(eventNames(await historyEvents(env, run)).includes('WORKFLOW_EXECUTION_SIGNALED'));

    const cancel = uid('job');
    await startBatch({ jobId: cancel, targetExecutions: runs.map((r) => ({ type: enums.ExecutionType.EXECUTION_TYPE_WORKFLOW, businessId: r.workflowId })), cancellationOperation: {} });
    await finished(cancel);
    for (const run of runs) assert.ok(eventNames(await historyEvents(env, run)).includes('WORKFLOW_EXECUTION_CANCEL_REQUESTED'));

    const del = uid('job');
    await startBatch({ jobId: del, executions: runs.slice(0, 2), deletionOperation: {} });
    assert.equal(num((await finished(del)).completeOperationCount), 2);
    await expectRpcError(statusOf(env, runs[0]), status.NOT_FOUND);
    assert.equal(await statusOf(env, runs[2]), ExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING);
  });

  it('runs one job at a time per namespace; StopBatchOperation ends a job as failed', async () => {
    const { type } = await workflowsOfType(3);
    const slow = uid('job');
    await startBatch({ jobId: slow, visibilityQuery: `WorkflowType = '${type}'`, maxOperationsPerSecond: 1, terminationOperation: {} });
    const busy = await expectRpcError(startBatch({ visibilityQuery: `WorkflowType = '${type}'`, cancellationOperation: {} }), status.RESOURCE_EXHAUSTED, /Max concurrent batch operations is reached/);
    assert.ok(busy);
    await env.call('StopBatchOperation', { namespace: NAMESPACE, jobId: slow, reason: 'enough' });
    const d = await describeBatch(slow);
    assert.equal(d.state, BatchOperationState.BATCH_OPERATION_STATE_FAILED);
    assert.ok(num(d.completeOperationCount) < 3, 'it stopped before the end');
    await expectRpcError(env.call('StopBatchOperation', { namespace: NAMESPACE, jobId: slow, reason: 'again' }), status.NOT_FOUND, /already finished/);
    const next = uid('job');
    await startBatch({ jobId: next, visibilityQuery: `WorkflowType = '${type}'`, maxOperationsPerSecond: 1000, terminationOperation: {} });
    assert.equal((await finished(next)).state, BatchOperationState.BATCH_OPERATION_STATE_COMPLETED);
    await expectRpcError(startBatch({ jobId: next, executions: [{ workflowId: 'x' }], cancellationOperation: {} }), status.ALREADY_EXISTS, /already exists/);
  });

  it('lists jobs newest first, a page at a time', async () => {
    const r = await env.call('ListBatchOperations', { namespace: NAMESPACE, pageSize: 2 });
    assert.equal(r.operationInfo.length, 2);
    assert.ok(r.nextPageToken?.length > 0);
    const rest = await env.call('ListBatchOperations', { namespace: NAMESPACE, pageSize: 100, nextPageToken: r.nextPageToken });
    const all = [...r.operationInfo, ...rest.operationInfo];
    assert.equal(new Set(all.map((o) => o.jobId)).size, all.length, 'no job twice');
    const times = all.map((o) => num(o.startTime.seconds) * 1000 + o.startTime.nanos / 1e6);
    assert.deepEqual(times, [...times].sort((a, b) => b - a));
  });

  it('refuses malformed requests as Temporal does', async () => {
    const invalid = (request, message) => expectRpcError(env.call('StartBatchOperation', { namespace: NAMESPACE, jobId: uid('job'), ...request }), status.INVALID_ARGUMENT, message);
    await invalid({ visibilityQuery: 'WorkflowId = "x"', terminationOperation: {} }, /must provide required parameters/);
    await invalid({ reason: 'r', terminationOperation: {} }, /must provide required parameters/);
    await invalid({ reason: 'r', visibilityQuery: 'WorkflowId = "x"', executions: [{ workflowId: 'x' }], terminationOperation: {} }, /mutually exclusive/);
    await invalid({ reason: 'r', visibilityQuery: 'WorkflowId = "x"', resetOperation: {} }, /resetOperation is not supported/);
    await invalid({ reason: 'r', visibilityQuery: 'WorkflowId ==== 1', terminationOperation: {} }, /.+/);
    await invalid({ reason: 'r', targetExecutions: [{ type: enums.ExecutionType.EXECUTION_TYPE_ACTIVITY, businessId: 'a' }], terminationOperation: {} }, /requires EXECUTION_TYPE_WORKFLOW/);
    await invalid({ reason: 'r', executions: [{ workflowId: 'x' }], signalOperation: {} }, /Signal is not set/);
    await expectRpcError(
      env.call('StartBatchOperation', { namespace: NAMESPACE, reason: 'r', executions: [{ workflowId: 'x' }], terminationOperation: {} }),
      status.INVALID_ARGUMENT,
      /JobId is not set/,
    );
    await expectRpcError(describeBatch(randomUUID()), status.NOT_FOUND, /not found/);
  });
});

describe('dev server: a batch operation across a restart', () => {
  const dir = mkdtempSync(join(tmpdir(), 'duraflow-batch-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('goes on where it was after the server restarts on the same file', async () => {
    const dbFilename = join(dir, 'dev.db');
    const first = await startServer({ dbFilename });
    const type = uid('Restart');
    const runs = [];
    for (let i = 0; i < 3; i++) runs.push(await startWorkflow(first, { workflowType: { name: type } }));
    const jobId = uid('job');
    await first.call('StartBatchOperation', { namespace: NAMESPACE, jobId, reason: 'r', visibilityQuery: `WorkflowType = '${type}'`, maxOperationsPerSecond: 1, terminationOperation: {} });
    await first.stop();
    const second = await startServer({ dbFilename });
    try {
      const d = await waitFor('the job to finish', async () => {
        const r = await second.call('DescribeBatchOperation', { namespace: NAMESPACE, jobId });
        return r.state === BatchOperationState.BATCH_OPERATION_STATE_COMPLETED && r;
      });
      assert.equal(num(d.completeOperationCount), 3);
      for (const r of runs) assert.equal(await statusOf(second, { workflowId: r.workflowId }), ExecutionStatus.WORKFLOW_EXECUTION_STATUS_TERMINATED);
    } finally {
      await second.stop();
    }
  });
});
