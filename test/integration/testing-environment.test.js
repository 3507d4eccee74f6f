// duraflow/testing's TestWorkflowEnvironment: the embedded server in this process (local and
// time-skipping), its client and connection used by duraflow's worker, time skipping while a
// result is awaited, env.sleep / currentTimeMs, independent clocks per environment, and
// createFromExistingServer. Public subpaths only.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Connection } from 'duraflow/client';
import { DevServer } from 'duraflow/server';
import { TestWorkflowEnvironment } from 'duraflow/testing';
import { bundleWorkflowCode, DefaultLogger, Worker } from 'duraflow/worker';
import * as activities from '../fixtures/testing/activities.js';

const workflowsPath = new URL('../fixtures/testing/workflows.js', import.meta.url).pathname;
const uid = (prefix) => `${prefix}-${randomUUID()}`;
const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;
const T = { timeout: 60_000 };

let workflowBundle;
before(async () => {
  workflowBundle = await bundleWorkflowCode({ workflowsPath, logger: new DefaultLogger('WARN') });
});

/** Runs `fn(taskQueue)` while a duraflow worker for the test workflows polls `env`. */
async function withWorker(env, fn) {
  const taskQueue = uid('testing-tq');
  const worker = await Worker.create({
    connection: env.nativeConnection,
    namespace: env.namespace,
    taskQueue,
    workflowBundle,
    activities,
    logger: new DefaultLogger('WARN'),
  });
  return worker.runUntil(() => fn(taskQueue));
}

describe('TestWorkflowEnvironment.createLocal', () => {
  let env;
  before(async () => {
    const started = Date.now();
    env = await TestWorkflowEnvironment.createLocal({ server: { log: { level: 'error' } } });
    console.log(`createLocal() was ready in ${Date.now() - started} ms`);
  });
  after(() => env?.teardown());

  it('starts the embedded server in this process and connects its client to it', T, async () => {
    assert.match(env.address, /^127\.0\.0\.1:\d+$/);
    assert.equal(env.supportsTimeSkipping, false);
    assert.equal(env.namespace, 'default');
    assert.equal(env.nativeConnection, env.connection, 'the worker uses the client connection');
    assert.equal(env.client.connection, env.connection);
    assert.ok(env.server instanceof DevServer);
    assert.equal(env.server.address, env.address);
    const info = await env.connection.workflowService.getSystemInfo({});
    assert.match(info.serverVersion, /duraflow/);
  });

  it('runs a workflow with duraflow\'s worker', T, async () => {
    const result = await withWorker(env, (taskQueue) =>
      env.client.workflow.execute('greet', { taskQueue, workflowId: uid('greet'), args: ['Ada'] }),
    );
    assert.equal(result, 'Hello, Ada!');
  });

  it('runs in real time: currentTimeMs is the system time and sleep waits', T, async () => {
    const before = Date.now();
    const now = await env.currentTimeMs();
    assert.ok(now >= before && now <= Date.now());
    let resolved = false;
    const sleeping = env.sleep(20).then(() => (resolved = true));
    assert.equal(resolved, false);
    await sleeping;
    assert.ok(Date.now() - before >= 20);
  });
});

describe('TestWorkflowEnvironment.createLocal with server options', () => {
  it('creates the namespace (used by the client) and registers search attributes', T, async () => {
    const env = await TestWorkflowEnvironment.createLocal({
      server: {
        namespace: 'testing-ns',
        searchAttributes: [{ name: 'CustomerId', type: 'KEYWORD' }, { name: 'Amount', type: 'INT' }],
        log: { level: 'error' },
      },
    });
    try {
      assert.equal(env.namespace, 'testing-ns');
      assert.equal(env.client.namespace, 'testing-ns');
      const { customAttributes } = await env.connection.operatorService.listSearchAttributes({ namespace: 'testing-ns' });
      assert.ok('CustomerId' in customAttributes && 'Amount' in customAttributes, JSON.stringify(Object.keys(customAttributes)));
      const workflowId = uid('greet-ns');
      const result = await withWorker(env, (taskQueue) => env.client.workflow.execute('greet', { taskQueue, workflowId, args: ['Ns'] }));
      assert.equal(result, 'Hello, Ns!');
      const description = await env.client.workflow.getHandle(workflowId).describe();
      assert.equal(description.status.name, 'COMPLETED');
    } finally {
      await env.teardown();
    }
  });

  it('rejects options it cannot honour, naming them', async () => {
    await assert.rejects(TestWorkflowEnvironment.createLocal({ server: { extraArgs: ['--foo'] } }), /extraArgs/);
    await assert.rejects(TestWorkflowEnvironment.createLocal({ server: { searchAttributes: { X: 'Blob' } } }), /search attribute X has unknown type "Blob"/);
    await assert.rejects(TestWorkflowEnvironment.createLocal(null), /options must be an object/);
  });
});

