/**
 * {@link OpenTelemetryMetricMeter}: records through an OpenTelemetry `Meter` (`@opentelemetry/api`
 * 1.9 or later), so metrics reach whatever readers and exporters your OpenTelemetry SDK has (OTLP,
 * Prometheus, ...). `@opentelemetry/api` is an optional peer dependency: it is loaded only when no
 * meter or meter provider is given, to find the global one.
 *
 * Histograms carry the official bucket boundaries as advice (the SDK's views may override them).
 *
 * @module
 */
import { createRequire } from 'node:module';
import { bucketsFor } from '../../common/metric-buckets.js';
import {
  composeMetricTags,
  taggedInstrument,
  validateMetricName,
  type MetricCounter,
  type MetricGauge,
  type MetricHistogram,
  type MetricMeter,
  type MetricTags,
  type NumericMetricValueType,
} from '../../common/metrics.js';

/** The parts of an OpenTelemetry `Meter` used here (structural, so `@opentelemetry/api` types are not required). */
export interface OtelMeterLike {
  createCounter(name: string, options?: OtelInstrumentOptions): { add(value: number, attributes?: MetricTags): void };
  createHistogram(name: string, options?: OtelInstrumentOptions): { record(value: number, attributes?: MetricTags): void };
  createGauge?(name: string, options?: OtelInstrumentOptions): { record(value: number, attributes?: MetricTags): void };
}

/** OpenTelemetry `MetricOptions` as passed here. */
export interface OtelInstrumentOptions {
  description?: string;
  unit?: string;
  /** `ValueType.INT` (0) or `ValueType.DOUBLE` (1). */
  valueType?: number;
  advice?: { explicitBucketBoundaries?: number[] };
}

/** An OpenTelemetry `MeterProvider` (structural). */
export interface OtelMeterProviderLike {
  getMeter(name: string, version?: string): OtelMeterLike;
}

/** Options of the OpenTelemetry metrics back end (`metrics: { otel: {...} }`). */
export interface OpenTelemetryMetricsOptions {
  /** The meter to record through. @default `meterProvider.getMeter(meterName)` */
  meter?: OtelMeterLike;
  /** Where to get the meter. @default the global provider of `@opentelemetry/api` */
  meterProvider?: OtelMeterProviderLike;
  /** @default 'temporal-core-sdk' */
  meterName?: string;
  /** SDK latency histograms record float seconds instead of integer milliseconds. @default false */
  useSecondsForDurations?: boolean;
  /** Bucket boundaries (given as advice) by metric name. @default {} */
  histogramBucketOverrides?: Record<string, number[]>;
}

const VALUE_TYPE = { int: 0, float: 1 } as const;

/**
 * Loads an optional peer dependency from the application's point of view, with an error that says
 * what to install.
 *
 * @example
 * ```ts
 * const api = loadOptionalPeer<typeof import('@opentelemetry/api')>('@opentelemetry/api', 'metrics: { otel }');
 * ```
 */
export function loadOptionalPeer<T>(name: string, feature: string): T {
  const require = createRequire(import.meta.url);
  try {
    return require(name) as T;
  } catch (error) {
    throw new Error(`${feature} needs the optional peer dependency ${name}: npm install ${name}`, { cause: error });
  }
}

function resolveMeter(options: OpenTelemetryMetricsOptions): OtelMeterLike {
  if (options.meter !== undefined) {
    if (typeof options.meter.createCounter !== 'function') throw new TypeError('otel.meter must be an OpenTelemetry Meter');
    return options.meter;
  }
  const name = options.meterName ?? 'temporal-core-sdk';
  if (options.meterProvider !== undefined) return options.meterProvider.getMeter(name);
  const api = loadOptionalPeer<{ metrics: OtelMeterProviderLike }>('@opentelemetry/api', 'metrics: { otel }');
  return api.metrics.getMeter(name);
}

/**
 * A {@link MetricMeter} over an OpenTelemetry meter.
 *
 * @example
 * ```ts
 * import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
 * const meterProvider = new MeterProvider({ readers: [new PeriodicExportingMetricReader({ exporter })] });
 * Runtime.install({ telemetryOptions: { metrics: { otel: { meterProvider } } } });
 * ```
 */
export class OpenTelemetryMetricMeter implements MetricMeter {
  readonly useSecondsForDurations: boolean;
  private readonly meter: OtelMeterLike;
  private readonly overrides: Record<string, number[]>;
  private readonly instruments = new Map<string, unknown>();

  constructor(options: OpenTelemetryMetricsOptions = {}) {
    this.meter = resolveMeter(options);
    this.useSecondsForDurations = options.useSecondsForDurations ?? false;
    this.overrides = { ...(options.histogramBucketOverrides ?? {}) };
  }

  createCounter(name: string, unit?: string, description?: string): MetricCounter {
    const otel = this.cached(`counter:${name}`, () => this.meter.createCounter(validateMetricName(name), { unit, description, valueType: VALUE_TYPE.int }));
    return taggedInstrument({ name, unit, description, kind: 'counter', valueType: 'int' }, {}, (v, t) => otel.add(v, t)) as MetricCounter;
  }

  createHistogram(name: string, valueType: NumericMetricValueType = 'int', unit?: string, description?: string): MetricHistogram {
    const explicitBucketBoundaries = bucketsFor(name, this.useSecondsForDurations, this.overrides);
    const otel = this.cached(`histogram:${valueType}:${name}`, () =>
      this.meter.createHistogram(validateMetricName(name), { unit, description, valueType: VALUE_TYPE[valueType], advice: { explicitBucketBoundaries } }),
    );
    return taggedInstrument({ name, unit, description, kind: 'histogram', valueType }, {}, (v, t) => otel.record(v, t)) as MetricHistogram;
  }

  createGauge(name: string, valueType: NumericMetricValueType = 'int', unit?: string, description?: string): MetricGauge {
    const createGauge = this.meter.createGauge;
    if (typeof createGauge !== 'function') throw new Error('The OpenTelemetry meter has no createGauge: use @opentelemetry/api 1.9 or later');
    const otel = this.cached(`gauge:${valueType}:${name}`, () =>
      createGauge.call(this.meter, validateMetricName(name), { unit, description, valueType: VALUE_TYPE[valueType] }),
    );
    return taggedInstrument({ name, unit, description, kind: 'gauge', valueType }, {}, (v, t) => otel.record(v, t)) as MetricGauge;
  }

  withTags(tags: MetricTags): MetricMeter {
    return composeMetricTags(this, tags);
  }

  private cached<T>(key: string, create: () => T): T {
    let instrument = this.instruments.get(key) as T | undefined;
    if (instrument === undefined) {
      instrument = create();
      this.instruments.set(key, instrument);
    }
    return instrument;
  }
}
