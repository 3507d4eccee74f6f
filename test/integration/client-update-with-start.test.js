// duraflow client update-with-start (ExecuteMultiOperation) against the dev server, with the
// official worker running test/fixtures/client's `collector` workflow.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  Client,
  Connection,
  defineSignal,
  defineUpdate,
  WithStartWorkflowOperation,
  WorkflowExecutionAlreadyStartedError,
  WorkflowUpdateFailedError,
} from 'duraflow/client';
import { startEnv, uid } from '../fixtures/client/env.js';

const T = { timeout: 20_000 };
const addItem = defineUpdate('addItem');
const finish = defineSignal('finish');

describe('duraflow client: update-with-start', () => {
  let env;
  let client;
  const startOp = (workflowId, workflowIdConflictPolicy, args = [[]]) =>
    new WithStartWorkflowOperation('collector', { taskQueue: env.taskQueue, workflowId, args, workflowIdConflictPolicy });

  before(async () => {
    env = await startEnv();
    client = env.client;
  });
  after(async () => {
    await env?.stop();
  });

  it('executeUpdateWithStart starts the workflow, returns the update result and resolves workflowHandle()', T, async () => {
    const workflowId = uid('uws');
    const op = startOp(workflowId, 'FAIL', [['a']]);
    assert.equal(await client.workflow.executeUpdateWithStart(addItem, { args: ['b'], startWorkflowOperation: op }), 2);
    const handle = await op.workflowHandle();
    assert.equal(handle.workflowId, workflowId);
    assert.match(handle.firstExecutionRunId, /^[0-9a-f-]{36}$/);
    assert.equal((await handle.describe()).runId, handle.firstExecutionRunId);
    await handle.signal(finish);
    assert.deepEqual(await handle.result(), ['a', 'b']);
  });

  it('USE_EXISTING sends the update to the running workflow; FAIL rejects with WorkflowExecutionAlreadyStartedError', T, async () => {
    const workflowId = uid('uws-existing');
    const first = startOp(workflowId, 'USE_EXISTING');
    assert.equal(await client.workflow.executeUpdateWithStart(addItem, { args: ['x'], startWorkflowOperation: first }), 1);
    const second = startOp(workflowId, 'USE_EXISTING');
    assert.equal(await client.workflow.executeUpdateWithStart('addItem', { args: ['y'], startWorkflowOperation: second }), 2);
    assert.equal((await second.workflowHandle()).firstExecutionRunId, (await first.workflowHandle()).firstExecutionRunId);

    const failing = startOp(workflowId, 'FAIL');
    const call = client.workflow.executeUpdateWithStart(addItem, { args: ['z'], startWorkflowOperation: failing });
    await assert.rejects(call, (err) => {
      assert.ok(err instanceof WorkflowExecutionAlreadyStartedError, `${err?.name}: ${err?.message}`);
      assert.equal(err.workflowId, workflowId);
      assert.equal(err.workflowType, 'collector');
      return true;
    });
    await assert.rejects(failing.workflowHandle(), WorkflowExecutionAlreadyStartedError);
    const handle = await first.workflowHandle();
    await handle.signal(finish);
    assert.deepEqual(await handle.result(), ['x', 'y']);
  });

  it('startUpdateWithStart returns an update handle once accepted', T, async () => {
    const op = startOp(uid('suws'), 'FAIL');
    const updateHandle = await client.workflow.startUpdateWithStart(addItem, {
      args: ['p'],
      updateId: 'upd-1',
      waitForStage: 'ACCEPTED',
      startWorkflowOperation: op,
    });
    assert.equal(updateHandle.updateId, 'upd-1');
    assert.equal(await updateHandle.result(), 1);
    const handle = await op.workflowHandle();
    assert.equal(updateHandle.workflowRunId, handle.firstExecutionRunId);
    assert.equal(await handle.getUpdateHandle('upd-1').result(), 1);
    await handle.terminate();
  });

  it('a rejected update throws WorkflowUpdateFailedError; the workflow was still started', T, async () => {
    const op = startOp(uid('uws-reject'), 'FAIL');
    await assert.rejects(client.workflow.executeUpdateWithStart(addItem, { args: [42], startWorkflowOperation: op }), (err) => {
      assert.ok(err instanceof WorkflowUpdateFailedError, String(err));
      assert.match(err.cause.message, /addItem takes a string, got number/);
      return true;
    });
    const handle = await op.workflowHandle();
    assert.equal((await handle.describe()).status.name, 'RUNNING');
    await handle.terminate();
  });
});

describe('duraflow client: update-with-start argument validation (before any RPC)', () => {
  // Nothing listens on port 1 and retries are off: an RPC fails fast with UNAVAILABLE.
  const client = new Client({ connection: Connection.lazy({ address: '127.0.0.1:1', interceptors: [] }) });
  const valid = { taskQueue: 'q', workflowId: 'w', workflowIdConflictPolicy: 'FAIL' };

  it('requires a conflict policy, a WithStartWorkflowOperation, and uses each operation once', async () => {
    assert.throws(() => new WithStartWorkflowOperation('collector', { taskQueue: 'q', workflowId: 'w' }), /needs options\.workflowIdConflictPolicy/);
    assert.throws(() => new WithStartWorkflowOperation('collector', { ...valid, workflowIdConflictPolicy: 'MAYBE' }), /got MAYBE/);
    assert.throws(() => new WithStartWorkflowOperation('', valid), /Workflow type must be a non-empty string/);
    await assert.rejects(client.workflow.executeUpdateWithStart(addItem, { args: [] }), /startWorkflowOperation must be a WithStartWorkflowOperation/);
    await assert.rejects(
      client.workflow.startUpdateWithStart(addItem, { startWorkflowOperation: new WithStartWorkflowOperation('c', valid) }),
      /waitForStage must be 'ACCEPTED'/,
    );
    const op = new WithStartWorkflowOperation('collector', { ...valid, taskQueue: '' });
    await assert.rejects(client.workflow.executeUpdateWithStart(addItem, { startWorkflowOperation: op }), /WorkflowOptions\.taskQueue is required/);
    // The operation failed validation before it was used: it may not be reused once executed.
    const used = new WithStartWorkflowOperation('collector', valid);
    const first = client.workflow.executeUpdateWithStart(addItem, { startWorkflowOperation: used });
    await assert.rejects(client.workflow.executeUpdateWithStart(addItem, { startWorkflowOperation: used }), /already been executed/);
    await assert.rejects(first); // nothing listens on port 1
    await assert.rejects(used.workflowHandle());
  });
});
