// Activities get a Client (Context.client / getClient()) on the worker's connection and namespace,
// as the official SDK gives one: regular and local activities, one Client per worker; a
// MockActivityEnvironment has one only when given. Public subpaths only.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import { activityInfo, Context, getClient } from 'duraflow/activity';
import { Client } from 'duraflow/client';
import { IllegalStateError } from 'duraflow/common';
import { MockActivityEnvironment } from 'duraflow/testing';
import { DefaultLogger, Worker } from 'duraflow/worker';
import * as fixtureActivities from '../fixtures/worker/activities.js';
import { devServerSuite } from './helpers/dev-server-suite.js';

const uid = (prefix) => `${prefix}-${randomUUID()}`;
const clients = new Set();

/** What an activity sees through its client: its own workflow, described. */
async function describeOwnWorkflow(name) {
  const client = getClient();
  assert.equal(client, Context.current().client, 'getClient() is Context.current().client');
  clients.add(client);
  const description = await client.workflow.getHandle(activityInfo().workflowExecution.workflowId).describe();
  return `${name}:${description.status.name}:${client.namespace}`;
}

describe('activities: Context.client', () => {
  const suite = devServerSuite({ namespaces: ['orders'] });

  /** A worker in namespace `orders` whose `greet` activity describes its own workflow through its Client. */
  const ordersWorker = (taskQueue, options = {}) =>
    Worker.create({
      connection: suite.connection,
      namespace: 'orders',
      taskQueue,
      workflowsPath: new URL('../fixtures/worker/workflows.js', import.meta.url).pathname,
      activities: { ...fixtureActivities, greet: describeOwnWorkflow },
      logger: new DefaultLogger('WARN'),
      ...options,
    });

  it('regular and local activities reach the server through the worker\'s Client, in its namespace', async () => {
    const client = new Client({ connection: suite.connection, namespace: 'orders' });
    const taskQueue = uid('client');
    const worker = await ordersWorker(taskQueue);
    await worker.runUntil(async () => {
      assert.equal(await client.workflow.execute('greet', { taskQueue, workflowId: uid('wf'), args: ['a'] }), 'a:RUNNING:orders');
      assert.equal(await client.workflow.execute('greet', { taskQueue, workflowId: uid('wf'), args: ['b'] }), 'b:RUNNING:orders');
    });
    assert.equal(clients.size, 1, 'one Client per worker');

    const laQueue = uid('client-la');
    const laWorker = await Worker.create({
      connection: suite.connection,
      namespace: 'orders',
      taskQueue: laQueue,
      workflowsPath: new URL('../fixtures/worker-la/workflows.js', import.meta.url).pathname,
      activities: { slow: describeOwnWorkflow },
      logger: new DefaultLogger('WARN'),
    });
    await laWorker.runUntil(async () => {
      assert.equal(await client.workflow.execute('laLong', { taskQueue: laQueue, workflowId: uid('wf'), args: ['local'] }), 'local:RUNNING:orders');
    });
  });

  it('interceptors.client of the worker intercept the activities\' Client', async () => {
    const client = new Client({ connection: suite.connection, namespace: 'orders' });
    const taskQueue = uid('client-interceptors');
    const seen = [];
    const recorder = {
      async describe(input, next) {
        seen.push(input.workflowExecution.workflowId);
        return next(input);
      },
    };
    const worker = await ordersWorker(taskQueue, { interceptors: { client: { workflow: [recorder] } } });
    const workflowId = uid('wf');
    await worker.runUntil(() => client.workflow.execute('greet', { taskQueue, workflowId, args: ['c'] }));
    assert.deepEqual(seen, [workflowId]);
    await assert.rejects(
      Worker.create({ connection: suite.connection, taskQueue, activities: fixtureActivities, interceptors: { activty: [] } }),
      /Unknown Worker option 'interceptors.activty'; did you mean 'activity'\?/,
    );
    await assert.rejects(
      Worker.create({ connection: suite.connection, taskQueue, activities: fixtureActivities, interceptors: { nexus: [() => ({})] } }),
      /Worker option 'interceptors.nexus' is not supported: Nexus/,
    );
  });

  it('MockActivityEnvironment: the client given, or an IllegalStateError naming the cause', async () => {
    const { client } = suite;
    const env = new MockActivityEnvironment(undefined, { client });
    assert.equal(await env.run(() => getClient()), client);
    const bare = new MockActivityEnvironment();
    await assert.rejects(bare.run(async () => getClient()), (err) => err instanceof IllegalStateError && /No Client available/.test(err.message));
    assert.throws(() => new MockActivityEnvironment(undefined, { client: 5 }), /option client must be a Client/);
  });
});
