/**
 * One call of an activity function, shared by activity tasks and local activities: the activity
 * context, the interceptors the worker's factories create for it, the call itself through the
 * inbound interceptors, and how it ended as an {@link ActivityOutcome}. Reporting (to the server, or
 * to the workflow's state machines) is the caller's business.
 *
 * @module
 */
import type { ActivityCancellationDetails, CancelReason } from '../../common/activity-cancellation.js';
import { createActivityContext } from '../../activity/context.js';
import type { MetricMeter } from '../../common/metrics.js';
import type { WorkerMetrics } from '../metrics/worker-metrics.js';
import type { ActivityContextHandle } from '../../activity/context.js';
import { activityLogAttributes } from '../../activity/info.js';
import { ApplicationFailureCategory } from '../../common/failure-enums.js';
import { ApplicationFailure, FAILURE_SOURCE } from '../../common/failure.js';
import type { LoadedDataConverter } from '../../common/data-converter.js';
import { withLogMetadata } from '../../common/logger.js';
import type { Logger } from '../../common/logger.js';
import type { ActivitySerializationContext } from '../../common/serialization-context.js';
import { errorMessage } from '../../common/type-helpers.js';
import type { PreparedActivity } from './activity-task.js';
import type { Clock } from './heartbeat-throttle.js';
import { composeInterceptors } from './interceptors.js';
import type {
  ActivityExecuteInput,
  ActivityInboundCallsInterceptor,
  ActivityInterceptorsFactory,
  ActivityOutboundCallsInterceptor,
} from './interceptors.js';
import { completedOutcome, errorOutcome } from './outcome.js';
import type { ActivityOutcome } from './outcome.js';
import type { Client } from '../../client/client.js';

/** What an invocation needs from its worker. */
export interface InvocationEnvironment {
  dataConverter: LoadedDataConverter;
  interceptors: readonly ActivityInterceptorsFactory[];
  clock: Clock;
  /** The worker's logger; the invocation adds the activity's attributes. */
  logger: Logger;
  /** Where the worker's own activity metrics go (none when absent). */
  metrics?: WorkerMetrics;
  /** The meter behind `Context.metricMeter` (custom metrics), tagged per activity here. */
  metricMeter?: MetricMeter;
  /** The Client behind `Context.client` (made on first use). */
  client?: () => Client;
}

/**
 * The context and interceptors of one activity call. Create it, then {@link execute} once;
 * {@link cancel} may be called at any time (the first reason wins).
 *
 * @example
 * ```ts
 * const invocation = new ActivityInvocation(prepared, env, context, (details) => heartbeats.record(details));
 * const outcome = await invocation.execute();
 * ```
 */
export class ActivityInvocation {
  readonly handle: ActivityContextHandle;
  /** The worker's logger with the activity's attributes (including those of outbound interceptors). */
  readonly logger: Logger;
  private readonly inbound: ActivityInboundCallsInterceptor[] = [];
  private readonly outbound: ActivityOutboundCallsInterceptor[] = [];

  constructor(
    private readonly prepared: PreparedActivity,
    private readonly env: InvocationEnvironment,
    private readonly serializationContext: ActivitySerializationContext,
    heartbeat: (details?: unknown) => void
  ) {
    const baseAttributes = activityLogAttributes(prepared.info);
    const attributes = (): Record<string, unknown> =>
      composeInterceptors<ActivityOutboundCallsInterceptor, 'getLogAttributes', Record<string, unknown>, Record<string, unknown>>(
        this.outbound,
        'getLogAttributes',
        (a) => a
      )(baseAttributes);
    this.logger = withLogMetadata(env.logger, attributes);
    this.handle = createActivityContext({
      info: prepared.info,
      heartbeat,
      logger: withLogMetadata(this.logger, { sdkComponent: 'activity' }),
      metricMeter: env.metricMeter?.withTags({
        namespace: prepared.info.workflowNamespace ?? '',
        taskQueue: prepared.info.taskQueue,
        activityType: prepared.info.activityType,
      }),
      client: env.client,
    });
    for (const factory of env.interceptors) {
      const created = factory(this.handle.context);
      if (created.inbound) this.inbound.push(created.inbound);
      if (created.outbound) this.outbound.push(created.outbound);
    }
  }

