/**
 * The workflow `metricMeter`: custom metrics from workflow code. Points go to the worker's meter
 * through the `__temporal_metrics` sink (the worker adds `namespace` and `taskQueue`; this adds
 * `workflowType`), and nothing is recorded while the run replays history — the points were
 * recorded when the history was first made. Same sink and tags as the official SDK.
 *
 * @module
 */
import {
  composeMetricTags,
  validateMetricName,
  validateMetricValue,
  type MetricCounter,
  type MetricGauge,
  type MetricHistogram,
  type MetricKind,
  type MetricMeter,
  type MetricTags,
  type NumericMetricValueType,
} from '../common/metrics.js';
import { assertInWorkflowContext } from './runtime/current.js';
import { recordSinkCall, type Sink } from './sinks.js';

/** The sink the worker registers for workflow metrics. */
export const METRICS_SINK_NAME = '__temporal_metrics';

/** What the `__temporal_metrics` sink receives (the official SDK's `WorkflowMetricMeter` sink). */
export interface WorkflowMetricsSink extends Sink {
  addMetricCounterValue(name: string, unit: string | undefined, description: string | undefined, value: number, attrs: MetricTags): void;
  recordMetricHistogramValue(
    name: string,
    valueType: NumericMetricValueType,
    unit: string | undefined,
    description: string | undefined,
    value: number,
    attrs: MetricTags,
  ): void;
  setMetricGaugeValue(
    name: string,
    valueType: NumericMetricValueType,
    unit: string | undefined,
    description: string | undefined,
    value: number,
    attrs: MetricTags,
  ): void;
}

const OUTSIDE = "Workflow's `metricMeter` may only be used from a Workflow Execution";

interface Described {
  name: string;
  unit?: string;
  description?: string;
  kind: MetricKind;
  valueType: NumericMetricValueType;
}

/** Records `fnName(...args(value, tags))` on the sink unless the run replays. */
function instrument(metric: Described, args: (value: number, tags: MetricTags) => unknown[], fnName: keyof WorkflowMetricsSink): unknown {
  const emit = (value: number, tags?: MetricTags): void => {
    const activator = assertInWorkflowContext(OUTSIDE);
    validateMetricValue(metric.name, value);
    if (activator.info.unsafe.isReplaying) return;
    recordSinkCall(activator, METRICS_SINK_NAME, String(fnName), args(value, { ...tags }));
  };
  return {
    ...metric,
    add: emit,
    record: emit,
    set: emit,
    withTags: () => {
      throw new Error('withTags is applied by the meter: use metricMeter.withTags(tags).createCounter(...)');
    },
  };
}

const sinkMeter: MetricMeter = {
  createCounter(name: string, unit?: string, description?: string): MetricCounter {
    validateMetricName(name);
    const metric: Described = { name, unit, description, kind: 'counter', valueType: 'int' };
    return instrument(metric, (v, t) => [name, unit, description, v, t], 'addMetricCounterValue') as MetricCounter;
  },
  createHistogram(name: string, valueType: NumericMetricValueType = 'int', unit?: string, description?: string): MetricHistogram {
    validateMetricName(name);
    const metric: Described = { name, unit, description, kind: 'histogram', valueType };
    return instrument(metric, (v, t) => [name, valueType, unit, description, v, t], 'recordMetricHistogramValue') as MetricHistogram;
  },
  createGauge(name: string, valueType: NumericMetricValueType = 'int', unit?: string, description?: string): MetricGauge {
    validateMetricName(name);
    const metric: Described = { name, unit, description, kind: 'gauge', valueType };
    return instrument(metric, (v, t) => [name, valueType, unit, description, v, t], 'setMetricGaugeValue') as MetricGauge;
  },
  withTags(tags: MetricTags): MetricMeter {
    return composeMetricTags(sinkMeter, tags);
  },
};

/**
 * Custom metrics from workflow code, tagged with `workflowType` (and, by the worker, `namespace`
 * and `taskQueue`). Nothing is recorded during replay.
 *
 * @example
 * ```ts
 * import { metricMeter } from 'duraflow/workflow';
 * const approvals = metricMeter.createCounter('order_approvals', 'approvals', 'Orders approved');
 * export async function order(): Promise<void> {
 *   approvals.add(1, { channel: 'web' });
 * }
 * ```
 */
export const metricMeter: MetricMeter = composeMetricTags(sinkMeter, () => ({
  workflowType: assertInWorkflowContext(OUTSIDE).info.workflowType,
}));
