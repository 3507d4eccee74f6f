/**
 * The worker's end of the workflow `metricMeter`: turns `__temporal_metrics` sink calls recorded in
 * the sandbox into points on the worker's meter (tagged `namespace` and `taskQueue`). Calls recorded
 * while replaying are dropped.
 *
 * @module
 */
import type { Metric, MetricCounter, MetricGauge, MetricHistogram, MetricMeter, MetricTags, NumericMetricValueType } from '../../common/metrics.js';
import type { SinkCall } from '../../workflow/runtime/protocol.js';

/** The sink name workflow code records metrics under. */
export const WORKFLOW_METRICS_SINK = '__temporal_metrics';

/** Workflow info handed to injected sink functions. */
export type SinkWorkflowInfo = SinkCall['workflowInfo'];

/** An injected sink function in the official shape (`{ fn, callDuringReplay }`). */
export interface InjectedMetricSinkFunction {
  fn(info: SinkWorkflowInfo, ...args: never[]): void;
  callDuringReplay: boolean;
}

/** The meter workflow metrics go to: the runtime's custom meter with the worker's tags. */
export function workflowMetricMeter(meter: MetricMeter, where: { namespace: string; taskQueue: string }): MetricMeter {
  return meter.withTags({ namespace: where.namespace, taskQueue: where.taskQueue });
}

type Handler = (meter: InstrumentCache, args: unknown[]) => void;

class InstrumentCache {
  private readonly instruments = new Map<string, Metric>();

  constructor(readonly meter: MetricMeter) {}

  get<T extends Metric>(key: string, create: () => T): T {
    let instrument = this.instruments.get(key) as T | undefined;
    if (instrument === undefined) {
      instrument = create();
      this.instruments.set(key, instrument);
    }
    return instrument;
  }
}

const HANDLERS: Record<string, Handler> = {
  addMetricCounterValue(cache, [name, unit, description, value, attrs]) {
    const counter = cache.get<MetricCounter>(`counter:${String(name)}`, () =>
      cache.meter.createCounter(String(name), unit as string | undefined, description as string | undefined),
    );
    counter.add(value as number, (attrs ?? {}) as MetricTags);
  },
  recordMetricHistogramValue(cache, [name, valueType, unit, description, value, attrs]) {
    const histogram = cache.get<MetricHistogram>(`histogram:${String(valueType)}:${String(name)}`, () =>
      cache.meter.createHistogram(String(name), valueType as NumericMetricValueType, unit as string | undefined, description as string | undefined),
    );
    histogram.record(value as number, (attrs ?? {}) as MetricTags);
  },
  setMetricGaugeValue(cache, [name, valueType, unit, description, value, attrs]) {
    const gauge = cache.get<MetricGauge>(`gauge:${String(valueType)}:${String(name)}`, () =>
      cache.meter.createGauge(String(name), valueType as NumericMetricValueType, unit as string | undefined, description as string | undefined),
    );
    gauge.set(value as number, (attrs ?? {}) as MetricTags);
  },
};

/**
 * Records the workflow metric sink calls among `calls` on `meter`; returns how many it handled.
 * Malformed calls are reported to `onError` and skipped.
 *
 * @example
 * ```ts
 * const sink = new WorkflowMetricsSinkHandler(workflowMetricMeter(runtime.metricMeter, options));
 * sink.handle(completion.sinkCalls); // after each activation, on the main thread
 * ```
 */
export class WorkflowMetricsSinkHandler {
  private readonly cache: InstrumentCache;

  constructor(
    meter: MetricMeter,
    private readonly onError: (error: unknown, call: SinkCall) => void = () => undefined,
  ) {
    this.cache = new InstrumentCache(meter);
  }

  /** Handles the `__temporal_metrics` calls of one activation (others are left alone). */
  handle(calls: readonly SinkCall[]): number {
    let handled = 0;
    for (const call of calls) {
      if (call.ifaceName !== WORKFLOW_METRICS_SINK) continue;
      handled++;
      if (call.isReplaying) continue;
      const handler = HANDLERS[call.fnName];
      try {
        if (handler === undefined) throw new TypeError(`Unknown workflow metrics sink function ${call.fnName}`);
        handler(this.cache, call.args);
      } catch (error) {
        this.onError(error, call);
      }
    }
    return handled;
  }

  /**
   * The same, as injected sinks in the official `{ fn, callDuringReplay: false }` shape, for a
   * worker that dispatches sink calls generically.
   */
  asInjectedSinks(): Record<typeof WORKFLOW_METRICS_SINK, Record<string, InjectedMetricSinkFunction>> {
    const functions: Record<string, InjectedMetricSinkFunction> = {};
    for (const [fnName, handler] of Object.entries(HANDLERS)) {
      functions[fnName] = { fn: (_info, ...args: unknown[]) => handler(this.cache, args), callDuringReplay: false };
    }
    return { [WORKFLOW_METRICS_SINK]: functions };
  }
}
