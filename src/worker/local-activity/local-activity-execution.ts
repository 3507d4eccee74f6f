/**
 * One local activity, from the schedule command to its resolution: attempts on the worker's local
 * activity slots, each run like an activity task (same context, interceptors and outcome mapping);
 * local retries after a backoff while the backoff is within the local retry threshold, and beyond
 * it a resolution carrying the backoff, so that the workflow sleeps on a durable timer and schedules
 * the next attempt; schedule-to-close, schedule-to-start and start-to-close timeouts; cancellation.
 * The semantics are the Core SDK's.
 *
 * @module
 */
import { ActivityCancellationDetails } from '../../common/activity-cancellation.js';
import { ApplicationFailure, ensureApplicationFailure } from '../../common/failure.js';
import type { ProtoFailure } from '../../common/proto-types.js';
import type { ActivitySerializationContext } from '../../common/serialization-context.js';
import { temporal } from '../../proto/index.js';
import type { ScheduleLocalActivityCommand } from '../../workflow/runtime/protocol.js';
import { ActivityInvocation, safeOutcome } from '../activity/invocation.js';
import type { InvocationEnvironment } from '../activity/invocation.js';
import { encodeError } from '../activity/outcome.js';
import type { ActivityOutcome } from '../activity/outcome.js';
import type { Slots } from '../slots.js';
import type { LocalActivityOutcome, LocalActivityResolution } from '../run-machine-types.js';
import { localActivityContext, localActivityTimeouts, prepareLocalActivity } from './local-activity-attempt.js';
import type { AttemptSpec, LocalActivityRun, LocalActivityTimeouts } from './local-activity-attempt.js';
import { localRetryDelayMs, localRetryPolicy } from './retry-delay.js';
import type { LocalRetryPolicy } from './retry-delay.js';

const TimeoutType = temporal.api.enums.v1.TimeoutType;

/** What every local activity of a worker shares. */
export interface LocalActivityEnvironment extends InvocationEnvironment {
  activities: ReadonlyMap<string, (...args: unknown[]) => unknown>;
  /** The worker's local activity slots (`maxConcurrentLocalActivityExecutions`). */
  slots: Slots;
}

/** Why a local activity stops before its function settles. */
type Interruption =
  /** The workflow cancelled it: the running attempt is cancelled and its outcome reported. */
  | { kind: 'cancel' }
  /** Its schedule-to-close timeout passed. */
  | { kind: 'timeout' }
  /** Its run no longer needs it (evicted or closing): stop and report nothing. */
  | { kind: 'drop' };

/** How an attempt ended. */
type AttemptEnd =
  | { kind: 'interrupted' }
  | { kind: 'ended'; outcome: LocalActivityOutcome; runtimeMs: number; retryable: boolean };

/** The failure the Core SDK reports for a local activity that timed out. */
export function timeoutFailure(timeoutType: number): ProtoFailure {
  return { message: 'Activity timed out', timeoutFailureInfo: { timeoutType } };
}

/** The failure of a local activity cancelled before it ran (or while waiting to retry). */
const NOT_RUN_CANCEL: ProtoFailure = { message: 'Activity cancelled', canceledFailureInfo: {} };

/**
 * Executes one local activity; {@link run} resolves once it is resolved (reported) or dropped.
 *
 * @example
 * ```ts
 * const execution = new LocalActivityExecution(command, run, env, (resolution) => machine.resolveLocalActivity(command.seq, resolution));
 * void execution.run();
 * execution.cancel(); // the workflow cancelled it
 * ```
 */
export class LocalActivityExecution {
  private readonly timeouts: LocalActivityTimeouts;
  private readonly policy: LocalRetryPolicy;
  private readonly context: ActivitySerializationContext;
  private readonly scheduledMs: number;
  private interruption: Interruption | undefined;
  private readonly interrupted: Promise<Interruption>;
  private signalInterrupted: (interruption: Interruption) => void = () => undefined;
  private invocation: ActivityInvocation | undefined;
  private finished = false;

  constructor(
    readonly command: ScheduleLocalActivityCommand,
    readonly workflowRun: LocalActivityRun,
    private readonly env: LocalActivityEnvironment,
    private readonly report: (resolution: LocalActivityResolution) => void
  ) {
    this.timeouts = localActivityTimeouts(command);
    this.policy = localRetryPolicy(command.retryPolicy);
    this.context = localActivityContext(workflowRun, command);
    this.scheduledMs = env.clock.now();
    this.interrupted = new Promise((resolve) => (this.signalInterrupted = resolve));
  }

