// Worker metrics end to end: with `Runtime.install({ telemetryOptions: { metrics: { prometheus } } })`,
// running workflows and activities on duraflow's worker makes its Prometheus endpoint report the
// official metric names with their tags (temporal_ prefix, millisecond histograms), plus custom
// metrics from workflow code (`metricMeter` of duraflow/workflow, nothing on replay) and from
// activities (`metricMeter` of duraflow/activity).
//
// Skipped until the worker exports `Runtime` (i.e. the recorder is wired into the worker).
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Client } from 'duraflow/client';
import { DevServer } from 'duraflow/server';
import * as workerApi from 'duraflow/worker';
import * as activities from '../fixtures/observability/metrics-activities.js';

const { DefaultLogger, NativeConnection, Runtime, Worker } = workerApi;
const wired = typeof Runtime === 'function';
const workflowsPath = new URL('../fixtures/observability/metrics-workflows.js', import.meta.url).pathname;
const uid = (prefix) => `${prefix}-${randomUUID()}`;

/** The value of `name{labels}` where `labels` lists some of the series' labels (`k="v"` each). */
function sample(text, name, ...labels) {
  const lines = text.split('\n').filter((l) => l.startsWith(`${name}{`) && labels.every((label) => l.includes(label)));
  if (lines.length === 0) return undefined;
  return lines.reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
}

describe('worker metrics on the Prometheus endpoint', { skip: wired ? false : 'the worker does not export Runtime yet' }, () => {
  let server;
  let runtime;
  let connection;
  let text;
  const taskQueue = uid('metrics');
  const tq = `task_queue="${taskQueue}"`;
  const ns = 'namespace="default"';
  const service = 'service_name="temporal-core-sdk"';

  before(async () => {
    runtime = Runtime.install({ telemetryOptions: { metrics: { prometheus: { bindAddress: '127.0.0.1:0' } } } });
    await runtime.ready;
    server = await DevServer.start({ port: 0, logLevel: 'error' });
    connection = await NativeConnection.connect({ address: server.address });
    const client = new Client({ connection });
    const worker = await Worker.create({ connection, taskQueue, workflowsPath, activities, logger: new DefaultLogger('WARN') });
    await worker.runUntil(async () => {
      assert.equal(await client.workflow.execute('meteredWorkflow', { taskQueue, workflowId: uid('ok'), args: [5] }), 5);
      await assert.rejects(client.workflow.execute('failingWorkflow', { taskQueue, workflowId: uid('fail') }), /failed/);
    });
    text = await (await fetch(`http://${runtime.prometheusAddress}/metrics`)).text();
  });
  after(async () => {
    await connection?.close();
    await server?.stop();
    await runtime?.shutdown();
  });

  it('reports workflow outcomes by workflow type', () => {
    assert.equal(sample(text, 'temporal_workflow_completed', ns, tq, service, 'workflow_type="meteredWorkflow"'), 1);
    assert.equal(sample(text, 'temporal_workflow_failed', ns, tq, 'workflow_type="failingWorkflow"'), 1);
    assert.equal(sample(text, 'temporal_workflow_completed', tq, 'workflow_type="failingWorkflow"'), undefined);
    assert.equal(sample(text, 'temporal_workflow_endtoend_latency_count', tq, 'workflow_type="meteredWorkflow"'), 1);
    assert.match(text, /^# TYPE temporal_workflow_endtoend_latency histogram$/m);
  });

  it('reports workflow task polls and latencies with Core’s buckets', () => {
    assert.ok(sample(text, 'temporal_workflow_task_queue_poll_succeed', ns, tq) >= 3);
    assert.ok(sample(text, 'temporal_workflow_task_execution_latency_count', tq, 'workflow_type="meteredWorkflow"') >= 2);
    assert.ok(sample(text, 'temporal_workflow_task_execution_latency_bucket', tq, 'workflow_type="meteredWorkflow"', 'le="1000"') >= 2);
    assert.ok(sample(text, 'temporal_workflow_task_schedule_to_start_latency_count', tq) >= 3);
    assert.equal(sample(text, 'temporal_worker_start', ns, tq), 1);
  });

  it('reports activity tasks and executions by activity and workflow type', () => {
    const act = ['activity_type="countedGreet"', 'workflow_type="meteredWorkflow"'];
    assert.equal(sample(text, 'temporal_activity_task_received', tq, ...act), 1);
    // The activity runs on the workflow's own queue: the server hands it back in the workflow task's completion.
    assert.equal(sample(text, 'temporal_activity_task_received', tq, ...act, 'eager="true"'), 1);
    assert.equal(sample(text, 'temporal_activity_execution_latency_count', tq, ...act), 1);
    assert.equal(sample(text, 'temporal_activity_succeed_endtoend_latency_count', tq, ...act), 1);
    assert.equal(sample(text, 'temporal_activity_execution_failed', tq), undefined);
    assert.ok(sample(text, 'temporal_activity_schedule_to_start_latency_count', tq) >= 1);
  });

  it('reports pollers, slots, the sticky cache and the connection’s long polls', () => {
    assert.ok(sample(text, 'temporal_num_pollers', tq, 'poller_type="workflow_task"') !== undefined);
    assert.ok(sample(text, 'temporal_worker_task_slots_available', tq, 'worker_type="WorkflowWorker"') !== undefined);
    assert.ok(sample(text, 'temporal_sticky_cache_size', tq) !== undefined);
    assert.ok(sample(text, 'temporal_long_request', 'operation="PollWorkflowTaskQueue"', ns, tq) >= 1);
    assert.ok(sample(text, 'temporal_request', 'operation="RespondWorkflowTaskCompleted"', ns) >= 1);
  });

  it('reports custom metrics from workflows (once, not on replay) and activities, unprefixed', () => {
    assert.equal(sample(text, 'workflow_custom_total', 'namespace="default"', `taskQueue="${taskQueue}"`, 'workflowType="meteredWorkflow"', 'source="test"'), 5);
    assert.equal(sample(text, 'activity_custom_total', 'activityType="countedGreet"', `taskQueue="${taskQueue}"`), 1);
  });
});