  /** Cancels the call's context; returns false when it was already cancelled. */
  cancel(reason: CancelReason, details?: ActivityCancellationDetails): boolean {
    return this.handle.cancel(reason, details);
  }

  /** Runs the function in its context through the inbound interceptors; never rejects. */
  async execute(): Promise<ActivityOutcome> {
    const { prepared, handle } = this;
    const converter = this.env.dataConverter;
    const started = this.env.clock.now();
    this.logger.debug('Activity started');
    if (prepared.info.isLocal) this.env.metrics?.localActivityStarted(this.metricTags());
    const execute = composeInterceptors<ActivityInboundCallsInterceptor, 'execute', ActivityExecuteInput, Promise<unknown>>(
      this.inbound,
      'execute',
      async ({ args }) => await prepared.fn(...args)
    );
    let outcome: ActivityOutcome;
    let thrown: unknown;
    try {
      // A result the converter cannot convert fails the activity like a thrown error does.
      const value = await handle.run(() => execute({ args: prepared.args, headers: prepared.headers }));
      outcome = await completedOutcome(value, converter, this.serializationContext);
    } catch (error) {
      thrown = error;
      const cancellation = { reason: handle.cancelReason, details: handle.context.cancellationDetails };
      outcome = await safeOutcome(() => errorOutcome(error, cancellation, converter, this.serializationContext), this.logger);
    }
    this.logEnd(outcome, thrown, started);
    this.recordMetrics(outcome, started);
    return outcome;
  }

  private metricTags(): { activityType: string; workflowType?: string } {
    return { activityType: this.prepared.info.activityType, workflowType: this.prepared.info.workflowType };
  }

  private recordMetrics(outcome: ActivityOutcome, started: number): void {
    const { metrics } = this.env;
    if (!metrics) return;
    const now = this.env.clock.now();
    const info = this.prepared.info;
    const failure = 'failure' in outcome ? outcome.failure : undefined;
    const executionMs = now - started;
    if (info.isLocal) {
      const endToEndMs = outcome.kind === 'completed' ? now - info.scheduledTimestampMs : undefined;
      const result = outcome.kind === 'willCompleteAsync' ? 'completed' : outcome.kind;
      metrics.localActivityFinished(this.metricTags(), { outcome: result, executionMs, endToEndMs, failure });
    } else {
      const endToEndMs = outcome.kind === 'completed' ? now - info.currentAttemptScheduledTimestampMs : undefined;
      metrics.activityFinished(this.metricTags(), { outcome: outcome.kind, executionMs, endToEndMs, failure });
    }
  }

  private logEnd(outcome: ActivityOutcome, error: unknown, started: number): void {
    const durationMs = this.env.clock.now() - started;
    const details = this.handle.context.cancellationDetails;
    switch (outcome.kind) {
      case 'completed':
        this.logger.debug('Activity completed', { durationMs });
        return;
      case 'willCompleteAsync':
        this.logger.debug('Activity will complete asynchronously', { durationMs });
        return;
      case 'cancelled':
        this.logger.debug('Activity completed as cancelled', { durationMs });
        return;
      case 'failed':
        if (details?.reset) this.logger.debug('Activity reset', { durationMs });
        else if (details?.paused) this.logger.debug('Activity paused', { durationMs });
        else if (error instanceof ApplicationFailure && error.category === ApplicationFailureCategory.BENIGN) {
          this.logger.debug('Activity failed', { error, durationMs });
        } else this.logger.warn('Activity failed', { error, durationMs });
    }
  }
}

/**
 * Runs an outcome builder; if converting the value or error itself fails, a plain failure that says
 * so (type `ConversionError`).
 *
 * @example
 * ```ts
 * const outcome = await safeOutcome(() => completedOutcome(value, converter, context), logger);
 * ```
 */
export async function safeOutcome(build: () => Promise<ActivityOutcome>, logger: Logger): Promise<ActivityOutcome> {
  try {
    return await build();
  } catch (error) {
    logger.error('Failed to convert the activity outcome', { error });
    const message = `Failed to convert the activity outcome: ${errorMessage(error) ?? String(error)}`;
    return { kind: 'failed', failure: { message, source: FAILURE_SOURCE, applicationFailureInfo: { type: 'ConversionError' } } };
  }
}
