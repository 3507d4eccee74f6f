// Connection.callWith and workerWorkflowService (internal): the context callWith sets reaches the
// one call started inside it, and only that call; the worker's stub fails calls without the
// caller's stack.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Connection } from '../../../dist/client/connection.js';
import { DevServer } from '../../../dist/server/index.js';

const CANCELLED = 1;
const DEADLINE_EXCEEDED = 4;

describe('Connection.callWith', () => {
  let server;
  let connection;
  before(async () => {
    server = await DevServer.start({ port: 0, logLevel: 'error' });
    connection = await Connection.connect({ address: server.address });
  });
  after(async () => {
    await connection?.close();
    await server?.stop();
  });

  const systemInfo = () => connection.workflowService.getSystemInfo({});

  it('applies an abort signal and a deadline to the call, and nothing after it', async () => {
    await assert.rejects(connection.callWith({ abortSignal: AbortSignal.abort() }, systemInfo), (e) => e.code === CANCELLED);
    await assert.rejects(connection.callWith({ deadline: Date.now() - 1 }, systemInfo), (e) => e.code === DEADLINE_EXCEEDED);
    const info = await systemInfo();
    assert.equal(typeof info.serverVersion, 'string', 'the next call runs without that context');
  });

  it('aborting the signal later cancels the long poll it started', async () => {
    const controller = new AbortController();
    const poll = connection.callWith({ abortSignal: controller.signal, deadline: Date.now() + 30_000 }, () =>
      connection.workflowService.pollWorkflowTaskQueue({ namespace: 'default', taskQueue: { name: 'nobody-starts-here' }, identity: 't' }),
    );
    setTimeout(() => controller.abort(), 50);
    await assert.rejects(poll, (e) => e.code === CANCELLED);
  });

  it('adds to the context of an enclosing with* scope', async () => {
    await assert.rejects(
      connection.withAbortSignal(AbortSignal.abort(), () => connection.callWith({ deadline: Date.now() + 10_000 }, systemInfo)),
      (e) => e.code === CANCELLED,
    );
  });

  it("the worker's stub fails its calls without the caller's stack, and leaves the stack limit as it was", async () => {
    const callerFrames = (e) => e.stack.slice(e.stack.indexOf('for call at')).split('\n').filter((line) => /^\s+at /.test(line));
    const describe = (service) => service.describeNamespace({ namespace: 'no-such-namespace-here' });
    const user = await describe(connection.workflowService).catch((e) => e);
    const worker = await describe(connection.workerWorkflowService).catch((e) => e);
    assert.equal(user.code, worker.code, 'the same call fails the same way');
    assert.equal(user.details, worker.details);
    assert.ok(callerFrames(user).length > 0, `a user's call names its caller: ${user.stack}`);
    assert.deepEqual(callerFrames(worker), [], `a worker's call does not: ${worker.stack}`);
    assert.equal(Error.stackTraceLimit, 10, 'the limit is restored');
    const poll = connection.callWith({ abortSignal: AbortSignal.abort() }, () => connection.workerWorkflowService.getSystemInfo({}));
    await assert.rejects(poll, (e) => e.code === CANCELLED, "callWith reaches the worker stub's calls too");
  });
});

describe('Connection metadata', () => {
  let server;
  before(async () => {
    server = await DevServer.start({ port: 0, logLevel: 'error' });
  });
  after(async () => {
    await server?.stop();
  });

  it('sends string values, and Buffer values under -bin keys; refuses the wrong kind naming the key', async () => {
    const seen = [];
    const capture = (options, nextCall) => {
      const call = nextCall(options);
      return { ...call, start: (metadata, listener) => (seen.push(metadata), call.start(metadata, listener)), sendMessage: (m) => call.sendMessage(m), halfClose: () => call.halfClose(), cancel: () => call.cancel(), getPeer: () => call.getPeer() };
    };
    const connection = await Connection.connect({ address: server.address, metadata: { 'x-app': 'orders' }, interceptors: [capture] });
    try {
      await connection.withMetadata({ 'x-tenant': 'acme', 'trace-bin': Buffer.from([1, 2, 3]) }, () => connection.workflowService.getSystemInfo({}));
      const md = seen.at(-1);
      assert.deepEqual(md.get('x-app'), ['orders']);
      assert.deepEqual(md.get('x-tenant'), ['acme']);
      assert.deepEqual(md.get('trace-bin'), [Buffer.from([1, 2, 3])]);
      assert.throws(() => connection.withMetadata({ 'trace-bin': 'text' }, async () => {}), /withMetadata: gRPC metadata key trace-bin needs a Buffer value/);
      assert.throws(() => connection.withMetadata({ 'x-tenant': Buffer.from('a') }, async () => {}), /key x-tenant needs a string value/);
      assert.throws(() => Connection.lazy({ metadata: { n: 5 } }), /metadata: gRPC metadata key n needs a string value/);
    } finally {
      await connection.close();
    }
  });
});