  /** The workflow cancelled the activity (WAIT_CANCELLATION_COMPLETED or TRY_CANCEL). */
  cancel(): void {
    this.interrupt({ kind: 'cancel' });
  }

  /** Stops the activity without reporting anything (its run was evicted or is closing). */
  drop(): void {
    this.interrupt({ kind: 'drop' });
  }

  /** Runs the attempts until the activity resolves or is dropped; never rejects. */
  async run(): Promise<void> {
    const { clock } = this.env;
    const firstAttempt = Math.max(1, this.command.attempt);
    const s2c = this.timeouts.scheduleToCloseMs;
    let timer: unknown;
    if (s2c !== undefined) {
      const remaining = (this.command.originalScheduleTimeMs ?? this.scheduledMs) + s2c - clock.now();
      if (remaining <= 0) {
        this.finish({ status: 'timedOut', failure: timeoutFailure(TimeoutType.TIMEOUT_TYPE_SCHEDULE_TO_CLOSE) }, firstAttempt, 0);
        return;
      }
      timer = clock.setTimeout(() => this.interrupt({ kind: 'timeout' }), remaining);
    }
    try {
      await this.attempts(firstAttempt);
    } catch (error) {
      this.env.logger.error('Local activity execution failed unexpectedly', { error, activityType: this.command.activityType });
      this.finish({ status: 'failed', failure: { message: `Local activity execution failed: ${String(error)}` } }, firstAttempt, 0);
    } finally {
      if (timer !== undefined) clock.clearTimeout(timer);
      this.finished = true;
    }
  }

  private interrupt(interruption: Interruption): void {
    if (this.finished || this.interruption) return;
    this.interruption = interruption;
    this.signalInterrupted(interruption);
    if (interruption.kind === 'timeout') this.invocation?.cancel('TIMED_OUT', new ActivityCancellationDetails({ timedOut: true }));
    else this.invocation?.cancel('CANCELLED');
  }

  /** Attempt after attempt, with local backoffs in between. */
  private async attempts(first: number): Promise<void> {
    for (let attempt = first; ; attempt++) {
      const end = await this.runAttempt(attempt);
      if (end.kind === 'interrupted') return this.finishInterrupted(attempt);
      if (this.interruption?.kind === 'drop') return;
      const delayMs = end.retryable && this.interruption === undefined ? this.retryDelay(end.outcome, attempt) : undefined;
      if (delayMs === undefined) return this.finish(end.outcome, attempt, end.runtimeMs);
      if (delayMs > this.command.localRetryThresholdMs) return this.finish(end.outcome, attempt, end.runtimeMs, delayMs);
      this.env.logger.debug('Local activity failed, retrying locally after a backoff', { activityType: this.command.activityType, attempt, delayMs });
      if (!(await this.backoff(delayMs))) return this.finishInterrupted(attempt);
    }
  }

  private retryDelay(outcome: LocalActivityOutcome, attempt: number): number | undefined {
    if (outcome.status === 'failed') return localRetryDelayMs(this.policy, attempt, outcome.failure.applicationFailureInfo);
    if (outcome.status === 'timedOut') return localRetryDelayMs(this.policy, attempt, undefined);
    return undefined;
  }

  /** Waits `ms`; false when interrupted first. */
  private async backoff(ms: number): Promise<boolean> {
    let timer: unknown;
    const slept = new Promise<true>((resolve) => (timer = this.env.clock.setTimeout(() => resolve(true), ms)));
    const result = await Promise.race([slept, this.interrupted.then(() => false as const)]);
    this.env.clock.clearTimeout(timer);
    return result;
  }

  /** One attempt: a slot, the schedule-to-start check, the call under its start-to-close timeout. */
  private async runAttempt(attempt: number): Promise<AttemptEnd> {
    const { slots, clock } = this.env;
    const readyMs = clock.now();
    const acquiring = slots.acquire();
    const acquired = await Promise.race([acquiring, this.interrupted.then(() => undefined)]);
    if (acquired !== true) {
      if (acquired === undefined) void acquiring.then((ok) => ok && slots.release());
      return { kind: 'interrupted' };
    }
    try {
      const s2s = this.timeouts.scheduleToStartMs;
      if (s2s !== undefined && clock.now() - readyMs > s2s) {
        return { kind: 'ended', outcome: { status: 'timedOut', failure: timeoutFailure(TimeoutType.TIMEOUT_TYPE_SCHEDULE_TO_START) }, runtimeMs: 0, retryable: false };
      }
      return await this.call(attempt);
    } finally {
      // Like Core, a function still running after a timeout (or its run's eviction) gives up its slot.
      this.invocation = undefined;
      slots.release();
    }
  }

