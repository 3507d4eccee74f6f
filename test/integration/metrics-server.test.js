// The dev server's own Prometheus endpoint (`DevServer.start({ metricsPort })`, `--metrics-port`):
// after some RPCs it reports request counts, errors and latency per method, SQLite transaction
// latency, the task-queue backlog and the long polls waiting per task queue.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { after, before, describe, it } from 'node:test';
import { Client, Connection } from 'duraflow/client';
import { DevServer } from 'duraflow/server';

const uid = (prefix) => `${prefix}-${randomUUID()}`;
const BIN = new URL('../../bin/duraflow.js', import.meta.url).pathname;

/** The value of the series `name{labels}` (labels given as a sorted `k="v",...` string), or undefined. */
function sample(text, name, labels) {
  const line = text.split('\n').find((l) => l.startsWith(`${name}{${labels}} `));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

async function scrape(port) {
  const response = await fetch(`http://127.0.0.1:${port}/metrics`);
  assert.equal(response.status, 200);
  assert.match(response.headers.get('content-type'), /^text\/plain; version=0\.0\.4/);
  return response.text();
}

describe('dev server metrics endpoint', () => {
  let server;
  let connection;
  let client;
  before(async () => {
    server = await DevServer.start({ port: 0, metricsPort: 0, logLevel: 'error', longPollMs: 20_000 });
    connection = await Connection.connect({ address: server.address });
    client = new Client({ connection });
  });
  after(async () => {
    await connection?.close();
    await server?.stop();
  });

  it('counts RPCs per method, errors per status code, latency, and SQLite transactions', async () => {
    const taskQueue = uid('metrics-tq');
    await client.workflow.start('someWorkflow', { taskQueue, workflowId: uid('wf') });
    await assert.rejects(client.workflow.getHandle(uid('missing')).describe());
    const text = await scrape(server.metricsPort);
    assert.equal(sample(text, 'service_requests', 'operation="StartWorkflowExecution"'), 1);
    assert.equal(sample(text, 'service_latency_count', 'operation="StartWorkflowExecution"'), 1);
    assert.equal(sample(text, 'service_latency_bucket', 'operation="StartWorkflowExecution",le="+Inf"'), 1);
    assert.equal(sample(text, 'service_errors', 'operation="DescribeWorkflowExecution",status_code="NOT_FOUND"'), 1);
    assert.equal(sample(text, 'service_errors', 'operation="StartWorkflowExecution",status_code="NOT_FOUND"'), undefined);
    assert.ok(sample(text, 'service_requests', 'operation="GetSystemInfo"') >= 1, 'the connection check counts');
    assert.ok(sample(text, 'persistence_requests', 'operation="Transaction"') >= 1, 'the start committed a transaction');
    assert.ok(sample(text, 'persistence_latency_count', 'operation="Transaction"') >= 1);
    assert.match(text, /^# TYPE service_latency histogram$/m);
    // The new run's first workflow task waits in the queue: nobody polls it.
    assert.equal(sample(text, 'approximate_backlog_count', `namespace="default",task_queue="${taskQueue}",task_type="Workflow"`), 1);
  });

  it('reports the long polls waiting on a task queue while they wait', async () => {
    const taskQueue = uid('poll-tq');
    const abort = new AbortController();
    const poll = connection
      .withAbortSignal(abort.signal, () => connection.workflowService.pollActivityTaskQueue({ namespace: 'default', taskQueue: { name: taskQueue } }))
      .catch(() => undefined);
    const labels = `namespace="default",task_queue="${taskQueue}",task_type="Activity"`;
    let waiting;
    for (let i = 0; i < 100 && waiting !== 1; i++) {
      waiting = sample(await scrape(server.metricsPort), 'poller_count', labels);
      if (waiting !== 1) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    assert.equal(waiting, 1);
    abort.abort();
    await poll;
    let after;
    for (let i = 0; i < 100 && after !== 0; i++) {
      after = sample(await scrape(server.metricsPort), 'poller_count', labels);
      if (after !== 0) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    assert.equal(after, 0, 'the gauge drops back to 0 once the poll is gone');
  });

  it('answers 404 off /metrics, and is off unless asked for', async () => {
    assert.equal((await fetch(`http://127.0.0.1:${server.metricsPort}/`)).status, 404);
    const plain = await DevServer.start({ port: 0, logLevel: 'error' });
    try {
      assert.equal(plain.metricsPort, undefined);
    } finally {
      await plain.stop();
    }
    await assert.rejects(DevServer.start({ port: 0, metricsPort: 70_000 }), /metricsPort must be an integer/);
  });

  it('`duraflow server start-dev --metrics-port` serves the same endpoint', { timeout: 30_000 }, async () => {
    const child = spawn(process.execPath, [BIN, 'server', 'start-dev', '--port', '0', '--metrics-port', '0', '--headless', '--output', 'json'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      const [line] = await once(createInterface({ input: child.stdout }), 'line');
      const { address, metricsPort } = JSON.parse(line);
      assert.ok(Number.isInteger(metricsPort) && metricsPort > 0, `metricsPort in ${line}`);
      const cli = await Connection.connect({ address });
      await cli.workflowService.getSystemInfo({});
      await cli.close();
      assert.ok(sample(await scrape(metricsPort), 'service_requests', 'operation="GetSystemInfo"') >= 2);
    } finally {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
  });
});
