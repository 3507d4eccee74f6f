// The worker's metrics recorder emits the official names, kinds and tags; the Runtime configures a
// back end (a Prometheus endpoint scraped over HTTP here); workflow metric sink calls become points.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import {
  MetricsBuffer,
  PrometheusExporter,
  Runtime,
  WorkerMetrics,
  WorkflowMetricsSinkHandler,
  compileTelemetryOptions,
  workflowMetricMeter,
} from '../../../dist/worker/metrics/index.js';

const WHERE = { namespace: 'default', taskQueue: 'orders' };
const BENIGN = { message: 'meh', applicationFailureInfo: { type: 'X', category: 1 } };

function record(fn, options) {
  const buffer = new MetricsBuffer(options);
  fn(new WorkerMetrics(buffer, WHERE));
  return [...buffer.retrieveUpdates()].map((u) => ({ name: u.metric.name, kind: u.metric.kind, value: u.value, tags: u.attributes }));
}

describe('WorkerMetrics', () => {
  const base = { namespace: 'default', task_queue: 'orders' };

  it('workflow outcomes: counters by workflow_type, end-to-end latency; benign failures not counted', () => {
    const points = record((m) => {
      m.workflowClosed('completed', 'wf', 1500);
      m.workflowClosed('failed', 'wf', 20);
      m.workflowClosed('failed', 'wf', undefined, BENIGN);
      m.workflowClosed('canceled', 'wf');
      m.workflowClosed('continuedAsNew', 'wf');
    });
    const tags = { ...base, workflow_type: 'wf' };
    assert.deepEqual(points, [
      { name: 'temporal_workflow_completed', kind: 'counter', value: 1, tags },
      { name: 'temporal_workflow_endtoend_latency', kind: 'histogram', value: 1500, tags },
      { name: 'temporal_workflow_failed', kind: 'counter', value: 1, tags },
      { name: 'temporal_workflow_endtoend_latency', kind: 'histogram', value: 20, tags },
      { name: 'temporal_workflow_canceled', kind: 'counter', value: 1, tags },
      { name: 'temporal_workflow_continue_as_new', kind: 'counter', value: 1, tags },
    ]);
  });

  it('workflow tasks: polls, schedule-to-start, execution, replay, failures with failure_reason, cache', () => {
    const points = record((m) => {
      m.workflowTaskPollEmpty();
      m.workflowTaskPollSucceeded(30);
      m.workflowTaskExecutionLatency('wf', 4);
      m.workflowTaskReplayLatency('wf', 9);
      m.workflowTaskFailed('wf', 'NonDeterminismError');
      m.stickyCacheHit('wf');
      m.stickyCacheMiss('wf');
      m.stickyCacheSize(3);
      m.stickyCacheForcedEviction('wf');
    });
    const wf = { ...base, workflow_type: 'wf' };
    assert.deepEqual(points.map((p) => [p.name, p.kind, p.value, p.tags]), [
      ['temporal_workflow_task_queue_poll_empty', 'counter', 1, base],
      ['temporal_workflow_task_queue_poll_succeed', 'counter', 1, base],
      ['temporal_workflow_task_schedule_to_start_latency', 'histogram', 30, base],
      ['temporal_workflow_task_execution_latency', 'histogram', 4, wf],
      ['temporal_workflow_task_replay_latency', 'histogram', 9, wf],
      ['temporal_workflow_task_execution_failed', 'counter', 1, { ...wf, failure_reason: 'NonDeterminismError' }],
      ['temporal_sticky_cache_hit', 'counter', 1, wf],
      ['temporal_sticky_cache_miss', 'counter', 1, wf],
      ['temporal_sticky_cache_size', 'gauge', 3, base],
      ['temporal_sticky_cache_total_forced_eviction', 'counter', 1, wf],
    ]);
  });

  it('activities and local activities, pollers, slots and worker_start', () => {
    const act = { activityType: 'charge', workflowType: 'wf' };
    const points = record((m) => {
      m.workerStarted();
      m.pollerCount('activity_task', 5);
      m.taskSlots('ActivityWorker', 2, 98);
      m.activityPollEmpty();
      m.activityTaskReceived(act, 12);
      m.activityFinished(act, { outcome: 'completed', executionMs: 40, endToEndMs: 60 });
      m.activityFinished(act, { outcome: 'failed', executionMs: 1, failure: { message: 'x' } });
      m.activityFinished(act, { outcome: 'failed', executionMs: 1, failure: BENIGN });
      m.localActivityStarted(act);
      m.localActivityFinished(act, { outcome: 'completed', executionMs: 3, endToEndMs: 5 });
      m.localActivityFinished(act, { outcome: 'timedOut', executionMs: 3 });
      m.localActivityFinished(act, { outcome: 'cancelled', executionMs: 3 });
    });
    const a = { ...base, activity_type: 'charge', workflow_type: 'wf' };
    assert.deepEqual(points.map((p) => [p.name, p.value, p.tags]), [
      ['temporal_worker_start', 1, base],
      ['temporal_num_pollers', 5, { ...base, poller_type: 'activity_task' }],
      ['temporal_worker_task_slots_used', 2, { ...base, worker_type: 'ActivityWorker' }],
      ['temporal_worker_task_slots_available', 98, { ...base, worker_type: 'ActivityWorker' }],
      ['temporal_activity_poll_no_task', 1, base],
      ['temporal_activity_task_received', 1, { ...a, eager: false }],
      ['temporal_activity_schedule_to_start_latency', 12, base],
      ['temporal_activity_execution_latency', 40, a],
      ['temporal_activity_succeed_endtoend_latency', 60, a],
      ['temporal_activity_execution_latency', 1, a],
      ['temporal_activity_execution_failed', 1, a],
      ['temporal_activity_execution_latency', 1, a],
      ['temporal_local_activity_total', 1, a],
      ['temporal_local_activity_execution_latency', 3, a],
      ['temporal_local_activity_succeed_endtoend_latency', 5, a],
      ['temporal_local_activity_execution_latency', 3, a],
      ['temporal_local_activity_execution_failed', 1, a],
      ['temporal_local_activity_execution_latency', 3, a],
      ['temporal_local_activity_execution_cancelled', 1, a],
    ]);
  });

  it('records nothing without a meter, and validates its arguments', () => {
    const metrics = new WorkerMetrics(undefined, WHERE);
    assert.equal(metrics.enabled, false);
    metrics.workerStarted();
    assert.throws(() => new WorkerMetrics(undefined, {}), /namespace, taskQueue/);
  });
});

