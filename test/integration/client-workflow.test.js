// duraflow's Client / WorkflowClient / WorkflowHandle against the dev server, with the official
// worker executing test/fixtures/client: start, execute, result, signals, queries, updates,
// describe, list, count, cancel, terminate, history, and the error paths.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  ActivityFailure,
  ApplicationFailure,
  CancelledFailure,
  Client,
  Connection,
  defineQuery,
  defineSignal,
  defineUpdate,
  NamespaceNotFoundError,
  QueryNotRegisteredError,
  QueryRejectedError,
  ServiceError,
  TerminatedFailure,
  WorkflowContinuedAsNewError,
  WorkflowExecutionAlreadyStartedError,
  WorkflowFailedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
} from 'duraflow/client';
import { defineSearchAttributeKey, SearchAttributeType } from 'duraflow/common';
import { startEnv, uid } from '../fixtures/client/env.js';

const addSignal = defineSignal('add');
const finishSignal = defineSignal('finish');
const itemsQuery = defineQuery('items');
const addItemUpdate = defineUpdate('addItem');
const customerId = defineSearchAttributeKey('CustomerId', SearchAttributeType.KEYWORD);
const T = { timeout: 20_000 };

describe('duraflow client: workflows', () => {
  let env;
  let client;
  const start = (type, options = {}) =>
    client.workflow.start(type, { taskQueue: env.taskQueue, workflowId: uid(type), ...options });

  before(async () => {
    env = await startEnv();
    client = env.client;
  });
  after(async () => {
    await env?.stop();
  });

  it('start returns a handle with firstExecutionRunId; result() decodes the value', T, async () => {
    const handle = await start('greet', { args: ['Ada'] });
    assert.equal(handle.runId, undefined);
    assert.match(handle.firstExecutionRunId, /^[0-9a-f-]{36}$/);
    assert.equal(await handle.result(), 'Hello, Ada!');
    assert.equal(await client.workflow.result(handle.workflowId), 'Hello, Ada!');
    assert.equal(await client.workflow.execute('greet', { taskQueue: env.taskQueue, workflowId: uid('exec'), args: ['Bo'] }), 'Hello, Bo!');
  });

  it('describe decodes memo, search attributes and static summary', T, async () => {
    const handle = await start('greet', {
      args: ['Cy'],
      memo: { owner: { team: 'billing' } },
      typedSearchAttributes: [{ key: customerId, value: 'c-42' }],
      staticSummary: 'greeting Cy',
      workflowRunTimeout: '1 minute',
      retry: { maximumAttempts: 2 },
    });
    await handle.result();
    const desc = await handle.describe();
    assert.equal(desc.workflowId, handle.workflowId);
    assert.equal(desc.runId, handle.firstExecutionRunId);
    assert.equal(desc.type, 'greet');
    assert.equal(desc.taskQueue, env.taskQueue);
    assert.deepEqual(desc.status, { code: 2, name: 'COMPLETED' });
    assert.ok(desc.historyLength > 0);
    assert.ok(desc.startTime instanceof Date && desc.closeTime instanceof Date);
    assert.deepEqual(desc.memo, { owner: { team: 'billing' } });
    assert.equal(desc.typedSearchAttributes.get(customerId), 'c-42');
    assert.deepEqual(desc.searchAttributes.CustomerId, ['c-42']);
    assert.equal(desc.staticSummary, 'greeting Cy');
    assert.ok(desc.raw.workflowExecutionInfo);
  });

  it('list iterates executions (and their histories); count counts them', T, async () => {
    const tag = uid('cust');
    const handles = [];
    for (let i = 0; i < 3; i++) handles.push(await start('greet', { args: [`n${i}`], typedSearchAttributes: [{ key: customerId, value: tag }] }));
    await Promise.all(handles.map((h) => h.result()));
    const query = `CustomerId = '${tag}'`;
    const listed = [];
    for await (const info of client.workflow.list({ query, pageSize: 2 })) listed.push(info);
    assert.deepEqual(listed.map((i) => i.workflowId).sort(), handles.map((h) => h.workflowId).sort());
    assert.ok(listed.every((i) => i.status.name === 'COMPLETED' && i.type === 'greet' && i.typedSearchAttributes.get(customerId) === tag));
    const histories = [];
    for await (const h of client.workflow.list({ query }).intoHistories()) histories.push(h);
    assert.equal(histories.length, 3);
    assert.ok(histories.every((h) => h.history.events.length >= 5));
    assert.equal((await client.workflow.count(query)).count, 3);
  });

  it('signal, query, executeUpdate, startUpdate and getUpdateHandle', T, async () => {
    const handle = await start('collector', { args: [['a']] });
    await handle.signal(addSignal, 'b');
    await handle.signal('add', 'c');
    assert.deepEqual(await handle.query(itemsQuery), ['a', 'b', 'c']);
    assert.equal(await handle.executeUpdate(addItemUpdate, { args: ['d'] }), 4);
    const upd = await handle.startUpdate(addItemUpdate, { args: ['e'], waitForStage: 'ACCEPTED', updateId: 'upd-e' });
    assert.equal(upd.updateId, 'upd-e');
    assert.equal(await upd.result(), 5);
    assert.equal(await handle.getUpdateHandle('upd-e').result(), 5);
    await assert.rejects(handle.executeUpdate(addItemUpdate, { args: [7] }), (err) => {
      assert.ok(err instanceof WorkflowUpdateFailedError, String(err));
      assert.match(err.cause.message, /addItem takes a string, got number/);
      return true;
    });
    await assert.rejects(handle.query('nope'), QueryNotRegisteredError);
    await handle.signal(finishSignal);
    assert.deepEqual(await handle.result(), ['a', 'b', 'c', 'd', 'e']);
  });

  it('signalWithStart starts the workflow and delivers the signal; a second call signals it', T, async () => {
    const workflowId = uid('sws');
    const opts = { taskQueue: env.taskQueue, workflowId, signal: addSignal, signalArgs: ['x'] };
    const handle = await client.workflow.signalWithStart('collector', opts);
    assert.match(handle.signaledRunId, /^[0-9a-f-]{36}$/);
    const again = await client.workflow.signalWithStart('collector', { ...opts, signal: 'add', signalArgs: ['y'] });
    assert.equal(again.signaledRunId, handle.signaledRunId);
    await handle.signal(finishSignal);
    assert.deepEqual(await handle.result(), ['x', 'y']);
  });

  it('failures: ApplicationFailure with details, ActivityFailure → ApplicationFailure', T, async () => {
    await assert.rejects((await start('failWithDetails', { args: [17] })).result(), (err) => {
      assert.ok(err instanceof WorkflowFailedError, String(err));
      assert.equal(err.retryState, 'RETRY_POLICY_NOT_SET'); // no workflow retry policy was given
      assert.ok(err.cause instanceof ApplicationFailure);
      assert.equal(err.cause.message, 'order rejected');
      assert.equal(err.cause.type, 'OrderError');
      assert.deepEqual(err.cause.details, [{ code: 17 }]);
      return true;
    });
    await assert.rejects((await start('failingActivity')).result(), (err) => {
      assert.ok(err instanceof WorkflowFailedError, String(err));
      assert.ok(err.cause instanceof ActivityFailure, String(err.cause));
      assert.equal(err.cause.activityType, 'failNonRetryable');
      assert.ok(err.cause.cause instanceof ApplicationFailure);
      assert.equal(err.cause.cause.message, 'bad input');
      assert.equal(err.cause.cause.type, 'BadInputError');
      assert.deepEqual(err.cause.cause.details, [{ reason: 'bad input' }]);
      return true;
    });
  });

  it('result() follows continue-as-new; followRuns: false throws WorkflowContinuedAsNewError', T, async () => {
    const handle = await start('continueAsNewCountdown', { args: [3] });
    assert.deepEqual(await handle.result(), [3, 2, 1]);
    const first = client.workflow.getHandle(handle.workflowId, handle.firstExecutionRunId, { followRuns: false });
    await assert.rejects(first.result(), (err) => {
      assert.ok(err instanceof WorkflowContinuedAsNewError, String(err));
      assert.match(err.newExecutionRunId, /^[0-9a-f-]{36}$/);
      return true;
    });
    const history = await first.fetchHistory();
    assert.ok(history.events.length >= 5);
    assert.equal(Number(history.events[0].eventId), 1);
  });

  it('cancel → CancelledFailure, terminate → TerminatedFailure with the reason', T, async () => {
    const cancelled = await start('sleeper', { args: [60_000] });
    await cancelled.cancel();
    await assert.rejects(cancelled.result(), (err) => err instanceof WorkflowFailedError && err.cause instanceof CancelledFailure);
    const terminated = await start('sleeper', { args: [60_000] });
    await terminated.terminate('no longer needed');
    await assert.rejects(terminated.result(), (err) => {
      assert.ok(err instanceof WorkflowFailedError);
      assert.ok(err.cause instanceof TerminatedFailure);
      assert.equal(err.cause.message, 'no longer needed');
      return true;
    });
    assert.equal((await terminated.describe()).status.name, 'TERMINATED');
  });

  it('unknown workflow → WorkflowNotFoundError; duplicate start → WorkflowExecutionAlreadyStartedError', T, async () => {
    const missing = client.workflow.getHandle(uid('missing'));
    await assert.rejects(missing.describe(), (err) => err instanceof WorkflowNotFoundError && err.workflowId === missing.workflowId);
    await assert.rejects(missing.signal('add', 1), WorkflowNotFoundError);
    await assert.rejects(missing.terminate(), WorkflowNotFoundError);
    const handle = await start('sleeper', { args: [60_000] });
    await assert.rejects(
      client.workflow.start('sleeper', { taskQueue: env.taskQueue, workflowId: handle.workflowId, args: [1] }),
      (err) => {
        assert.ok(err instanceof WorkflowExecutionAlreadyStartedError, String(err));
        assert.equal(err.workflowId, handle.workflowId);
        assert.equal(err.workflowType, 'sleeper');
        assert.ok(err.message.includes(handle.firstExecutionRunId), err.message);
        return true;
      },
    );
    await handle.terminate();
    const elsewhere = new Client({ connection: env.connection, namespace: 'no-such-namespace' });
    await assert.rejects(elsewhere.workflow.getHandle('w').describe(), NamespaceNotFoundError);
  });

  it('queryRejectCondition NOT_OPEN rejects queries on closed workflows', T, async () => {
    const handle = await start('greet', { args: ['Q'] });
    await handle.result();
    const strict = new Client({ connection: env.connection, workflow: { queryRejectCondition: 'NOT_OPEN' } });
    await assert.rejects(strict.workflow.getHandle(handle.workflowId).query('items'), (err) => {
      assert.ok(err instanceof QueryRejectedError, String(err));
      assert.equal(err.status, 'COMPLETED');
      return true;
    });
  });

  it('payload codecs run on send and receive', T, async () => {
    const seen = { encode: 0, decode: 0 };
    const codec = {
      async encode(payloads) {
        seen.encode += payloads.length;
        return payloads;
      },
      async decode(payloads) {
        seen.decode += payloads.length;
        return payloads;
      },
    };
    const coded = new Client({ connection: env.connection, dataConverter: { payloadCodecs: [codec] } });
    const result = await coded.workflow.execute('greet', { taskQueue: env.taskQueue, workflowId: uid('codec'), args: ['Di'] });
    assert.equal(result, 'Hello, Di!');
    assert.equal(seen.encode, 1);
    assert.equal(seen.decode, 1);
  });

  it('service errors name the call and keep the gRPC error as cause', T, async () => {
    await assert.rejects(client.workflow.count('NotAnAttribute = 1 AND ('), (err) => {
      assert.ok(err instanceof ServiceError, String(err));
      assert.match(err.message, /^CountWorkflowExecutions failed: INVALID_ARGUMENT/);
      assert.equal(err.cause.code, 3);
      return true;
    });
  });
});

