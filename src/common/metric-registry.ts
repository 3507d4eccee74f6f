/**
 * {@link MetricRegistry}: a {@link MetricMeter} that aggregates in memory (counters sum, gauges keep
 * the last value, histograms count into buckets) and renders the Prometheus text exposition format
 * (version 0.0.4). The worker's Prometheus endpoint and the dev server's both serve one.
 *
 * Sandbox-safe (no I/O); the HTTP servers around it live in the worker and the server.
 *
 * @module
 */
import { bucketsFor } from './metric-buckets.js';
import {
  composeMetricTags,
  taggedInstrument,
  validateMetricName,
  type MetricCounter,
  type MetricDescription,
  type MetricGauge,
  type MetricHistogram,
  type MetricKind,
  type MetricMeter,
  type MetricTags,
  type NumericMetricValueType,
} from './metrics.js';

/** Options of {@link MetricRegistry}. */
export interface MetricRegistryOptions {
  /** Tags added to every series (tags recorded with a point win over them). @default {} */
  globalTags?: MetricTags;
  /** Histogram buckets are in seconds rather than milliseconds. @default false */
  useSecondsForDurations?: boolean;
  /** Bucket boundaries by metric name (a key matches any name containing it). @default {} */
  histogramBucketOverrides?: Record<string, number[]>;
  /** Counter names get a `_total` suffix. @default false */
  countersTotalSuffix?: boolean;
  /** Histogram names get `_<unit>` appended when they have a unit. @default false */
  unitSuffix?: boolean;
}

interface Series {
  readonly labels: ReadonlyArray<readonly [string, string]>;
  value: number;
  /** Histograms: per-bucket (non-cumulative) counts, one more than the boundaries (+Inf). */
  counts?: number[];
  sum?: number;
}

interface Family {
  readonly name: string;
  readonly kind: MetricKind;
  readonly help: string;
  readonly buckets: readonly number[];
  readonly series: Map<string, Series>;
}

/** One series of a family, as {@link MetricRegistry.snapshot} reports it. */
export interface SeriesSnapshot {
  readonly labels: Readonly<Record<string, string>>;
  /** Counter sum or gauge value; histogram count. */
  readonly value: number;
  /** Histograms: cumulative counts per upper bound (`+Inf` last) and the sum. */
  readonly buckets?: ReadonlyArray<readonly [number, number]>;
  readonly sum?: number;
}

/** One metric family, as {@link MetricRegistry.snapshot} reports it. */
export interface FamilySnapshot {
  readonly name: string;
  readonly kind: MetricKind;
  readonly help: string;
  readonly series: readonly SeriesSnapshot[];
}

/** Prometheus label names: letters, digits and `_`, not starting with a digit. */
function labelName(key: string): string {
  const name = key.replace(/[^A-Za-z0-9_]/g, '_');
  return /^[0-9]/.test(name) ? `_${name}` : name;
}

function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

