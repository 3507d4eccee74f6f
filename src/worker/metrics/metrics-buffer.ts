/**
 * {@link MetricsBuffer}: the in-memory metrics back end. Every recorded point is kept as an update
 * event until read with {@link MetricsBuffer.retrieveUpdates}; meant for tests and for forwarding
 * metrics to a system of your own. Same shape as the official SDK's buffered metrics.
 *
 * @module
 */
import {
  composeMetricTags,
  validateMetricName,
  taggedInstrument,
  type Metric,
  type MetricCounter,
  type MetricGauge,
  type MetricHistogram,
  type MetricKind,
  type MetricMeter,
  type MetricTags,
  type NumericMetricValueType,
} from '../../common/metrics.js';

/** Options of {@link MetricsBuffer}. */
export interface MetricsBufferOptions {
  /** Updates kept before new ones are dropped (read them regularly). @default 10000 */
  maxBufferSize?: number;
  /** SDK latency histograms record float seconds instead of integer milliseconds. @default false */
  useSecondsForDurations?: boolean;
}

/** One recorded point. */
export interface BufferedMetricUpdate {
  /** The instrument (the same object for every update of one instrument). */
  metric: Metric;
  /** For counters the increment; for histograms and gauges the value itself. */
  value: number;
  attributes: MetricTags;
}

/**
 * A meter that buffers every point it records.
 *
 * @example
 * ```ts
 * import { MetricsBuffer, Runtime } from 'duraflow/worker';
 * const buffer = new MetricsBuffer();
 * Runtime.install({ telemetryOptions: { metrics: { buffer } } });
 * // ... run a worker ...
 * for (const { metric, value, attributes } of buffer.retrieveUpdates()) console.log(metric.name, value, attributes);
 * ```
 */
export class MetricsBuffer implements MetricMeter {
  readonly maxBufferSize: number;
  readonly useSecondsForDurations: boolean;
  private updates: BufferedMetricUpdate[] = [];
  private droppedCount = 0;
  private readonly metrics = new Map<string, Metric>();

  constructor(options: MetricsBufferOptions = {}) {
    const max = options.maxBufferSize ?? 10_000;
    if (!Number.isInteger(max) || max < 1) throw new TypeError(`MetricsBuffer maxBufferSize must be a positive integer, got ${String(max)}`);
    this.maxBufferSize = max;
    this.useSecondsForDurations = options.useSecondsForDurations ?? false;
  }

  /** Updates dropped because the buffer was full. */
  get dropped(): number {
    return this.droppedCount;
  }

  /**
   * Takes every update recorded since the previous call, oldest first.
   *
   * @example
   * ```ts
   * const completed = [...buffer.retrieveUpdates()].filter((u) => u.metric.name === 'temporal_workflow_completed');
   * ```
   */
  retrieveUpdates(): IterableIterator<BufferedMetricUpdate> {
    const updates = this.updates;
    this.updates = [];
    return updates.values();
  }

  createCounter(name: string, unit?: string, description?: string): MetricCounter {
    return this.instrument(this.metric(name, 'counter', 'int', unit, description), {}) as MetricCounter;
  }

  createHistogram(name: string, valueType: NumericMetricValueType = 'int', unit?: string, description?: string): MetricHistogram {
    return this.instrument(this.metric(name, 'histogram', valueType, unit, description), {}) as MetricHistogram;
  }

  createGauge(name: string, valueType: NumericMetricValueType = 'int', unit?: string, description?: string): MetricGauge {
    return this.instrument(this.metric(name, 'gauge', valueType, unit, description), {}) as MetricGauge;
  }

  withTags(tags: MetricTags): MetricMeter {
    return composeMetricTags(this, tags);
  }

  private metric(name: string, kind: MetricKind, valueType: NumericMetricValueType, unit?: string, description?: string): Metric {
    validateMetricName(name);
    const key = `${kind}:${valueType}:${name}`;
    let metric = this.metrics.get(key);
    if (metric === undefined) {
      metric = Object.freeze({ name, kind, valueType, unit, description });
      this.metrics.set(key, metric);
    }
    return metric;
  }

  private instrument(metric: Metric, tags: MetricTags): unknown {
    return taggedInstrument(metric, tags, (value, attributes) => {
      if (this.updates.length >= this.maxBufferSize) {
        this.droppedCount++;
        return;
      }
      this.updates.push({ metric, value, attributes });
    });
  }
}
