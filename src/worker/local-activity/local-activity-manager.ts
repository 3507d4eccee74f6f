/**
 * The worker's local activities: every {@link LocalActivityExecution} in flight, by run and seq, on
 * `maxConcurrentLocalActivityExecutions` slots; start, cancel, drop a run's, and shut down.
 *
 * @module
 */
import type { MetricMeter } from '../../common/metrics.js';
import type { WorkerMetrics } from '../metrics/worker-metrics.js';
import type { LoadedDataConverter } from '../../common/data-converter.js';
import { withLogMetadata } from '../../common/logger.js';
import type { Logger } from '../../common/logger.js';
import type { ScheduleLocalActivityCommand } from '../../workflow/runtime/protocol.js';
import { systemClock } from '../activity/heartbeat-throttle.js';
import type { Clock } from '../activity/heartbeat-throttle.js';
import type { ActivityInterceptorsFactory } from '../activity/interceptors.js';
import { Slots } from '../slots.js';
import type { LocalActivityResolution } from '../run-machine-types.js';
import type { LocalActivityRun } from './local-activity-attempt.js';
import { LocalActivityExecution } from './local-activity-execution.js';
import type { LocalActivityEnvironment } from './local-activity-execution.js';
import type { Client } from '../../client/client.js';

/** Options of a {@link LocalActivityManager}. */
export interface LocalActivityManagerOptions {
  /** Activity functions by type (a `default` one runs unknown types). */
  activities: ReadonlyMap<string, (...args: unknown[]) => unknown>;
  dataConverter: LoadedDataConverter;
  /** Activity interceptor factories, outermost first. */
  interceptors: readonly ActivityInterceptorsFactory[];
  /** Local activity attempts that may run at once. */
  maxConcurrentLocalActivityExecutions: number;
  logger: Logger;
  clock?: Clock;
  /** Where local activity metrics go (none when absent). */
  metrics?: WorkerMetrics;
  /** The meter behind `Context.metricMeter` for custom activity metrics. */
  metricMeter?: MetricMeter;
  /** The Client behind `Context.client`, made on first use. */
  client?: () => Client;
}

/**
 * Runs the local activities the worker's workflow runs request.
 *
 * @example
 * ```ts
 * const manager = new LocalActivityManager({ activities, dataConverter, interceptors: [], maxConcurrentLocalActivityExecutions: 100, logger });
 * manager.start(run, command, (resolution) => inbox.push(command.seq, resolution));
 * manager.cancel(run.runId, command.seq);
 * await manager.shutdown();
 * ```
 */
export class LocalActivityManager {
  private readonly env: LocalActivityEnvironment;
  private readonly runs = new Map<string, Map<number, LocalActivityExecution>>();
  private readonly settled = new Set<Promise<void>>();

  constructor(options: LocalActivityManagerOptions) {
    const slots = new Slots(options.maxConcurrentLocalActivityExecutions);
    this.env = {
      activities: options.activities,
      dataConverter: options.dataConverter,
      interceptors: options.interceptors,
      clock: options.clock ?? systemClock,
      logger: withLogMetadata(options.logger, { sdkComponent: 'worker' }),
      metrics: options.metrics,
      metricMeter: options.metricMeter,
      client: options.client,
      slots,
    };
  }

  /** Local activity attempts running now (holding a slot). */
  get executing(): number {
    return this.env.slots.inUse;
  }

  /**
   * Starts a local activity of `run`; `report` receives its resolution once (not at all when it is
   * cancelled with {@link cancelAll}). A second start of the same run and seq is ignored.
   */
  start(run: LocalActivityRun, command: ScheduleLocalActivityCommand, report: (resolution: LocalActivityResolution) => void): void {
    let byRun = this.runs.get(run.runId);
    if (!byRun) this.runs.set(run.runId, (byRun = new Map()));
    if (byRun.has(command.seq)) {
      this.env.logger.debug('Local activity is already executing', { runId: run.runId, seq: command.seq });
      return;
    }
    const execution = new LocalActivityExecution(command, run, this.env, report);
    byRun.set(command.seq, execution);
    const done = execution.run().finally(() => {
      if (this.runs.get(run.runId)?.get(command.seq) === execution) byRun.delete(command.seq);
      if (byRun.size === 0 && this.runs.get(run.runId) === byRun) this.runs.delete(run.runId);
      this.settled.delete(done);
    });
    this.settled.add(done);
  }

  /** The workflow cancelled local activity `seq` of run `runId`. */
  cancel(runId: string, seq: number): void {
    this.runs.get(runId)?.get(seq)?.cancel();
  }

  /** Stops every local activity of a run without reporting them (the run was evicted or is closing). */
  cancelAll(runId: string): void {
    const byRun = this.runs.get(runId);
    if (!byRun) return;
    this.runs.delete(runId);
    for (const execution of byRun.values()) execution.drop();
  }

  /** Stops every local activity and waits for them to end (their functions are cancelled, not awaited past that). */
  async shutdown(): Promise<void> {
    for (const runId of [...this.runs.keys()]) this.cancelAll(runId);
    await Promise.all([...this.settled]);
  }
}