describe('duraflow client: argument validation happens before any RPC', () => {
  // Nothing listens on port 1 and retries are off: any RPC would fail with a connection error, not the TypeError.
  const client = new Client({ connection: Connection.lazy({ address: '127.0.0.1:1', interceptors: [] }) });

  it('names the missing or invalid option', async () => {
    await assert.rejects(client.workflow.start('greet', { workflowId: 'w' }), {
      name: 'TypeError',
      message: 'WorkflowOptions.taskQueue is required and must be a non-empty string',
    });
    await assert.rejects(client.workflow.start('greet', { taskQueue: 'q' }), /WorkflowOptions\.workflowId is required/);
    await assert.rejects(
      client.workflow.start('greet', { taskQueue: 'q', workflowId: 'w', workflowIdReusePolicy: 'SOMETIMES' }),
      /WorkflowOptions\.workflowIdReusePolicy must be one of ALLOW_DUPLICATE, .*; got SOMETIMES/,
    );
    await assert.rejects(client.workflow.start('greet', { taskQueue: 'q', workflowId: 'w', args: 'x' }), /WorkflowOptions\.args must be an array/);
    await assert.rejects(
      client.workflow.start('greet', { taskQueue: 'q', workflowId: 'w', workflowRunTimeout: 'soon' }),
      /WorkflowOptions\.workflowRunTimeout is not a valid Duration/,
    );
    await assert.rejects(client.workflow.start('', { taskQueue: 'q', workflowId: 'w' }), /Workflow type must be a non-empty string/);
    await assert.rejects(
      client.workflow.start('greet', { taskQueue: 'q', workflowId: 'w', retryPolicy: { maximumAttempts: 1 } }),
      { name: 'TypeError', message: "Unknown WorkflowOptions 'retryPolicy'" },
    );
    await assert.rejects(
      client.workflow.execute('greet', { taskQueue: 'q', workflowId: 'w', workflowExecutionTimout: '1m' }),
      /Unknown WorkflowOptions 'workflowExecutionTimout'; did you mean 'workflowExecutionTimeout'\?/,
    );
    await assert.rejects(
      client.workflow.signalWithStart('greet', { taskQueue: 'q', workflowId: 'w', signal: 's', versioningOverride: { pinnedTo: {} } }),
      /WorkflowOptions 'versioningOverride' is not supported: Worker Versioning/,
    );
    await assert.rejects(
      client.workflow.signalWithStart('greet', { taskQueue: 'q', workflowId: 'w' }),
      /WorkflowSignalWithStartOptions\.signal is required/,
    );
    assert.throws(() => client.workflow.getHandle(''), /workflowId must be a non-empty string/);
    await assert.rejects(client.workflow.getHandle('w').signal(''), /Signal name must be a non-empty string/);
    assert.throws(() => new Client({}), /ClientOptions\.connection is required/);
    assert.throws(() => client.workflow.getHandle('w', ''), /runId must be a non-empty string when given/);
    const handle = client.workflow.getHandle('w');
    await assert.rejects(handle.executeUpdate('u', { args: 'x' }), /executeUpdate options\.args must be an array/);
    await assert.rejects(handle.startUpdate('u', { waitForStage: 'COMPLETED' }), /waitForStage must be 'ACCEPTED'/);
    await assert.rejects(handle.executeUpdate('u', { updateId: '' }), /options\.updateId must be a non-empty string/);
    // list() checks its options when called (before any page is fetched); count() its query.
    assert.throws(() => client.workflow.list({ query: 5 }), /ListOptions\.query must be a string, got number/);
    assert.throws(() => client.workflow.list({ pageSize: 0 }), /ListOptions\.pageSize must be a positive integer/);
    assert.throws(() => client.workflow.list('WorkflowType = "x"'), /ListOptions must be an object, got string/);
    await assert.rejects(client.workflow.count(5), /count's query must be a string, got number/);
    await assert.rejects(
      client.workflow.start('greet', { taskQueue: 'q', workflowId: 'w', typedSearchAttributes: { CustomKeywordField: 'x' } }),
      /typedSearchAttributes must be a TypedSearchAttributes or an array of \{ key, value \} pairs/,
    );
    await assert.rejects(handle.terminate(5), /terminate reason must be a string/);
    assert.throws(() => handle.getUpdateHandle(''), /updateId must be a non-empty string/);
    await assert.rejects(
      client.workflow.signalWithStart('greet', { taskQueue: 'q', workflowId: 'w', signal: 's', signalArgs: 'x' }),
      /signalArgs must be an array/,
    );
    assert.throws(() => new Client({ connection: client.connection, namespace: '' }), /ClientOptions\.namespace must be a non-empty string/);
  });
});
