/**
 * Client metrics, as the official Core SDK's client records them: `request`, `request_failure`
 * (tagged `status_code`) and `request_latency` per RPC attempt, tagged `operation` (the RPC name),
 * `namespace` and `task_queue` where the request has them; long polls — PollWorkflowTaskQueue,
 * PollActivityTaskQueue, PollNexusTaskQueue, UpdateWorkflowExecution and GetWorkflowExecutionHistory
 * with `waitNewEvent` — count as `long_request`, `long_request_failure` and `long_request_latency`.
 *
 * A grpc-js interceptor (innermost, so retried attempts count separately, as in Core) reads the
 * tags that {@link Connection} attaches to each call's options.
 *
 * @module
 */
import { InterceptingCall, status, type Interceptor, type InterceptorOptions, type StatusObject } from '@grpc/grpc-js';
import type { MetricTags } from '../common/metrics.js';
import type { TemporalMeter } from '../common/temporal-meter.js';

/** Call-option key carrying a call's {@link RpcMetricLabels}. */
export const RPC_METRIC_LABELS: unique symbol = Symbol.for('duraflow.client.rpcMetricLabels');

/** What a call's metrics are tagged with. */
export interface RpcMetricLabels {
  /** The RPC name, e.g. `StartWorkflowExecution`. */
  readonly operation: string;
  readonly namespace?: string;
  readonly taskQueue?: string;
  /** Counted as a long poll. */
  readonly long: boolean;
}

const LONG_POLLS = new Set(['PollWorkflowTaskQueue', 'PollActivityTaskQueue', 'PollNexusTaskQueue', 'UpdateWorkflowExecution']);
const STICKY_KIND = 2;

interface RequestFields {
  namespace?: unknown;
  taskQueue?: unknown;
  waitNewEvent?: unknown;
}

/** The task queue a request is about: the normal queue's name for sticky queues (Core's default). */
function taskQueueOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value || undefined;
  if (typeof value !== 'object' || value === null) return undefined;
  const tq = value as { name?: unknown; kind?: unknown; normalName?: unknown };
  const sticky = tq.kind === STICKY_KIND || tq.kind === 'TASK_QUEUE_KIND_STICKY';
  const name = sticky && typeof tq.normalName === 'string' && tq.normalName ? tq.normalName : tq.name;
  return typeof name === 'string' && name ? name : undefined;
}

/**
 * The labels of a call of RPC `operation` with `request` (a protobufjs request object).
 *
 * @example
 * ```ts
 * rpcMetricLabels('PollActivityTaskQueue', { namespace: 'default', taskQueue: { name: 'q' } });
 * // { operation: 'PollActivityTaskQueue', namespace: 'default', taskQueue: 'q', long: true }
 * ```
 */
export function rpcMetricLabels(operation: string, request: unknown): RpcMetricLabels {
  const fields = (typeof request === 'object' && request !== null ? request : {}) as RequestFields;
  const namespace = typeof fields.namespace === 'string' && fields.namespace ? fields.namespace : undefined;
  const long = LONG_POLLS.has(operation) || (operation === 'GetWorkflowExecutionHistory' && fields.waitNewEvent === true);
  return { operation, namespace, taskQueue: taskQueueOf(fields.taskQueue), long };
}

/** The RPC name of a grpc-js method path (`/pkg.Service/Method` → `Method`). */
function operationOf(options: InterceptorOptions): string {
  const path = options.method_definition?.path ?? '';
  return path.slice(path.lastIndexOf('/') + 1);
}

function tagsOf(labels: RpcMetricLabels): MetricTags {
  const tags: MetricTags = { operation: labels.operation };
  if (labels.namespace !== undefined) tags['namespace'] = labels.namespace;
  if (labels.taskQueue !== undefined) tags['task_queue'] = labels.taskQueue;
  return tags;
}

/**
 * Creates the client metrics interceptor recording on `meter`.
 *
 * @example
 * ```ts
 * const interceptor = makeClientMetricsInterceptor(new TemporalMeter(buffer));
 * ```
 */
export function makeClientMetricsInterceptor(meter: TemporalMeter): Interceptor {
  const normal = {
    requests: meter.counter('request', 'Count of client request successes by rpc name'),
    failures: meter.counter('request_failure', 'Count of client request failures by rpc name'),
    latency: meter.durationHistogram('request_latency', 'Histogram of client request latencies'),
  };
  const long = {
    requests: meter.counter('long_request', 'Count of long-poll request successes by rpc name'),
    failures: meter.counter('long_request_failure', 'Count of long-poll request failures by rpc name'),
    latency: meter.durationHistogram('long_request_latency', 'Histogram of client long-poll request latencies'),
  };
  return (options, nextCall) => {
    const given = (options as InterceptorOptions & { [RPC_METRIC_LABELS]?: RpcMetricLabels })[RPC_METRIC_LABELS];
    const labels = given ?? rpcMetricLabels(operationOf(options), undefined);
    const instruments = labels.long ? long : normal;
    const tags = tagsOf(labels);
    return new InterceptingCall(nextCall(options), {
      start(metadata, listener, next) {
        const started = performance.now();
        instruments.requests.add(1, tags);
        next(metadata, {
          onReceiveStatus(s: StatusObject, nextStatus: (s: StatusObject) => void) {
            instruments.latency.recordMs(performance.now() - started, tags);
            if (s.code !== status.OK) instruments.failures.add(1, { ...tags, status_code: status[s.code] ?? String(s.code) });
            nextStatus(s);
          },
        });
      },
    });
  };
}
