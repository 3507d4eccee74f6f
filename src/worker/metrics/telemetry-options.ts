/**
 * Telemetry options of the {@link Runtime}: {@link TelemetryOptions} → {@link compileTelemetryOptions}
 * → {@link CompiledTelemetry}. Names follow the official `Runtime.install({ telemetryOptions })`.
 *
 * @module
 */
import { MetricRegistry } from '../../common/metric-registry.js';
import { composeMetricTags, noopMetricMeter, type MetricMeter } from '../../common/metrics.js';
import { TemporalMeter } from '../../common/temporal-meter.js';
import { MetricsBuffer } from './metrics-buffer.js';
import { OpenTelemetryMetricMeter, type OpenTelemetryMetricsOptions } from './otel-meter.js';
import { PrometheusExporter, type PrometheusOptions } from './prometheus-exporter.js';

/** The `service_name` tag value Core attaches to every metric. */
export const TELEMETRY_SERVICE_NAME = 'temporal-core-sdk';

/** Where metrics go: exactly one of `prometheus`, `otel`, `buffer` or `meter`, plus common settings. */
export interface MetricsExporterConfig {
  /** Serve Prometheus text at `http://<bindAddress>/metrics`. */
  prometheus?: PrometheusOptions;
  /**
   * Record through an OpenTelemetry meter (your OpenTelemetry SDK exports it). Unlike the official
   * SDK, duraflow does not push OTLP itself: give a `meterProvider` whose readers export.
   */
  otel?: OpenTelemetryMetricsOptions;
  /** Keep every point in memory, to read back with `buffer.retrieveUpdates()`. */
  buffer?: MetricsBuffer;
  /** Any other {@link MetricMeter} implementation. */
  meter?: MetricMeter;
  /** Prefix of the SDK's own metric names (not of custom metrics). @default 'temporal_' */
  metricPrefix?: string;
  /** Tags added to every metric (Prometheus: every series). @default {} */
  globalTags?: Record<string, string>;
  /** Add `service_name="temporal-core-sdk"` to every metric. @default true */
  attachServiceName?: boolean;
}

/** @see {@link RuntimeOptions.telemetryOptions} */
export interface TelemetryOptions {
  /** Metrics of workers, clients and custom metrics. @default none (nothing recorded) */
  metrics?: MetricsExporterConfig;
}

/** What {@link compileTelemetryOptions} builds. */
export interface CompiledTelemetry {
  /** The meter for custom metrics (unprefixed, with `service_name` and global tags). */
  readonly metricMeter: MetricMeter;
  /** The meter the SDK records its own metrics on (prefixed). */
  readonly temporalMeter: TemporalMeter;
  /** The Prometheus endpoint, when configured. */
  readonly prometheus?: PrometheusExporter;
  /** Resolves once every exporter is ready (the Prometheus endpoint listens). */
  readonly ready: Promise<void>;
}

const BACK_ENDS = ['prometheus', 'otel', 'buffer', 'meter'] as const;

function backEnd(metrics: MetricsExporterConfig): { meter: MetricMeter; prometheus?: PrometheusExporter; globalTagsApplied: boolean } {
  const chosen = BACK_ENDS.filter((k) => metrics[k] !== undefined);
  if (chosen.length !== 1) {
    throw new TypeError(`telemetryOptions.metrics needs exactly one of ${BACK_ENDS.join(', ')}; got ${chosen.length === 0 ? 'none' : chosen.join(' and ')}`);
  }
  if (metrics.prometheus !== undefined) {
    const registry = new MetricRegistry({ ...metrics.prometheus, globalTags: metrics.globalTags });
    const prometheus = PrometheusExporter.create(metrics.prometheus, registry);
    return { meter: registry, prometheus, globalTagsApplied: true };
  }
  if (metrics.otel !== undefined) return { meter: new OpenTelemetryMetricMeter(metrics.otel), globalTagsApplied: false };
  if (metrics.buffer !== undefined) {
    if (!(metrics.buffer instanceof MetricsBuffer)) throw new TypeError('telemetryOptions.metrics.buffer must be a MetricsBuffer');
    return { meter: metrics.buffer, globalTagsApplied: false };
  }
  const meter = metrics.meter as MetricMeter;
  if (typeof meter?.createCounter !== 'function' || typeof meter.withTags !== 'function') {
    throw new TypeError('telemetryOptions.metrics.meter must implement MetricMeter');
  }
  return { meter, globalTagsApplied: false };
}

/**
 * Validates the options and creates the back end (starting the Prometheus endpoint, if any).
 *
 * @throws TypeError naming the bad option
 * @example
 * ```ts
 * const telemetry = compileTelemetryOptions({ metrics: { prometheus: { bindAddress: '127.0.0.1:9464' } } });
 * await telemetry.ready;
 * ```
 */
export function compileTelemetryOptions(options: TelemetryOptions = {}): CompiledTelemetry {
  const metrics = options.metrics;
  if (metrics === undefined) {
    return { metricMeter: noopMetricMeter, temporalMeter: new TemporalMeter(noopMetricMeter), ready: Promise.resolve() };
  }
  if (typeof metrics !== 'object' || metrics === null) throw new TypeError('telemetryOptions.metrics must be an object');
  const { meter, prometheus, globalTagsApplied } = backEnd(metrics);
  const useSecondsForDurations = (meter as { useSecondsForDurations?: boolean }).useSecondsForDurations === true;
  const tags: Record<string, string> = {};
  if (!globalTagsApplied) Object.assign(tags, metrics.globalTags ?? {});
  if (metrics.attachServiceName ?? true) tags['service_name'] = TELEMETRY_SERVICE_NAME;
  const metricMeter = Object.keys(tags).length > 0 ? composeMetricTags(meter, tags) : meter;
  const temporalMeter = new TemporalMeter(metricMeter, { metricPrefix: metrics.metricPrefix, useSecondsForDurations });
  return { metricMeter, temporalMeter, prometheus, ready: prometheus?.ready ?? Promise.resolve() };
}