function escapeHelp(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

function formatNumber(n: number): string {
  if (n === Number.POSITIVE_INFINITY) return '+Inf';
  return String(n);
}

function formatLabels(labels: ReadonlyArray<readonly [string, string]>, extra?: readonly [string, string]): string {
  const all = extra ? [...labels, extra] : labels;
  if (all.length === 0) return '';
  return `{${all.map(([k, v]) => `${k}="${escapeLabelValue(v)}"`).join(',')}}`;
}

/**
 * An aggregating, Prometheus-rendering meter.
 *
 * @example
 * ```ts
 * const registry = new MetricRegistry({ globalTags: { host: 'a' } });
 * registry.createCounter('jobs_done').add(2, { queue: 'q' });
 * registry.render(); // '# HELP jobs_done \n# TYPE jobs_done counter\njobs_done{host="a",queue="q"} 2\n'
 * ```
 */
export class MetricRegistry implements MetricMeter {
  private readonly families = new Map<string, Family>();
  private readonly collectors: Array<() => void> = [];
  private readonly options: Required<MetricRegistryOptions>;

  constructor(options: MetricRegistryOptions = {}) {
    this.options = {
      globalTags: { ...(options.globalTags ?? {}) },
      useSecondsForDurations: options.useSecondsForDurations ?? false,
      histogramBucketOverrides: { ...(options.histogramBucketOverrides ?? {}) },
      countersTotalSuffix: options.countersTotalSuffix ?? false,
      unitSuffix: options.unitSuffix ?? false,
    };
  }

  /** Whether histograms of durations should be recorded in seconds (read by the SDK's own meter). */
  get useSecondsForDurations(): boolean {
    return this.options.useSecondsForDurations;
  }

  createCounter(name: string, unit?: string, description?: string): MetricCounter {
    const exposed = this.options.countersTotalSuffix ? `${validateMetricName(name)}_total` : validateMetricName(name);
    const family = this.family(exposed, 'counter', description, []);
    const counter = this.instrument(family, { name, unit, description, kind: 'counter', valueType: 'int' }, (s, v) => (s.value += v));
    return counter as MetricCounter;
  }

  createHistogram(name: string, valueType: NumericMetricValueType = 'int', unit?: string, description?: string): MetricHistogram {
    validateMetricName(name);
    const exposed = this.options.unitSuffix && unit ? `${name}_${unit}` : name;
    const buckets = bucketsFor(name, this.options.useSecondsForDurations, this.options.histogramBucketOverrides);
    const family = this.family(exposed, 'histogram', description, buckets);
    const observe = (s: Series, v: number): void => {
      const counts = (s.counts ??= new Array<number>(family.buckets.length + 1).fill(0));
      let i = family.buckets.findIndex((bound) => v <= bound);
      if (i < 0) i = family.buckets.length;
      counts[i] = (counts[i] ?? 0) + 1;
      s.sum = (s.sum ?? 0) + v;
      s.value += 1;
    };
    return this.instrument(family, { name, unit, description, kind: 'histogram', valueType }, observe) as MetricHistogram;
  }

  createGauge(name: string, valueType: NumericMetricValueType = 'int', unit?: string, description?: string): MetricGauge {
    const family = this.family(validateMetricName(name), 'gauge', description, []);
    return this.instrument(family, { name, unit, description, kind: 'gauge', valueType }, (s, v) => (s.value = v)) as MetricGauge;
  }

  withTags(tags: MetricTags): MetricMeter {
    return composeMetricTags(this, tags);
  }

  /** Registers a function run before every {@link render} / {@link snapshot} (e.g. to set gauges from live state). */
  onCollect(collect: () => void): void {
    if (typeof collect !== 'function') throw new TypeError('onCollect needs a function');
    this.collectors.push(collect);
  }

  /** Every family with its series (labels sorted by name), after running the collectors. */
  snapshot(): FamilySnapshot[] {
    this.collect();
    return [...this.families.values()]
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      .map((f) => ({ name: f.name, kind: f.kind, help: f.help, series: [...f.series.values()].map((s) => seriesSnapshot(f, s)) }));
  }

  /** The Prometheus text exposition of every family that has at least one series. */
  render(): string {
    this.collect();
    const lines: string[] = [];
    const names = [...this.families.keys()].sort();
    for (const name of names) {
      const family = this.families.get(name) as Family;
      if (family.series.size === 0) continue;
      lines.push(`# HELP ${name} ${escapeHelp(family.help)}`, `# TYPE ${name} ${family.kind}`);
      for (const series of family.series.values()) lines.push(...renderSeries(family, series));
    }
    return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
  }

  private collect(): void {
    for (const collect of this.collectors) collect();
  }

  private family(name: string, kind: MetricKind, description: string | undefined, buckets: number[]): Family {
    const existing = this.families.get(name);
    if (existing !== undefined) {
      if (existing.kind !== kind) throw new TypeError(`Metric ${name} is already registered as a ${existing.kind}, not a ${kind}`);
      return existing;
    }
    const family: Family = { name, kind, help: description ?? '', buckets, series: new Map() };
    this.families.set(name, family);
    return family;
  }

  private instrument(family: Family, metric: MetricDescription, apply: (series: Series, value: number) => void): unknown {
    return taggedInstrument(metric, {}, (value, tags) => apply(this.series(family, { ...this.options.globalTags, ...tags }), value));
  }

  private series(family: Family, tags: MetricTags): Series {
    const labels = Object.entries(tags)
      .map(([k, v]) => [labelName(k), String(v)] as const)
      .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    const key = labels.map(([k, v]) => `${k}\u0000${v}`).join('\u0001');
    let series = family.series.get(key);
    if (series === undefined) {
      series = { labels, value: 0 };
      family.series.set(key, series);
    }
    return series;
  }
}

function cumulative(family: Family, series: Series): Array<readonly [number, number]> {
  const counts = series.counts ?? [];
  const bounds = [...family.buckets, Number.POSITIVE_INFINITY];
  let running = 0;
  return bounds.map((bound, i) => {
    running += counts[i] ?? 0;
    return [bound, running] as const;
  });
}

function seriesSnapshot(family: Family, series: Series): SeriesSnapshot {
  const labels = Object.fromEntries(series.labels);
  if (family.kind !== 'histogram') return { labels, value: series.value };
  return { labels, value: series.value, buckets: cumulative(family, series), sum: series.sum ?? 0 };
}

function renderSeries(family: Family, series: Series): string[] {
  const { name } = family;
  if (family.kind !== 'histogram') return [`${name}${formatLabels(series.labels)} ${formatNumber(series.value)}`];
  const lines = cumulative(family, series).map(
    ([bound, count]) => `${name}_bucket${formatLabels(series.labels, ['le', formatNumber(bound)])} ${count}`,
  );
  lines.push(`${name}_sum${formatLabels(series.labels)} ${formatNumber(series.sum ?? 0)}`);
  lines.push(`${name}_count${formatLabels(series.labels)} ${series.value}`);
  return lines;
}
