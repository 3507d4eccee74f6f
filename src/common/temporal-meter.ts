/**
 * {@link TemporalMeter}: how the SDK records its own metrics (worker and client) on a
 * {@link MetricMeter}, with the official Core SDK's conventions: names prefixed with `temporal_`
 * (configurable), and latency histograms in integer milliseconds — or float seconds when the back
 * end asks for seconds. Custom (user) metrics go to the meter directly, unprefixed.
 *
 * Sandbox-safe; not part of the public API.
 *
 * @module
 */
import { DEFAULT_METRIC_PREFIX } from './metric-buckets.js';
import { noopMetricMeter, type MetricCounter, type MetricGauge, type MetricHistogram, type MetricMeter, type MetricTags } from './metrics.js';

/** Options of {@link TemporalMeter}. */
export interface TemporalMeterOptions {
  /** Prefix of every SDK metric name. @default 'temporal_' */
  metricPrefix?: string;
  /**
   * Record latencies as float seconds instead of integer milliseconds.
   * @default the meter's own `useSecondsForDurations` property when it has one, else false
   */
  useSecondsForDurations?: boolean;
}

/** A latency histogram that takes milliseconds and records them in the configured unit. */
export interface DurationHistogram {
  readonly name: string;
  recordMs(ms: number, extraTags?: MetricTags): void;
  withTags(tags: MetricTags): DurationHistogram;
}

function durationHistogram(inner: MetricHistogram, useSeconds: boolean): DurationHistogram {
  return {
    name: inner.name,
    recordMs(ms, extraTags) {
      const clamped = Number.isFinite(ms) && ms > 0 ? ms : 0;
      inner.record(useSeconds ? clamped / 1000 : Math.floor(clamped), extraTags);
    },
    withTags: (tags) => durationHistogram(inner.withTags(tags), useSeconds),
  };
}

/**
 * The SDK's view of a meter.
 *
 * @example
 * ```ts
 * const sdk = new TemporalMeter(registry).withTags({ namespace: 'default', task_queue: 'q' });
 * sdk.counter('workflow_completed', 'Count of successfully completed workflows').add(1); // temporal_workflow_completed
 * sdk.durationHistogram('workflow_task_execution_latency', '...').recordMs(12.7); // records 12
 * ```
 */
export class TemporalMeter {
  readonly meter: MetricMeter;
  readonly prefix: string;
  readonly useSecondsForDurations: boolean;

  constructor(meter: MetricMeter, options: TemporalMeterOptions = {}) {
    if (typeof meter?.createCounter !== 'function') throw new TypeError('TemporalMeter needs a MetricMeter');
    const prefix = options.metricPrefix ?? DEFAULT_METRIC_PREFIX;
    if (typeof prefix !== 'string' || !/^[A-Za-z0-9_:]*$/.test(prefix)) {
      throw new TypeError(`metricPrefix must be letters, digits, '_' or ':', got ${JSON.stringify(prefix)}`);
    }
    this.meter = meter;
    this.prefix = prefix;
    this.useSecondsForDurations =
      options.useSecondsForDurations ?? (meter as { useSecondsForDurations?: unknown }).useSecondsForDurations === true;
  }

  /**
   * `value` itself, a meter wrapped with the default options, or a meter that records nothing.
   *
   * @example
   * ```ts
   * const sdk = TemporalMeter.from(options.metrics);
   * ```
   */
  static from(value: TemporalMeter | MetricMeter | undefined): TemporalMeter {
    if (value instanceof TemporalMeter) return value;
    return new TemporalMeter(value ?? noopMetricMeter);
  }

  /** Whether anything is recorded (false for the no-op meter). */
  get enabled(): boolean {
    return this.meter !== noopMetricMeter;
  }

  counter(name: string, description: string): MetricCounter {
    return this.meter.createCounter(this.prefix + name, '', description);
  }

  gauge(name: string, description: string): MetricGauge {
    return this.meter.createGauge(this.prefix + name, 'int', '', description);
  }

  durationHistogram(name: string, description: string): DurationHistogram {
    const seconds = this.useSecondsForDurations;
    const inner = this.meter.createHistogram(this.prefix + name, seconds ? 'float' : 'int', seconds ? 'seconds' : 'milliseconds', description);
    return durationHistogram(inner, seconds);
  }

  /** The same conventions on `meter.withTags(tags)`. */
  withTags(tags: MetricTags): TemporalMeter {
    return new TemporalMeter(this.meter.withTags(tags), { metricPrefix: this.prefix, useSecondsForDurations: this.useSecondsForDurations });
  }
}
