// Worker options `sinks` (injected sink functions, the official shape) and `interceptors.activity`
// (activity interceptor factories) on duraflow's worker against the dev server: sink calls arrive
// with the calling workflow's info, are skipped while replaying unless `callDuringReplay`, and on a
// replay worker only `callDuringReplay` functions run; activity inbound interceptors see and change
// the arguments and read the headers workflow interceptors set, for activities and local activities.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Context } from 'duraflow/activity';
import { Client, Connection } from 'duraflow/client';
import { defaultPayloadConverter } from 'duraflow/common';
import { DevServer } from 'duraflow/server';
import { DefaultLogger, Worker } from 'duraflow/worker';
import { makeActivities } from '../fixtures/worker-la/activities.js';

const FIXTURES = new URL('../fixtures/worker-la/', import.meta.url);
const workflowsPath = new URL('workflows.js', FIXTURES).pathname;
const interceptorModule = new URL('workflow-interceptors.js', FIXTURES).pathname;
const uid = (prefix) => `${prefix}-${randomUUID()}`;
const T = { timeout: 60_000 };

/** Sinks that record every call: `events` only outside replay, `audit` also during replay. */
function recordingSinks() {
  const calls = [];
  const sinks = {
    events: {
      record: { fn: (info, ...args) => void calls.push({ sink: 'events', info, args }) },
      explode: {
        fn: () => {
          throw new Error('sink exploded');
        },
      },
    },
    audit: { record: { fn: (info, what) => void calls.push({ sink: 'audit', info, args: [what] }), callDuringReplay: true } },
  };
  return { calls, sinks };
}

const argsOf = (calls, sink) => calls.filter((c) => c.sink === sink).map((c) => c.args);

describe('Worker sinks and activity interceptors', () => {
  let server;
  let connection;
  let client;
  const { activities } = makeActivities(Context);

  before(async () => {
    server = await DevServer.start({ port: 0, logLevel: 'error' });
    connection = await Connection.connect({ address: server.address });
    client = new Client({ connection });
  });

  after(async () => {
    await connection?.close();
    await server?.stop();
  });

  it('runs injected sink functions with the workflow info; replayed calls only for callDuringReplay', T, async () => {
    const { calls, sinks } = recordingSinks();
    const logs = [];
    const taskQueue = uid('sinks');
    // No cache: every workflow task replays the earlier ones, so earlier sink calls are made again while replaying.
    const worker = await Worker.create({
      connection,
      taskQueue,
      workflowsPath,
      activities,
      sinks,
      maxCachedWorkflows: 0,
      logger: new DefaultLogger('WARN', (entry) => logs.push(entry)),
    });
    const workflowId = uid('sinkCalls');
    const handle = await worker.runUntil(async () => {
      const h = await client.workflow.start('sinkCalls', { taskQueue, workflowId });
      assert.equal(await h.result(), 'done');
      return h;
    });

    assert.deepEqual(argsOf(calls, 'events'), [['before'], ['after', 'x'], ['end']]);
    assert.deepEqual(argsOf(calls, 'audit'), [['before'], ['after'], ['before'], ['after'], ['end']]);
    const { info } = calls[0];
    assert.equal(info.workflowId, workflowId);
    assert.equal(info.runId, handle.firstExecutionRunId);
    assert.equal(info.workflowType, 'sinkCalls');
    assert.equal(info.taskQueue, taskQueue);
    assert.equal(info.namespace, 'default');
    assert.ok(logs.some((e) => e.message === 'External sink function threw an error' && e.meta?.fnName === 'explode'), 'a throwing sink is logged');
    assert.ok(logs.some((e) => e.message === 'Workflow referenced an unregistered external sink' && e.meta?.ifaceName === 'missing'), 'an unknown sink is logged');

    // A replay worker runs only the callDuringReplay functions.
    const replayed = recordingSinks();
    await Worker.runReplayHistory({ workflowsPath, sinks: replayed.sinks }, await handle.fetchHistory(), workflowId);
    assert.deepEqual(argsOf(replayed.calls, 'events'), []);
    assert.deepEqual(argsOf(replayed.calls, 'audit'), [['before'], ['after'], ['end']]);
  });

  it('rejects malformed sinks at Worker.create', T, async () => {
    await assert.rejects(
      Worker.create({ connection, taskQueue: uid('bad'), workflowsPath, sinks: { events: { record: () => undefined } } }),
      /Sink function events\.record must be \{ fn: Function, callDuringReplay\?: boolean \}/
    );
  });

  it('applies activity interceptors to activities and local activities', T, async () => {
    const taskQueue = uid('interceptors');
    const seen = [];
    const appendHeader = (ctx) => ({
      inbound: {
        async execute(input, next) {
          const origin = input.headers['x-origin'];
          seen.push({ type: ctx.info.activityType, isLocal: ctx.info.isLocal });
          return await next({ ...input, args: [...input.args, origin && defaultPayloadConverter.fromPayload(origin), ctx.info.isLocal] });
        },
      },
      outbound: { getLogAttributes: (attributes, next) => next({ ...attributes, intercepted: true }) },
    });
    const legacy = () => ({ execute: (input, next) => next({ ...input, args: [...input.args, 'legacy'] }) });
    const worker = await Worker.create({
      connection,
      taskQueue,
      workflowsPath,
      activities,
      interceptors: { workflowModules: [interceptorModule], activity: [appendHeader], activityInbound: [legacy] },
      logger: new DefaultLogger('ERROR'),
    });
    const result = await worker.runUntil(() => client.workflow.execute('intercepted', { taskQueue, workflowId: uid('intercepted') }));
    assert.deepEqual(result, {
      // The deprecated inbound factories are outermost, as in the official worker.
      remote: ['remote', 'legacy', 'from args', false],
      local: ['local', 'legacy', 'from args', true],
    });
    assert.deepEqual(seen, [
      { type: 'args', isLocal: false },
      { type: 'args', isLocal: true },
    ]);
  });
});
