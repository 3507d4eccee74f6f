// Client metrics on a Connection (`metrics: meter`): temporal_request / request_failure /
// request_latency per RPC, tagged operation, namespace and task_queue; long polls as long_request*.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Client, Connection } from 'duraflow/client';
import { DevServer } from 'duraflow/server';

const uid = (prefix) => `${prefix}-${randomUUID()}`;

/** A MetricMeter (the public interface) that records every point. */
function recordingMeter(points, tags = {}) {
  const instrument = (name, kind, valueType, unit, own = {}) => {
    const write = (value, extra) => points.push({ name, kind, unit, value, tags: { ...tags, ...own, ...extra } });
    return { name, kind, valueType, unit, add: write, record: write, set: write, withTags: (t) => instrument(name, kind, valueType, unit, { ...own, ...t }) };
  };
  return {
    createCounter: (name, unit) => instrument(name, 'counter', 'int', unit),
    createHistogram: (name, valueType = 'int', unit) => instrument(name, 'histogram', valueType, unit),
    createGauge: (name, valueType = 'int', unit) => instrument(name, 'gauge', valueType, unit),
    withTags: (more) => recordingMeter(points, { ...tags, ...more }),
  };
}

describe('client metrics', () => {
  let server;
  let connection;
  let client;
  const points = [];
  const find = (name, operation) => points.filter((p) => p.name === name && p.tags.operation === operation);

  before(async () => {
    server = await DevServer.start({ port: 0, logLevel: 'error', longPollMs: 200 });
    connection = await Connection.connect({ address: server.address, metrics: recordingMeter(points) });
    client = new Client({ connection });
  });
  after(async () => {
    await connection?.close();
    await server?.stop();
  });

  it('counts a request and its latency, tagged with the operation, namespace and task queue', async () => {
    const taskQueue = uid('tq');
    await client.workflow.start('someWorkflow', { taskQueue, workflowId: uid('wf') });
    const tags = { operation: 'StartWorkflowExecution', namespace: 'default', task_queue: taskQueue };
    assert.deepEqual(find('temporal_request', 'StartWorkflowExecution').map((p) => [p.kind, p.value, p.tags]), [['counter', 1, tags]]);
    const [latency] = find('temporal_request_latency', 'StartWorkflowExecution');
    assert.equal(latency.kind, 'histogram');
    assert.equal(latency.unit, 'milliseconds');
    assert.ok(Number.isInteger(latency.value) && latency.value >= 0);
    assert.deepEqual(latency.tags, tags);
    assert.deepEqual(find('temporal_request_failure', 'StartWorkflowExecution'), []);
  });

  it('counts failures with their status code', async () => {
    await assert.rejects(client.workflow.getHandle(uid('missing')).describe());
    const [failure] = find('temporal_request_failure', 'DescribeWorkflowExecution');
    assert.deepEqual(failure.tags, { operation: 'DescribeWorkflowExecution', namespace: 'default', status_code: 'NOT_FOUND' });
    assert.equal(find('temporal_request', 'DescribeWorkflowExecution').length, 1);
  });

  it('counts long polls (task polls, history with waitNewEvent) as long_request', async () => {
    const taskQueue = uid('poll-tq');
    await connection.workflowService.pollActivityTaskQueue({ namespace: 'default', taskQueue: { name: taskQueue } });
    const tags = { operation: 'PollActivityTaskQueue', namespace: 'default', task_queue: taskQueue };
    assert.deepEqual(find('temporal_long_request', 'PollActivityTaskQueue').map((p) => p.tags), [tags]);
    assert.deepEqual(find('temporal_long_request_latency', 'PollActivityTaskQueue').map((p) => p.tags), [tags]);
    assert.deepEqual(find('temporal_request', 'PollActivityTaskQueue'), []);

    const workflowId = uid('wf');
    const handle = await client.workflow.start('someWorkflow', { taskQueue, workflowId });
    const execution = { workflowId, runId: handle.firstExecutionRunId };
    await connection.workflowService.getWorkflowExecutionHistory({ namespace: 'default', execution });
    await connection.workflowService.getWorkflowExecutionHistory({ namespace: 'default', execution, waitNewEvent: true, nextPageToken: undefined });
    assert.ok(find('temporal_request', 'GetWorkflowExecutionHistory').length >= 1);
    assert.ok(find('temporal_long_request', 'GetWorkflowExecutionHistory').length >= 1);
  });

  it('records nothing without a meter, and rejects a meter that is not one', async () => {
    assert.throws(() => Connection.lazy({ metrics: {} }), /metrics must be a MetricMeter/);
  });
});
