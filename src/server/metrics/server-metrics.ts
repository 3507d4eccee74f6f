/**
 * The dev server's own metrics: RPC count, errors and latency per method, SQLite transaction
 * (persistence) count, errors and latency, and — computed at scrape time — task-queue backlog and
 * long-poll pollers per task queue. Names follow the Temporal server's where it has one
 * (`service_requests`, `service_latency`, `persistence_latency`, `approximate_backlog_count`);
 * latencies are histograms in milliseconds.
 *
 * @module
 */
import { MetricRegistry } from '../../common/metric-registry.js';
import type { MetricGauge } from '../../common/metrics.js';

/** Live state read at each scrape: pending tasks and waiting pollers per task queue. */
export interface QueueStateSource {
  /** Pending (not yet polled) tasks, per namespace, task queue and kind. */
  backlog(): Array<{ namespace: string; taskQueue: string; taskType: 'Workflow' | 'Activity'; count: number }>;
  /** Long polls waiting, per namespace, task queue and kind. */
  pollers(): Array<{ namespace: string; taskQueue: string; taskType: 'Workflow' | 'Activity'; count: number }>;
}

const STATUS_NAMES = [
  'OK', 'CANCELLED', 'UNKNOWN', 'INVALID_ARGUMENT', 'DEADLINE_EXCEEDED', 'NOT_FOUND', 'ALREADY_EXISTS', 'PERMISSION_DENIED',
  'RESOURCE_EXHAUSTED', 'FAILED_PRECONDITION', 'ABORTED', 'OUT_OF_RANGE', 'UNIMPLEMENTED', 'INTERNAL', 'UNAVAILABLE', 'DATA_LOSS',
  'UNAUTHENTICATED',
];

/**
 * The dev server's metric recorder.
 *
 * @example
 * ```ts
 * const metrics = new DevServerMetrics();
 * metrics.rpc('StartWorkflowExecution', 3.2, 0);
 * metrics.registry.render(); // service_requests{operation="StartWorkflowExecution"} 1 ...
 * ```
 */
export class DevServerMetrics {
  readonly registry = new MetricRegistry();
  private readonly requests = this.registry.createCounter('service_requests', '', 'Count of gRPC requests by method');
  private readonly errors = this.registry.createCounter('service_errors', '', 'Count of gRPC requests that failed, by method and status code');
  private readonly latency = this.registry.createHistogram('service_latency', 'float', 'milliseconds', 'gRPC request latency in milliseconds');
  private readonly txCount = this.registry.createCounter('persistence_requests', '', 'Count of SQLite transactions');
  private readonly txErrors = this.registry.createCounter('persistence_errors', '', 'Count of SQLite transactions rolled back');
  private readonly txLatency = this.registry.createHistogram('persistence_latency', 'float', 'milliseconds', 'SQLite transaction latency in milliseconds');
  private readonly backlog: MetricGauge = this.registry.createGauge('approximate_backlog_count', 'int', '', 'Tasks waiting to be polled');
  private readonly pollers: MetricGauge = this.registry.createGauge('poller_count', 'int', '', 'Long polls waiting for a task');
  /** Label sets reported at the previous scrape, to zero the ones that went away. */
  private lastQueues = new Set<string>();

  /** Records one RPC: its method, duration and gRPC status code (0 = OK). */
  rpc(method: string, ms: number, code: number): void {
    const tags = { operation: method };
    this.requests.add(1, tags);
    this.latency.record(Math.max(0, ms), tags);
    if (code !== 0) this.errors.add(1, { ...tags, status_code: STATUS_NAMES[code] ?? String(code) });
  }

  /** Records one SQLite transaction (committed or rolled back). */
  transaction(ms: number, ok: boolean): void {
    const tags = { operation: 'Transaction' };
    this.txCount.add(1, tags);
    this.txLatency.record(Math.max(0, ms), tags);
    if (!ok) this.txErrors.add(1, tags);
  }

  /** Reads backlog and pollers from `source` at every scrape. */
  watchQueues(source: QueueStateSource): void {
    this.registry.onCollect(() => this.collectQueues(source));
  }

  private collectQueues(source: QueueStateSource): void {
    const seen = new Set<string>();
    const values = new Map<string, { tags: Record<string, string>; backlog: number; pollers: number }>();
    const entry = (namespace: string, taskQueue: string, taskType: string) => {
      const key = JSON.stringify([namespace, taskQueue, taskType]);
      let value = values.get(key);
      if (value === undefined) {
        value = { tags: { namespace, task_queue: taskQueue, task_type: taskType }, backlog: 0, pollers: 0 };
        values.set(key, value);
      }
      return value;
    };
    for (const b of source.backlog()) entry(b.namespace, b.taskQueue, b.taskType).backlog += b.count;
    for (const p of source.pollers()) entry(p.namespace, p.taskQueue, p.taskType).pollers += p.count;
    for (const key of this.lastQueues) {
      if (!values.has(key)) {
        const [namespace, taskQueue, taskType] = JSON.parse(key) as [string, string, string];
        entry(namespace, taskQueue, taskType);
      }
    }
    for (const [key, v] of values) {
      this.backlog.set(v.backlog, v.tags);
      this.pollers.set(v.pollers, v.tags);
      if (v.backlog > 0 || v.pollers > 0) seen.add(key);
    }
    this.lastQueues = seen;
  }
}
