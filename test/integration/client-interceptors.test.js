// duraflow client interceptors: every workflow call runs through `interceptors.workflow` hooks,
// composed in order; headers they add reach the server (visible in history) and argument rewrites
// reach the workflow (run by the official worker).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client, composeInterceptors, Connection, defineQuery, defineSignal, defineUpdate, WithStartWorkflowOperation } from 'duraflow/client';
import { defaultPayloadConverter } from 'duraflow/common';
import proto from '@temporalio/proto';
import { startEnv, uid } from '../fixtures/client/env.js';

const T = { timeout: 20_000 };
const EventType = proto.temporal.api.enums.v1.EventType;
const finishSignal = defineSignal('finish');
const itemsQuery = defineQuery('items');
const addItemUpdate = defineUpdate('addItem');

const header = (value) => defaultPayloadConverter.toPayload(value);
const headerValue = (fields, name) => (fields?.[name] ? defaultPayloadConverter.fromPayload(fields[name]) : undefined);

async function eventsOf(handle, type) {
  const { events } = await handle.fetchHistory();
  return events.filter((e) => e.eventType === type);
}

/** An interceptor recording each hook call as `${name}:${method}` and adding header `x-${name}` to calls that carry headers. */
function recorder(name, log) {
  const add = (input) => ({ ...input, headers: { ...input.headers, [`x-${name}`]: header(`${name}-value`) } });
  const hook = (method, transform = (i) => i) =>
    async (input, next) => {
      log.push(`${name}:${method}`);
      return next(transform(input));
    };
  return {
    startWithDetails: hook('startWithDetails', add),
    signal: hook('signal', add),
    signalWithStart: hook('signalWithStart', add),
    query: hook('query', add),
    startUpdate: hook('startUpdate', add),
    startUpdateWithStart: hook('startUpdateWithStart', (i) => ({
      ...i,
      workflowStartHeaders: { ...i.workflowStartHeaders, [`x-${name}`]: header(`${name}-start`) },
      updateHeaders: { ...i.updateHeaders, [`x-${name}`]: header(`${name}-update`) },
    })),
    describe: hook('describe'),
    cancel: hook('cancel'),
    terminate: hook('terminate'),
  };
}