describe('TestWorkflowEnvironment.createTimeSkipping', () => {
  let env;
  before(async () => {
    env = await TestWorkflowEnvironment.createTimeSkipping({ server: { log: { level: 'error' } } });
  });
  after(() => env?.teardown());

  it('completes a workflow that sleeps 30 days while the test awaits its result', T, async () => {
    assert.equal(env.supportsTimeSkipping, true);
    const serverBefore = await env.currentTimeMs();
    const wallStart = Date.now();
    const result = await withWorker(env, (taskQueue) =>
      env.client.workflow.execute('sleeper', { taskQueue, workflowId: uid('sleep-30d'), args: ['30 days'] }),
    );
    const wallMs = Date.now() - wallStart;
    console.log(`a 30-day workflow sleep took ${wallMs} ms of wall time (including worker start)`);
    assert.ok(result.slept >= 30 * DAY, `workflow time slept ${result.slept} ms`);
    const serverAdvanced = (await env.currentTimeMs()) - serverBefore;
    assert.ok(serverAdvanced >= 30 * DAY, `server clock advanced ${serverAdvanced} ms`);
    assert.ok(wallMs < 5000, `30 days of workflow time took ${wallMs} ms of wall time`);
  });

  it('skips time in handle.result() of started, signal-with-started and fetched handles, also concurrently', T, async () => {
    await withWorker(env, async (taskQueue) => {
      const a = await env.client.workflow.start('sleeper', { taskQueue, workflowId: uid('a'), args: ['10 days'] });
      const b = await env.client.workflow.signalWithStart('sleeper', { taskQueue, workflowId: uid('b'), args: ['20 days'], signal: 'nudge' });
      const c = await env.client.workflow.start('sleeper', { taskQueue, workflowId: uid('c'), args: ['5 days'] });
      const [ra, rb, rc] = await Promise.all([a.result(), b.result(), env.client.workflow.getHandle(c.workflowId).result()]);
      assert.ok(ra.slept >= 10 * DAY && rb.slept >= 20 * DAY && rc.slept >= 5 * DAY, JSON.stringify([ra, rb, rc]));
      // The lock is back: env.result() style waits are balanced and the next one still skips.
      assert.ok((await env.client.workflow.result(a.workflowId)).slept >= 10 * DAY);
    });
  });

  it('does not skip time while nobody awaits a result', T, async () => {
    await withWorker(env, async (taskQueue) => {
      const before = await env.currentTimeMs();
      const handle = await env.client.workflow.start('sleeper', { taskQueue, workflowId: uid('held'), args: ['1 day'] });
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.equal((await handle.describe()).status.name, 'RUNNING');
      assert.ok((await env.currentTimeMs()) - before < HOUR, 'the server clock stayed near wall time');
      assert.ok((await handle.result()).slept >= DAY);
    });
  });

  it("env.sleep('1 day') advances currentTimeMs() by a day", T, async () => {
    const before = await env.currentTimeMs();
    await env.sleep('1 day');
    const advanced = (await env.currentTimeMs()) - before;
    assert.ok(advanced >= DAY, `server clock advanced ${advanced} ms`);
    assert.ok(advanced < DAY + HOUR, `server clock advanced ${advanced} ms (too far)`);
    const detached = env.sleep; // a property, usable without its object
    await detached(1000);
    assert.ok((await env.currentTimeMs()) - before >= DAY + 1000);
  });
});

describe('Two time-skipping environments in one process', () => {
  it('keep independent clocks', T, async () => {
    const [a, b] = await Promise.all([
      TestWorkflowEnvironment.createTimeSkipping({ server: { log: { level: 'error' } } }),
      TestWorkflowEnvironment.createTimeSkipping({ server: { log: { level: 'error' } } }),
    ]);
    try {
      assert.notEqual(a.address, b.address);
      const [a0, b0] = [await a.currentTimeMs(), await b.currentTimeMs()];
      await a.sleep('7 days');
      const [a1, b1] = [await a.currentTimeMs(), await b.currentTimeMs()];
      assert.ok(a1 - a0 >= 7 * DAY, `a advanced ${a1 - a0} ms`);
      assert.ok(b1 - b0 < HOUR, `b advanced ${b1 - b0} ms while a skipped 7 days`);
      const slept = await withWorker(b, (taskQueue) =>
        b.client.workflow.execute('sleeper', { taskQueue, workflowId: uid('b-sleeps'), args: ['30 days'] }),
      );
      assert.ok(slept.slept >= 30 * DAY);
      const [a2, b2] = [await a.currentTimeMs(), await b.currentTimeMs()];
      assert.ok(b2 - b1 >= 30 * DAY, `b advanced ${b2 - b1} ms`);
      assert.ok(a2 - a1 < HOUR, `a advanced ${a2 - a1} ms while b skipped 30 days`);
    } finally {
      await Promise.all([a.teardown(), b.teardown()]);
    }
  });
});

describe('TestWorkflowEnvironment.createFromExistingServer', () => {
  it('connects to a running server, runs workflows on it, and leaves it running on teardown', T, async () => {
    const server = await DevServer.start({ port: 0, logLevel: 'error', namespaces: ['existing-ns'] });
    try {
      const env = await TestWorkflowEnvironment.createFromExistingServer({ address: server.address, namespace: 'existing-ns' });
      assert.equal(env.address, server.address);
      assert.equal(env.namespace, 'existing-ns');
      assert.equal(env.supportsTimeSkipping, false);
      assert.equal(env.server, undefined);
      const result = await withWorker(env, (taskQueue) => env.client.workflow.execute('greet', { taskQueue, workflowId: uid('existing'), args: ['Bo'] }));
      assert.equal(result, 'Hello, Bo!');
      await env.teardown();
      await env.teardown(); // idempotent
      const connection = await Connection.connect({ address: server.address });
      await connection.workflowService.getSystemInfo({});
      await connection.close();
    } finally {
      await server.stop();
    }
  });
});
