/**
 * Metrics: the {@link MetricMeter} interface that workflow code, activities, the worker and the
 * client record through, a meter that records nothing ({@link noopMetricMeter}), and
 * {@link composeMetricTags}, which adds tags to everything a meter records. Names and shapes match
 * `@temporalio/common`, so code written against the official `MetricMeter` works unchanged.
 *
 * Sandbox-safe: no Node APIs, no I/O. Back ends (Prometheus, OpenTelemetry, an in-memory buffer) live
 * in `duraflow/worker`.
 *
 * @module
 */

/** Tags (Prometheus labels, OpenTelemetry attributes) of a metric point. */
export type MetricTags = Record<string, string | number | boolean>;

/** Whether a histogram or gauge records integers or floating-point numbers. */
export type NumericMetricValueType = 'int' | 'float';

/** The instrument kinds a {@link MetricMeter} creates. */
export type MetricKind = 'counter' | 'histogram' | 'gauge';

/** What every instrument reports about itself. */
export interface Metric {
  readonly name: string;
  readonly unit?: string;
  readonly description?: string;
  readonly kind: MetricKind;
  readonly valueType: NumericMetricValueType;
}

/** A monotonically increasing count. */
export interface MetricCounter extends Metric {
  readonly kind: 'counter';
  readonly valueType: 'int';
  /** Adds `value` (≥ 0) with the instrument's tags plus `extraTags`. */
  add(value: number, extraTags?: MetricTags): void;
  /** The same counter, recording with `tags` added. */
  withTags(tags: MetricTags): MetricCounter;
}

/** A distribution of values (latencies, sizes). */
export interface MetricHistogram extends Metric {
  readonly kind: 'histogram';
  /** Records `value` (≥ 0). */
  record(value: number, extraTags?: MetricTags): void;
  withTags(tags: MetricTags): MetricHistogram;
}

/** A value that is set, not accumulated (cache size, slots in use). */
export interface MetricGauge extends Metric {
  readonly kind: 'gauge';
  /** Sets the current value (≥ 0). */
  set(value: number, extraTags?: MetricTags): void;
  withTags(tags: MetricTags): MetricGauge;
}

/**
 * Creates instruments. Every instrument records the meter's tags (see {@link MetricMeter.withTags})
 * plus the tags given at the call.
 *
 * @example
 * ```ts
 * const orders = meter.withTags({ region: 'eu' }).createCounter('orders_placed', 'orders', 'Orders placed');
 * orders.add(1, { channel: 'web' });
 * meter.createHistogram('basket_size', 'int').record(3);
 * meter.createGauge('open_carts').set(12);
 * ```
 */
export interface MetricMeter {
  createCounter(name: string, unit?: string, description?: string): MetricCounter;
  /** @param valueType default `'int'` */
  createHistogram(name: string, valueType?: NumericMetricValueType, unit?: string, description?: string): MetricHistogram;
  /** @param valueType default `'int'` */
  createGauge(name: string, valueType?: NumericMetricValueType, unit?: string, description?: string): MetricGauge;
  /** A meter whose instruments add `tags` to every point. */
  withTags(tags: MetricTags): MetricMeter;
}

/**
 * Checks a metric name: non-empty, letters, digits, `_` and `:` (what Prometheus and OpenTelemetry
 * both accept), not starting with a digit.
 *
 * @throws TypeError naming the bad value
 * @example
 * ```ts
 * validateMetricName('orders_placed'); // ok
 * ```
 */
export function validateMetricName(name: unknown): string {
  if (typeof name !== 'string' || !/^[A-Za-z_:][A-Za-z0-9_:]*$/.test(name)) {
    throw new TypeError(`Metric name must match [A-Za-z_:][A-Za-z0-9_:]*, got ${JSON.stringify(name)}`);
  }
  return name;
}

/**
 * Checks a value recorded on an instrument: a finite number ≥ 0.
 *
 * @throws TypeError naming the metric
 * @example
 * ```ts
 * validateMetricValue('orders_placed', 1);
 * ```
 */
export function validateMetricValue(metric: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new TypeError(`Metric ${metric}: value must be a finite number ≥ 0, got ${String(value)}`);
  }
  return value;
}

/** What describes an instrument (the fields every {@link MetricCounter} / histogram / gauge has). */
export interface MetricDescription {
  name: string;
  unit?: string;
  description?: string;
  kind: MetricKind;
  valueType: NumericMetricValueType;
}

/**
 * An instrument for a meter implementation: each point's value is validated, `tags` (and those of
 * `withTags`, and those given at the call, later ones winning) are merged, and both go to `write`.
 *
 * @example
 * ```ts
 * const counter = taggedInstrument({ name: 'orders', kind: 'counter', valueType: 'int' }, {}, (v, tags) => sink.push([v, tags])) as MetricCounter;
 * ```
 */
