// Eager activity dispatch end to end: duraflow's worker asks the dev server to hand back activities in
// its workflow task completions (at most 3 per task, only with a free activity slot), runs them at once,
// and polls for the rest; the worker metrics tell the two apart. A server with eager dispatch off
// queues every activity. Public subpaths only.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Client, Connection } from 'duraflow/client';
import { DevServer } from 'duraflow/server';
import { DefaultLogger, Runtime, Worker } from 'duraflow/worker';
import * as activities from '../fixtures/worker/activities.js';

const workflowsPath = new URL('../fixtures/worker/workflows.js', import.meta.url).pathname;
const uid = (prefix) => `${prefix}-${randomUUID()}`;

/** Sum of the `temporal_activity_task_received` series of `taskQueue` with `eager="<eager>"`. */
function received(text, taskQueue, eager) {
  const lines = text
    .split('\n')
    .filter((l) => l.startsWith('temporal_activity_task_received{') && l.includes(`task_queue="${taskQueue}"`) && l.includes(`eager="${eager}"`));
  return lines.reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
}

/** Runs `fn(execute)` against a fresh server and worker; returns what it returned and the worker's task queue. */
async function withWorker(serverOptions, workerOptions, fn) {
  const server = await DevServer.start({ port: 0, logLevel: 'error', ...serverOptions });
  const connection = await Connection.connect({ address: server.address });
  try {
    const client = new Client({ connection });
    const taskQueue = uid('eager');
    const worker = await Worker.create({ connection, taskQueue, workflowsPath, activities, logger: new DefaultLogger('WARN'), ...workerOptions });
    const execute = (name, ...args) => client.workflow.execute(name, { taskQueue, workflowId: uid(name), args });
    await worker.runUntil(() => fn(execute));
    return taskQueue;
  } finally {
    await connection.close();
    await server.stop();
  }
}

describe('eager activity dispatch', () => {
  let runtime;
  const metrics = async () => (await fetch(`http://${runtime.prometheusAddress}/metrics`)).text();

  before(async () => {
    runtime = Runtime.install({ telemetryOptions: { metrics: { prometheus: { bindAddress: '127.0.0.1:0' } } } });
    await runtime.ready;
  });
  after(async () => {
    await runtime?.shutdown();
  });

  it('runs up to 3 activities per workflow task eagerly and polls for the rest, within the slot limit', async () => {
    // One poller holds one of the three slots while it waits: at most two are free for eager tasks.
    const taskQueue = await withWorker({}, { maxConcurrentActivityTaskExecutions: 3, maxConcurrentActivityTaskPolls: 1 }, async (execute) => {
      assert.deepEqual(await execute('parallel', 6), [0, 1, 2, 3, 4, 5]);
      assert.deepEqual(await execute('parallel', 2, false), [0, 1]);
      assert.deepEqual(await execute('sequence', 3), [0, 1, 2]);
    });
    const text = await metrics();
    const eager = received(text, taskQueue, true);
    const polled = received(text, taskQueue, false);
    assert.equal(eager + polled, 11);
    // parallel(6): at most 2 eager (free slots); parallel(2, false): none; sequence(3): each activity eager.
    assert.ok(eager >= 4 && eager <= 5, `eager activity tasks: ${eager}`);
    assert.ok(polled >= 6, `polled activity tasks: ${polled}`);
  });

  it('polls for every activity when the server does not dispatch eagerly', async () => {
    const taskQueue = await withWorker({ eagerActivities: false }, {}, async (execute) => {
      assert.deepEqual(await execute('parallel', 4), [0, 1, 2, 3]);
    });
    const text = await metrics();
    assert.equal(received(text, taskQueue, true), 0);
    assert.equal(received(text, taskQueue, false), 4);
  });
});