describe('duraflow client: workflow interceptors', () => {
  let env;
  const opts = (workflowId, extra = {}) => ({ taskQueue: env.taskQueue, workflowId, ...extra });

  before(async () => {
    env = await startEnv();
  });
  after(async () => {
    await env?.stop();
  });

  it('headers added by start and signal hooks are recorded in history, from every interceptor, in order', T, async () => {
    const log = [];
    const client = env.makeClient({ interceptors: { workflow: [recorder('a', log), recorder('b', log)] } });
    const handle = await client.workflow.start('collector', opts(uid('hdr')));
    await handle.signal('add', 'one');
    await handle.signal(finishSignal);
    await handle.result(); // signals are buffered while a workflow task runs: read history once it closed
    assert.deepEqual(log, ['a:startWithDetails', 'b:startWithDetails', 'a:signal', 'b:signal', 'a:signal', 'b:signal']);
    const [started] = await eventsOf(handle, EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED);
    const startedHeader = started.workflowExecutionStartedEventAttributes.header.fields;
    assert.equal(headerValue(startedHeader, 'x-a'), 'a-value');
    assert.equal(headerValue(startedHeader, 'x-b'), 'b-value');
    const [signaled] = await eventsOf(handle, EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED);
    assert.equal(headerValue(signaled.workflowExecutionSignaledEventAttributes.header.fields, 'x-a'), 'a-value');
    // Byte-exact: the header payload is what the payload converter produced.
    assert.deepEqual(Buffer.from(startedHeader['x-b'].data), Buffer.from(header('b-value').data));
  });

  it('query, update, describe, cancel and terminate run through their hooks; update headers reach history', T, async () => {
    const log = [];
    const client = env.makeClient({ interceptors: { workflow: [recorder('a', log)] } });
    const handle = await client.workflow.start('collector', opts(uid('calls'), { args: [['x']] }));
    assert.deepEqual(await handle.query(itemsQuery), ['x']);
    assert.equal(await handle.executeUpdate(addItemUpdate, { args: ['y'] }), 2);
    const [accepted] = await eventsOf(handle, EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED);
    const acceptedHeader = accepted.workflowExecutionUpdateAcceptedEventAttributes.acceptedRequest.input.header.fields;
    assert.equal(headerValue(acceptedHeader, 'x-a'), 'a-value');
    assert.equal((await handle.describe()).status.name, 'RUNNING');
    await handle.cancel();
    await assert.rejects(handle.result());
    const other = await client.workflow.start('sleeper', opts(uid('term'), { args: [60_000] }));
    await other.terminate('done');
    assert.deepEqual(log, [
      'a:startWithDetails',
      'a:query',
      'a:startUpdate',
      'a:describe',
      'a:cancel',
      'a:startWithDetails',
      'a:terminate',
    ]);
  });

  it('an interceptor can rewrite arguments (start, signal, query) and results', T, async () => {
    const client = env.makeClient({
      interceptors: {
        workflow: [
          {
            async startWithDetails(input, next) {
              return next({ ...input, options: { ...input.options, args: input.options.args.map((a) => (typeof a === 'string' ? a.toUpperCase() : a)) } });
            },
          },
          {
            async signal(input, next) {
              return next({ ...input, args: input.args.map((a) => `${a}!`) });
            },
            async query(input, next) {
              const items = await next(input);
              return items.map((item) => `<${item}>`);
            },
          },
        ],
      },
    });
    assert.equal(await client.workflow.execute('greet', opts(uid('rewrite'), { args: ['ada'] })), 'Hello, ADA!');
    const handle = await client.workflow.start('collector', opts(uid('rewrite-signal'), { args: [[]] }));
    await handle.signal('add', 'hey');
    assert.deepEqual(await handle.query(itemsQuery), ['<hey!>']);
    await handle.signal(finishSignal);
    assert.deepEqual(await handle.result(), ['hey!']);
  });

  it('signalWithStart and update-with-start carry interceptor headers to the started workflow', T, async () => {
    const log = [];
    const client = env.makeClient({ interceptors: { workflow: [recorder('a', log)] } });
    const sws = await client.workflow.signalWithStart('collector', { ...opts(uid('sws')), signal: 'add', signalArgs: ['s'] });
    const [started] = await eventsOf(sws, EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED);
    assert.equal(headerValue(started.workflowExecutionStartedEventAttributes.header.fields, 'x-a'), 'a-value');
    const op = new WithStartWorkflowOperation('collector', { ...opts(uid('uws')), args: [[]], workflowIdConflictPolicy: 'FAIL' });
    assert.equal(await client.workflow.executeUpdateWithStart(addItemUpdate, { args: ['u'], startWorkflowOperation: op }), 1);
    const uws = await op.workflowHandle();
    const [uwsStarted] = await eventsOf(uws, EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED);
    assert.equal(headerValue(uwsStarted.workflowExecutionStartedEventAttributes.header.fields, 'x-a'), 'a-start');
    const [accepted] = await eventsOf(uws, EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED);
    assert.equal(headerValue(accepted.workflowExecutionUpdateAcceptedEventAttributes.acceptedRequest.input.header.fields, 'x-a'), 'a-update');
    assert.deepEqual(log, ['a:signalWithStart', 'a:startUpdateWithStart']);
    await sws.terminate();
    await uws.terminate();
  });

  it('an interceptor may answer without calling next', T, async () => {
    const client = env.makeClient({
      interceptors: { workflow: [{ async describe() { return { workflowExecutionInfo: undefined }; }, async query() { return 'cached'; } }] },
    });
    const handle = client.workflow.getHandle(uid('never-started'));
    assert.equal(await handle.query('anything'), 'cached');
  });

  it('legacy forms: { calls: [factory] } gets the workflow id; a `start` hook is adapted to startWithDetails', T, async () => {
    const seen = [];
    const client = env.makeClient({
      interceptors: {
        workflow: {
          calls: [
            ({ workflowId, runId }) => ({
              async start(input, next) {
                seen.push({ workflowId, runId, type: input.workflowType });
                const runIdFromNext = await next(input);
                assert.equal(typeof runIdFromNext, 'string');
                return runIdFromNext;
              },
            }),
          ],
        },
      },
    });
    const workflowId = uid('legacy');
    const handle = await client.workflow.start('greet', opts(workflowId, { args: ['Lee'] }));
    assert.match(handle.firstExecutionRunId, /^[0-9a-f-]{36}$/);
    assert.equal(handle.eagerlyStarted, false);
    assert.deepEqual(seen, [{ workflowId, runId: undefined, type: 'greet' }]);
    assert.equal(await handle.result(), 'Hello, Lee!');
  });
});

describe('duraflow client: interceptor validation and composition', () => {
  const connection = Connection.lazy({ address: '127.0.0.1:1' });

  it('rejects malformed interceptor options with a clear message', () => {
    assert.throws(() => new Client({ connection, interceptors: 'x' }), /ClientOptions\.interceptors must be an object/);
    assert.throws(() => new Client({ connection, interceptors: { workflow: [null] } }), /interceptors\.workflow\[0\] must be an interceptor object/);
    assert.throws(() => new Client({ connection, interceptors: { workflow: { calls: ['f'] } } }), /interceptors\.workflow must be an array/);
    assert.throws(() => new Client({ connection, interceptors: { schedule: {} } }), /interceptors\.schedule must be an array/);
  });

  it('composeInterceptors calls hooks first to last, then next; skips interceptors without the hook', async () => {
    const order = [];
    const mk = (n) => ({ async signal(input, next) { order.push(n); return next({ ...input, args: [...input.args, n] }); } });
    const fn = composeInterceptors([mk(1), {}, mk(2)], 'signal', async (input) => input.args);
    assert.deepEqual(await fn({ args: [] }), [1, 2]);
    assert.deepEqual(order, [1, 2]);
    assert.throws(() => composeInterceptors([{ signal: 5 }], 'signal', async () => {}), /Interceptor #0 has a 'signal' that is not a function/);
  });
});
