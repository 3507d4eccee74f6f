// The MetricMeter back ends: the Prometheus text exposition (counters, gauges, histograms with Core's
// buckets, names, labels, escaping), the in-memory buffer, tag composition, the SDK's own meter
// (temporal_ prefix, milliseconds or seconds) and the OpenTelemetry adapter over the OTel metrics SDK.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AggregationTemporality, InMemoryMetricExporter, MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { composeMetricTags, noopMetricMeter } from '../../../dist/common/index.js';
import { bucketsFor, defaultBucketsFor } from '../../../dist/common/metric-buckets.js';
import { MetricRegistry } from '../../../dist/common/metric-registry.js';
import { TemporalMeter } from '../../../dist/common/temporal-meter.js';
import { MetricsBuffer, OpenTelemetryMetricMeter } from '../../../dist/worker/metrics/index.js';

describe('Prometheus text exposition', () => {
  it('renders a counter with HELP, TYPE and sorted, escaped labels', () => {
    const registry = new MetricRegistry();
    const counter = registry.createCounter('jobs_done', '', 'Jobs done');
    counter.add(2, { queue: 'q "1"', b: 'x\\y\nz' });
    counter.add(3, { b: 'x\\y\nz', queue: 'q "1"' });
    assert.equal(
      registry.render(),
      ['# HELP jobs_done Jobs done', '# TYPE jobs_done counter', 'jobs_done{b="x\\\\y\\nz",queue="q \\"1\\""} 5', ''].join('\n'),
    );
  });

  it('keeps the last value of a gauge per label set', () => {
    const registry = new MetricRegistry();
    const gauge = registry.createGauge('slots', 'int', '', 'Slots');
    gauge.set(5, { worker_type: 'A' });
    gauge.set(3, { worker_type: 'A' });
    gauge.set(7, { worker_type: 'B' });
    assert.match(registry.render(), /# TYPE slots gauge\nslots\{worker_type="A"\} 3\nslots\{worker_type="B"\} 7\n/);
  });

  it('renders a histogram as cumulative buckets (Core boundaries), +Inf, _sum and _count', () => {
    const registry = new MetricRegistry();
    const histogram = registry.createHistogram('temporal_workflow_task_execution_latency', 'int', 'milliseconds', 'WFT latency');
    for (const v of [0, 1, 15, 15, 600, 5000]) histogram.record(v, { workflow_type: 'wf' });
    const text = registry.render();
    const bucket = (le, n) => `temporal_workflow_task_execution_latency_bucket{workflow_type="wf",le="${le}"} ${n}`;
    const expected = [
      '# HELP temporal_workflow_task_execution_latency WFT latency',
      '# TYPE temporal_workflow_task_execution_latency histogram',
      bucket('1', 2),
      bucket('10', 2),
      bucket('20', 4),
      bucket('50', 4),
      bucket('100', 4),
      bucket('200', 4),
      bucket('500', 4),
      bucket('1000', 5),
      bucket('+Inf', 6),
      'temporal_workflow_task_execution_latency_sum{workflow_type="wf"} 5631',
      'temporal_workflow_task_execution_latency_count{workflow_type="wf"} 6',
      '',
    ].join('\n');
    assert.equal(text, expected);
  });

  it('applies global tags, counter _total and unit suffixes, and bucket overrides', () => {
    const registry = new MetricRegistry({
      globalTags: { host: 'h1' },
      countersTotalSuffix: true,
      unitSuffix: true,
      histogramBucketOverrides: { request_latency: [5, 50] },
    });
    registry.createCounter('temporal_request').add(1, { operation: 'X' });
    registry.createHistogram('temporal_request_latency', 'int', 'milliseconds').record(7);
    const text = registry.render();
    assert.match(text, /^temporal_request_total\{host="h1",operation="X"\} 1$/m);
    assert.match(text, /^temporal_request_latency_milliseconds_bucket\{host="h1",le="5"\} 0$/m);
    assert.match(text, /^temporal_request_latency_milliseconds_bucket\{host="h1",le="50"\} 1$/m);
  });

  it('refuses a name reused for another kind, bad names and negative values', () => {
    const registry = new MetricRegistry();
    registry.createCounter('x');
    assert.throws(() => registry.createGauge('x'), /already registered as a counter/);
    assert.throws(() => registry.createCounter('bad-name'), /Metric name must match/);
    assert.throws(() => registry.createCounter('y').add(-1), /value must be a finite number ≥ 0/);
  });

  it('runs collectors before rendering and omits families without series', () => {
    const registry = new MetricRegistry();
    registry.createCounter('never_recorded');
    const backlog = registry.createGauge('backlog');
    let n = 0;
    registry.onCollect(() => backlog.set(++n));
    assert.match(registry.render(), /^backlog 1$/m);
    assert.match(registry.render(), /^backlog 2$/m);
    assert.doesNotMatch(registry.render(), /never_recorded/);
  });
});

describe('default histogram buckets', () => {
  it('match Core per metric, in ms or seconds, with a default set for others', () => {
    assert.deepEqual(defaultBucketsFor('workflow_endtoend_latency', false).slice(-2), [30_600_000, 86_400_000]);
    assert.deepEqual(defaultBucketsFor('temporal_activity_execution_latency', false), [50, 100, 500, 1000, 5000, 10_000, 60_000]);
    assert.deepEqual(defaultBucketsFor('temporal_activity_schedule_to_start_latency', true), [0.1, 0.5, 1, 5, 10, 100, 1000]);
    assert.deepEqual(defaultBucketsFor('temporal_request_latency', false), [50, 100, 500, 1000, 2500, 10_000]);
    assert.deepEqual(bucketsFor('temporal_request_latency', false, { request_latency: [1] }), [1]);
  });
});

describe('TemporalMeter (the SDK conventions)', () => {
  it('prefixes names and records integer milliseconds by default', () => {
    const buffer = new MetricsBuffer();
    const sdk = new TemporalMeter(buffer).withTags({ namespace: 'ns' });
    sdk.counter('workflow_completed', 'd').add(1);
    sdk.durationHistogram('workflow_task_execution_latency', 'd').recordMs(12.9, { workflow_type: 'w' });
    const [counter, histogram] = [...buffer.retrieveUpdates()];
    assert.equal(counter.metric.name, 'temporal_workflow_completed');
    assert.deepEqual(counter.attributes, { namespace: 'ns' });
    assert.equal(histogram.metric.name, 'temporal_workflow_task_execution_latency');
    assert.equal(histogram.metric.unit, 'milliseconds');
    assert.equal(histogram.metric.valueType, 'int');
    assert.equal(histogram.value, 12);
    assert.deepEqual(histogram.attributes, { namespace: 'ns', workflow_type: 'w' });
  });

  it('records float seconds when the back end asks for seconds, and honours a custom prefix', () => {
    const buffer = new MetricsBuffer({ useSecondsForDurations: true });
    const sdk = new TemporalMeter(buffer, { metricPrefix: 'my_' });
    sdk.durationHistogram('request_latency', 'd').recordMs(1500);
    const [update] = [...buffer.retrieveUpdates()];
    assert.equal(update.metric.name, 'my_request_latency');
    assert.equal(update.metric.unit, 'seconds');
    assert.equal(update.value, 1.5);
  });

  it('is disabled on the no-op meter', () => {
    assert.equal(TemporalMeter.from(undefined).enabled, false);
    assert.equal(TemporalMeter.from(noopMetricMeter).enabled, false);
    assert.equal(TemporalMeter.from(new MetricsBuffer()).enabled, true);
  });
});

describe('MetricsBuffer and tag composition', () => {
  it('buffers points until retrieved, with composed tags (later ones win)', () => {
    const buffer = new MetricsBuffer();
    let dynamic = 'a';
    const meter = composeMetricTags(buffer, () => ({ activityType: dynamic, shared: 'base' })).withTags({ shared: 'override' });
    const counter = meter.createCounter('orders');
    counter.add(1, { channel: 'web' });
    dynamic = 'b';
    counter.withTags({ extra: true }).add(2);
    const updates = [...buffer.retrieveUpdates()];
    assert.deepEqual(
      updates.map((u) => [u.metric.name, u.metric.kind, u.value, u.attributes]),
      [
        ['orders', 'counter', 1, { activityType: 'a', shared: 'override', channel: 'web' }],
        ['orders', 'counter', 2, { activityType: 'b', shared: 'override', extra: true }],
      ],
    );
    assert.equal(updates[0].metric, updates[1].metric, 'one Metric object per instrument');
    assert.deepEqual([...buffer.retrieveUpdates()], []);
  });

  it('drops points beyond maxBufferSize and counts them', () => {
    const buffer = new MetricsBuffer({ maxBufferSize: 2 });
    const gauge = buffer.createGauge('g');
    for (const v of [1, 2, 3]) gauge.set(v);
    assert.deepEqual([...buffer.retrieveUpdates()].map((u) => u.value), [1, 2]);
    assert.equal(buffer.dropped, 1);
  });

  it('the no-op meter accepts everything and records nothing', () => {
    const counter = noopMetricMeter.withTags({ a: 1 }).createCounter('x');
    counter.add(1);
    assert.equal(counter.kind, 'counter');
    assert.equal(noopMetricMeter.createHistogram('h', 'float').valueType, 'float');
  });
});

describe('OpenTelemetryMetricMeter', () => {
  it('records counters, histograms (with Core bucket advice) and gauges through an OTel meter', async () => {
    const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
    const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 60_000 });
    const provider = new MeterProvider({ readers: [reader] });
    const meter = new OpenTelemetryMetricMeter({ meterProvider: provider }).withTags({ service_name: 'temporal-core-sdk' });
    meter.createCounter('temporal_request', '', 'requests').add(2, { operation: 'StartWorkflowExecution' });
    meter.createHistogram('temporal_request_latency', 'int', 'milliseconds').record(70);
    meter.createGauge('temporal_sticky_cache_size').set(4);
    await reader.forceFlush();
    const metrics = exporter.getMetrics().flatMap((r) => r.scopeMetrics.flatMap((s) => s.metrics));
    const byName = Object.fromEntries(metrics.map((m) => [m.descriptor.name, m]));
    const counterPoint = byName.temporal_request.dataPoints[0];
    assert.equal(counterPoint.value, 2);
    assert.deepEqual(counterPoint.attributes, { service_name: 'temporal-core-sdk', operation: 'StartWorkflowExecution' });
    const histogramPoint = byName.temporal_request_latency.dataPoints[0];
    assert.deepEqual(histogramPoint.value.buckets.boundaries, [50, 100, 500, 1000, 2500, 10_000]);
    assert.equal(histogramPoint.value.sum, 70);
    assert.equal(byName.temporal_sticky_cache_size.dataPoints[0].value, 4);
    await provider.shutdown();
  });
});