describe('Runtime and the Prometheus endpoint', () => {
  after(async () => {
    await Runtime.instance().shutdown();
  });

  it('serves worker metrics (temporal_ prefix, service_name, global tags) at /metrics', async () => {
    const runtime = Runtime.install({
      telemetryOptions: { metrics: { prometheus: { bindAddress: '127.0.0.1:0' }, globalTags: { env: 'test' } } },
    });
    assert.throws(() => Runtime.install({}), /already installed/);
    await runtime.ready;
    const metrics = new WorkerMetrics(runtime.temporalMeter, WHERE);
    metrics.workflowClosed('completed', 'wf', 250);
    runtime.metricMeter.createCounter('orders_placed').add(2);
    const response = await fetch(`http://${runtime.prometheusAddress}/metrics`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type'), /^text\/plain; version=0\.0\.4/);
    const text = await response.text();
    const labels = 'env="test",namespace="default",service_name="temporal-core-sdk",task_queue="orders",workflow_type="wf"';
    assert.match(text, new RegExp(`^temporal_workflow_completed\\{${labels}\\} 1$`, 'm'));
    assert.match(text, new RegExp(`^temporal_workflow_endtoend_latency_bucket\\{${labels},le="500"\\} 1$`, 'm'));
    assert.match(text, new RegExp(`^temporal_workflow_endtoend_latency_bucket\\{${labels},le="100"\\} 0$`, 'm'));
    assert.match(text, /^orders_placed\{env="test",service_name="temporal-core-sdk"\} 2$/m);
    assert.equal((await fetch(`http://${runtime.prometheusAddress}/other`)).status, 404);
    await runtime.shutdown();
    assert.notEqual(Runtime.instance(), runtime);
  });

  it('rejects a bad bind address and a port already in use', async () => {
    assert.throws(() => compileTelemetryOptions({ metrics: { prometheus: { bindAddress: 'nope' } } }), /bindAddress must be "host:port"/);
    assert.throws(() => compileTelemetryOptions({ metrics: {} }), /exactly one of prometheus, otel, buffer, meter/);
    const first = await PrometheusExporter.start({ bindAddress: '127.0.0.1:0' });
    const second = PrometheusExporter.create({ bindAddress: `127.0.0.1:${first.port}` });
    await assert.rejects(second.ready, /Could not listen on/);
    await first.close();
  });
});

describe('WorkflowMetricsSinkHandler', () => {
  const info = { workflowId: 'w', runId: 'r', workflowType: 'wf', namespace: 'default', taskQueue: 'orders' };
  const call = (fnName, args, isReplaying = false) => ({ ifaceName: '__temporal_metrics', fnName, args, isReplaying, workflowInfo: info });

  it('records workflow metric calls with the worker tags, skipping replayed ones and other sinks', () => {
    const buffer = new MetricsBuffer();
    const errors = [];
    const handler = new WorkflowMetricsSinkHandler(workflowMetricMeter(buffer, WHERE), (e) => errors.push(e));
    const handled = handler.handle([
      call('addMetricCounterValue', ['approvals', 'n', 'Approvals', 2, { workflowType: 'wf', channel: 'web' }]),
      call('recordMetricHistogramValue', ['basket', 'float', undefined, undefined, 1.5, { workflowType: 'wf' }]),
      call('setMetricGaugeValue', ['open', 'int', undefined, undefined, 7, { workflowType: 'wf' }], true),
      call('nope', []),
      { ...call('addMetricCounterValue', []), ifaceName: '__temporal_logger' },
    ]);
    assert.equal(handled, 4);
    assert.equal(errors.length, 1);
    assert.deepEqual(
      [...buffer.retrieveUpdates()].map((u) => [u.metric.name, u.metric.kind, u.value, u.attributes]),
      [
        ['approvals', 'counter', 2, { namespace: 'default', taskQueue: 'orders', workflowType: 'wf', channel: 'web' }],
        ['basket', 'histogram', 1.5, { namespace: 'default', taskQueue: 'orders', workflowType: 'wf' }],
      ],
    );
  });

  it('offers the same functions as official-shape injected sinks', () => {
    const buffer = new MetricsBuffer();
    const sinks = new WorkflowMetricsSinkHandler(buffer).asInjectedSinks();
    assert.equal(sinks.__temporal_metrics.addMetricCounterValue.callDuringReplay, false);
    sinks.__temporal_metrics.addMetricCounterValue.fn(info, 'c', undefined, undefined, 1, {});
    assert.equal([...buffer.retrieveUpdates()][0].metric.name, 'c');
  });
});
