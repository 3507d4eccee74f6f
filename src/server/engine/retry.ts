/**
 * Retry policies as Temporal applies them: defaults, validation, backoff and the retryable check.
 * Pure functions, unit-tested without a server.
 */
import { durationFromMs, longToNumber, msFromDuration } from '../../proto/index.js';
import { invalidArgument } from '../errors.js';
import { RetryState, TimeoutType } from './enums.js';
import type { IFailure, IRetryPolicy } from './proto-types.js';
import type { ActivityRetryPolicy } from './state.js';

export const DEFAULT_INITIAL_INTERVAL_MS = 1000;
export const DEFAULT_BACKOFF_COEFFICIENT = 2;
export const DEFAULT_MAXIMUM_INTERVAL_FACTOR = 100;

/**
 * Fills in defaults (initial 1 s, coefficient 2, maximum interval 100 × initial, unlimited attempts)
 * and validates; `what` names the policy's owner in error messages.
 */
export function normalizeRetryPolicy(policy: IRetryPolicy | null | undefined, what: string): ActivityRetryPolicy {
  const initial = msFromDuration(policy?.initialInterval) ?? 0;
  const coefficient = policy?.backoffCoefficient ?? 0;
  const maximum = msFromDuration(policy?.maximumInterval) ?? 0;
  const attempts = policy?.maximumAttempts ?? 0;
  if (initial < 0) throw invalidArgument(`${what}: InitialInterval cannot be negative on retry policy.`);
  if (coefficient !== 0 && coefficient < 1) throw invalidArgument(`${what}: BackoffCoefficient cannot be less than 1 on retry policy.`);
  if (maximum < 0) throw invalidArgument(`${what}: MaximumInterval cannot be negative on retry policy.`);
  if (attempts < 0) throw invalidArgument(`${what}: MaximumAttempts cannot be negative on retry policy.`);
  const initialIntervalMs = initial || DEFAULT_INITIAL_INTERVAL_MS;
  const maximumIntervalMs = maximum || initialIntervalMs * DEFAULT_MAXIMUM_INTERVAL_FACTOR;
  if (maximumIntervalMs < initialIntervalMs) {
    throw invalidArgument(`${what}: MaximumInterval cannot be less than InitialInterval on retry policy.`);
  }
  return {
    initialIntervalMs,
    backoffCoefficient: coefficient || DEFAULT_BACKOFF_COEFFICIENT,
    maximumIntervalMs,
    maximumAttempts: attempts,
    nonRetryableErrorTypes: [...(policy?.nonRetryableErrorTypes ?? [])],
  };
}

/** The policy as the proto message written to events and tasks. */
export function retryPolicyToProto(p: ActivityRetryPolicy): IRetryPolicy {
  return {
    initialInterval: durationFromMs(p.initialIntervalMs),
    backoffCoefficient: p.backoffCoefficient,
    maximumInterval: durationFromMs(p.maximumIntervalMs),
    maximumAttempts: p.maximumAttempts,
    nonRetryableErrorTypes: p.nonRetryableErrorTypes,
  };
}

/** The delay before attempt `attempt + 1`: initial × coefficient^(attempt−1), capped by the maximum. */
export function backoffMs(policy: ActivityRetryPolicy, attempt: number): number {
  const raw = policy.initialIntervalMs * Math.pow(policy.backoffCoefficient, Math.max(0, attempt - 1));
  return Math.min(raw, policy.maximumIntervalMs);
}

/** The failure's `next_retry_delay` (ApplicationFailureInfo), when set. */
export function explicitNextRetryDelayMs(failure: IFailure | null | undefined): number | undefined {
  const delay = failure?.applicationFailureInfo?.nextRetryDelay;
  if (!delay) return undefined;
  const ms = msFromDuration(delay) ?? 0;
  return ms > 0 ? ms : undefined;
}

/** Whether a failure may be retried at all under a policy (ignoring attempts and expiration). */
export function isRetryableFailure(failure: IFailure | null | undefined, policy: ActivityRetryPolicy): boolean {
  if (!failure) return true;
  if (failure.terminatedFailureInfo || failure.canceledFailureInfo) return false;
  if (failure.serverFailureInfo?.nonRetryable) return false;
  const timeout = failure.timeoutFailureInfo;
  if (timeout) {
    const type = longToNumber(timeout.timeoutType as number | undefined);
    // Schedule-to-start and schedule-to-close timeouts are final.
    if (type === TimeoutType.TIMEOUT_TYPE_SCHEDULE_TO_START || type === TimeoutType.TIMEOUT_TYPE_SCHEDULE_TO_CLOSE) return false;
    const name = type === TimeoutType.TIMEOUT_TYPE_START_TO_CLOSE ? 'StartToClose' : 'Heartbeat';
    return !policy.nonRetryableErrorTypes.includes(`TemporalTimeout:${name}`);
  }
  const app = failure.applicationFailureInfo;
  if (app) {
    if (app.nonRetryable) return false;
    if (policy.nonRetryableErrorTypes.includes(app.type ?? '')) return false;
  }
  return true;
}

export interface RetryDecision {
  /** RETRY_STATE_IN_PROGRESS when a retry is scheduled. */
  readonly retryState: number;
  /** Delay before the next attempt, when retrying. */
  readonly delayMs: number;
}

/**
 * Decides whether attempt `attempt` (which just failed with `failure`) is retried, and after how long.
 * `expirationTime` is the schedule-to-close deadline (0 for none).
 */
export function decideRetry(
  policy: ActivityRetryPolicy,
  attempt: number,
  failure: IFailure | null | undefined,
  now: number,
  expirationTime: number,
  cancelRequested = false,
): RetryDecision {
  if (cancelRequested) return { retryState: RetryState.RETRY_STATE_CANCEL_REQUESTED, delayMs: 0 };
  if (!isRetryableFailure(failure, policy)) return { retryState: RetryState.RETRY_STATE_NON_RETRYABLE_FAILURE, delayMs: 0 };
  if (policy.maximumAttempts > 0 && attempt >= policy.maximumAttempts) {
    return { retryState: RetryState.RETRY_STATE_MAXIMUM_ATTEMPTS_REACHED, delayMs: 0 };
  }
  const delayMs = explicitNextRetryDelayMs(failure) ?? backoffMs(policy, attempt);
  if (expirationTime > 0 && now + delayMs > expirationTime) return { retryState: RetryState.RETRY_STATE_TIMEOUT, delayMs: 0 };
  return { retryState: RetryState.RETRY_STATE_IN_PROGRESS, delayMs };
}
