/**
 * Worker telemetry: the {@link Runtime} that holds the process's metrics back end (Prometheus
 * endpoint, OpenTelemetry meter, or in-memory buffer), the worker's metrics recorder, and the
 * worker's end of the workflow `metricMeter`.
 *
 * @example
 * ```ts
 * import { MetricsBuffer, Runtime } from 'duraflow/worker';
 * Runtime.install({ telemetryOptions: { metrics: { prometheus: { bindAddress: '127.0.0.1:9464' } } } });
 * ```
 * @module
 */
export { Runtime, type RuntimeOptions } from './runtime.js';
export {
  compileTelemetryOptions,
  TELEMETRY_SERVICE_NAME,
  type CompiledTelemetry,
  type MetricsExporterConfig,
  type TelemetryOptions,
} from './telemetry-options.js';
export { MetricsBuffer, type BufferedMetricUpdate, type MetricsBufferOptions } from './metrics-buffer.js';
export { PrometheusExporter, PROMETHEUS_CONTENT_TYPE, type PrometheusOptions } from './prometheus-exporter.js';
export {
  OpenTelemetryMetricMeter,
  type OpenTelemetryMetricsOptions,
  type OtelInstrumentOptions,
  type OtelMeterLike,
  type OtelMeterProviderLike,
} from './otel-meter.js';
export {
  countsAsFailure,
  elapsedSince,
  WorkerMetrics,
  type ActivityMetricTags,
  type LocalActivityOutcome,
  type PollerType,
  type WorkerType,
  type WorkflowOutcome,
  type WorkflowTaskFailureReason,
} from './worker-metrics.js';
export { WORKFLOW_METRICS_SINK, WorkflowMetricsSinkHandler, workflowMetricMeter, type InjectedMetricSinkFunction } from './workflow-metrics-sink.js';
export { MetricRegistry, type FamilySnapshot, type MetricRegistryOptions, type SeriesSnapshot } from '../../common/metric-registry.js';
export { TemporalMeter, type DurationHistogram, type TemporalMeterOptions } from '../../common/temporal-meter.js';
export {
  composeMetricTags,
  noopMetricMeter,
  type Metric,
  type MetricCounter,
  type MetricGauge,
  type MetricHistogram,
  type MetricKind,
  type MetricMeter,
  type MetricTags,
  type NumericMetricValueType,
} from '../../common/metrics.js';