export function taggedInstrument(metric: MetricDescription, tags: MetricTags, write: (value: number, tags: MetricTags) => void): unknown {
  const emit = (value: number, extra?: MetricTags): void => write(validateMetricValue(metric.name, value), { ...tags, ...extra });
  return { ...metric, add: emit, record: emit, set: emit, withTags: (more: MetricTags) => taggedInstrument(metric, { ...tags, ...more }, write) };
}

function noopInstrument<K extends MetricKind>(kind: K, name: string, valueType: NumericMetricValueType, unit?: string, description?: string) {
  const instrument = {
    name,
    unit,
    description,
    kind,
    valueType,
    add: () => undefined,
    record: () => undefined,
    set: () => undefined,
    withTags: () => instrument,
  };
  return instrument;
}

/**
 * A meter whose instruments record nothing (what workers and clients use when no metrics are
 * configured).
 *
 * @example
 * ```ts
 * const meter: MetricMeter = options.meter ?? noopMetricMeter;
 * ```
 */
export const noopMetricMeter: MetricMeter = Object.freeze({
  createCounter: (name: string, unit?: string, description?: string): MetricCounter =>
    noopInstrument('counter', name, 'int', unit, description) as MetricCounter,
  createHistogram: (name: string, valueType: NumericMetricValueType = 'int', unit?: string, description?: string): MetricHistogram =>
    noopInstrument('histogram', name, valueType, unit, description) as MetricHistogram,
  createGauge: (name: string, valueType: NumericMetricValueType = 'int', unit?: string, description?: string): MetricGauge =>
    noopInstrument('gauge', name, valueType, unit, description) as MetricGauge,
  withTags: (): MetricMeter => noopMetricMeter,
});

/** Tags, or a function computing them at each recording (e.g. from the current context). */
export type MetricTagsOrFunction = MetricTags | (() => MetricTags);

function resolveTags(sources: readonly MetricTagsOrFunction[], extra?: MetricTags): MetricTags {
  const tags: MetricTags = {};
  for (const source of sources) Object.assign(tags, typeof source === 'function' ? source() : source);
  return extra === undefined ? tags : Object.assign(tags, extra);
}

/**
 * A meter that adds `tags` (resolved at every recording when given as a function) to each point it
 * records through `meter`. Tags given later (by `withTags` or at the call) win.
 *
 * @example
 * ```ts
 * const perActivity = composeMetricTags(workerMeter, () => ({ activityType: Context.current().info.activityType }));
 * ```
 */
export function composeMetricTags(meter: MetricMeter, tags: MetricTagsOrFunction): MetricMeter {
  if (typeof tags !== 'function' && (typeof tags !== 'object' || tags === null)) {
    throw new TypeError('composeMetricTags: tags must be an object or a function returning one');
  }
  return new ComposedTagsMeter(meter, [tags]);
}

class ComposedTagsMeter implements MetricMeter {
  constructor(
    private readonly parent: MetricMeter,
    private readonly sources: readonly MetricTagsOrFunction[],
  ) {}

  createCounter(name: string, unit?: string, description?: string): MetricCounter {
    const inner = this.parent.createCounter(name, unit, description);
    return composedInstrument(inner, this.sources, (i, v, t) => i.add(v, t));
  }

  createHistogram(name: string, valueType: NumericMetricValueType = 'int', unit?: string, description?: string): MetricHistogram {
    const inner = this.parent.createHistogram(name, valueType, unit, description);
    return composedInstrument(inner, this.sources, (i, v, t) => i.record(v, t));
  }

  createGauge(name: string, valueType: NumericMetricValueType = 'int', unit?: string, description?: string): MetricGauge {
    const inner = this.parent.createGauge(name, valueType, unit, description);
    return composedInstrument(inner, this.sources, (i, v, t) => i.set(v, t));
  }

  withTags(tags: MetricTags): MetricMeter {
    return new ComposedTagsMeter(this.parent, [...this.sources, tags]);
  }
}

type Instrument = MetricCounter | MetricHistogram | MetricGauge;

function composedInstrument<I extends Instrument>(
  inner: I,
  sources: readonly MetricTagsOrFunction[],
  write: (inner: I, value: number, tags: MetricTags) => void,
): I {
  const emit = (value: number, extra?: MetricTags): void => write(inner, value, resolveTags(sources, extra));
  const instrument = {
    name: inner.name,
    unit: inner.unit,
    description: inner.description,
    kind: inner.kind,
    valueType: inner.valueType,
    add: emit,
    record: emit,
    set: emit,
    withTags: (tags: MetricTags) => composedInstrument(inner, [...sources, tags], write),
  };
  return instrument as unknown as I;
}