  /** Prepares and calls the function; resolves when it settles, times out, or the activity is interrupted. */
  private async call(attempt: number): Promise<AttemptEnd> {
    const { clock } = this.env;
    const started = clock.now();
    const spec: AttemptSpec = { run: this.workflowRun, command: this.command, timeouts: this.timeouts, retryPolicy: this.policy, attempt, scheduledMs: this.scheduledMs };
    let outcome: ActivityOutcome;
    try {
      const prepared = await prepareLocalActivity(spec, this.env.activities, this.env.dataConverter);
      if (this.interruption) return { kind: 'interrupted' };
      // Local activities do not heartbeat to anyone: heartbeat() does nothing (as with the Core SDK).
      const invocation = new ActivityInvocation(prepared, this.env, this.context, () => undefined);
      this.invocation = invocation;
      const executing = invocation.execute();
      const settled = await this.raceTimeouts(executing);
      if (settled === 'startToClose') {
        invocation.cancel('TIMED_OUT', new ActivityCancellationDetails({ timedOut: true }));
        const failure = timeoutFailure(TimeoutType.TIMEOUT_TYPE_START_TO_CLOSE);
        return { kind: 'ended', outcome: { status: 'timedOut', failure }, runtimeMs: clock.now() - started, retryable: true };
      }
      if (settled === 'interrupted') return { kind: 'interrupted' };
      outcome = settled;
    } catch (error) {
      outcome = await safeOutcome(
        async () => ({ kind: 'failed', failure: await encodeError(ensureApplicationFailure(error), this.env.dataConverter, this.context) }),
        this.env.logger
      );
    }
    return { kind: 'ended', outcome: await this.localOutcome(outcome), runtimeMs: clock.now() - started, retryable: true };
  }

  /** The function's outcome, or which timeout (or interruption other than a cancel) came first. */
  private async raceTimeouts(executing: Promise<ActivityOutcome>): Promise<ActivityOutcome | 'startToClose' | 'interrupted'> {
    const stc = this.timeouts.startToCloseMs;
    let timer: unknown;
    const timedOut = new Promise<'startToClose'>((resolve) => {
      if (stc !== undefined) timer = this.env.clock.setTimeout(() => resolve('startToClose'), stc);
    });
    // A cancel is delivered to the function (see interrupt); its outcome is awaited.
    const stopped = this.interrupted.then((i) => (i.kind === 'cancel' ? new Promise<never>(() => undefined) : ('interrupted' as const)));
    try {
      return await Promise.race([executing, timedOut, stopped]);
    } finally {
      if (timer !== undefined) this.env.clock.clearTimeout(timer);
    }
  }

  private async localOutcome(outcome: ActivityOutcome): Promise<LocalActivityOutcome> {
    switch (outcome.kind) {
      case 'completed':
        return { status: 'completed', result: outcome.result };
      case 'failed':
        return { status: 'failed', failure: outcome.failure };
      case 'cancelled':
        return { status: 'cancelled', failure: outcome.failure };
      default: {
        const error = ApplicationFailure.nonRetryable('Local activities cannot be completed asynchronously', 'IllegalStateError');
        return { status: 'failed', failure: await encodeError(error, this.env.dataConverter, this.context) };
      }
    }
  }

  private finishInterrupted(attempt: number): void {
    switch (this.interruption?.kind) {
      case 'cancel':
        return this.finish({ status: 'cancelled', failure: NOT_RUN_CANCEL }, attempt, 0);
      case 'timeout':
        return this.finish({ status: 'timedOut', failure: timeoutFailure(TimeoutType.TIMEOUT_TYPE_SCHEDULE_TO_CLOSE) }, attempt, 0);
      default:
        return;
    }
  }

  private finish(outcome: LocalActivityOutcome, attempt: number, runtimeMs: number, backoffMs?: number): void {
    if (this.finished) return;
    this.finished = true;
    const resolution: LocalActivityResolution = {
      outcome,
      attempt,
      runtimeMs,
      originalScheduleTimeMs: this.command.originalScheduleTimeMs,
      ...(backoffMs === undefined ? {} : { backoffMs }),
    };
    this.report(resolution);
  }
}
