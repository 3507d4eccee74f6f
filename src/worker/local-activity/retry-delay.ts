/**
 * The retry policy of a local activity, as the worker applies it (the server never sees local
 * activities): the policy's fields with Temporal's defaults filled in, and the delay before the next
 * attempt after a failed one — the same rules the Core SDK applies.
 *
 * @module
 */
import { optionalTsToMs } from '../../common/duration.js';
import type { ApplicationFailureInfo, ProtoRetryPolicy } from '../../common/proto-types.js';
import type { RetryPolicy } from '../../common/retry-policy.js';

/** A retry policy with every field valid and in milliseconds. */
export interface LocalRetryPolicy {
  initialIntervalMs: number;
  backoffCoefficient: number;
  maximumIntervalMs: number;
  /** 0: unlimited. */
  maximumAttempts: number;
  nonRetryableErrorTypes: string[];
}

/**
 * Fills in the defaults: initial interval 1 s, coefficient 2 (for anything below 1), maximum
 * interval 100 × the initial one (never below it), unlimited attempts.
 *
 * @example
 * ```ts
 * localRetryPolicy(undefined); // { initialIntervalMs: 1000, backoffCoefficient: 2, maximumIntervalMs: 100000, maximumAttempts: 0, ... }
 * ```
 */
export function localRetryPolicy(policy: ProtoRetryPolicy | null | undefined): LocalRetryPolicy {
  const initial = optionalTsToMs(policy?.initialInterval);
  const initialIntervalMs = initial !== undefined && initial > 0 ? initial : 1000;
  const coefficient = policy?.backoffCoefficient ?? 0;
  const maximum = optionalTsToMs(policy?.maximumInterval);
  const attempts = policy?.maximumAttempts ?? 0;
  return {
    initialIntervalMs,
    backoffCoefficient: coefficient >= 1 ? coefficient : 2,
    maximumIntervalMs: maximum !== undefined && maximum > 0 ? Math.max(maximum, initialIntervalMs) : initialIntervalMs * 100,
    maximumAttempts: attempts > 0 ? attempts : 0,
    nonRetryableErrorTypes: [...(policy?.nonRetryableErrorTypes ?? [])],
  };
}

/** The policy as `activityInfo().retryPolicy` shows it. */
export function retryPolicyInfo(policy: LocalRetryPolicy): RetryPolicy {
  return {
    initialInterval: policy.initialIntervalMs,
    backoffCoefficient: policy.backoffCoefficient,
    maximumInterval: policy.maximumIntervalMs,
    maximumAttempts: policy.maximumAttempts,
    nonRetryableErrorTypes: policy.nonRetryableErrorTypes,
  };
}

/**
 * How long to wait before retrying after attempt `attempt` failed, or undefined when the activity
 * must not be retried: the attempts are used up, the failure is non-retryable (flag or type, the
 * type compared case-insensitively), or — when the failure names one — its `nextRetryDelay`;
 * otherwise `initial × coefficient^(attempt-1)`, capped at the maximum interval.
 *
 * @example
 * ```ts
 * localRetryDelayMs(localRetryPolicy({ maximumAttempts: 3 }), 2, failure.applicationFailureInfo); // 2000
 * ```
 */
export function localRetryDelayMs(policy: LocalRetryPolicy, attempt: number, failure: ApplicationFailureInfo | null | undefined): number | undefined {
  if (policy.maximumAttempts > 0 && attempt >= policy.maximumAttempts) return undefined;
  if (failure?.nonRetryable) return undefined;
  const type = (failure?.type ?? '').toLowerCase();
  if (policy.nonRetryableErrorTypes.some((t) => t.toLowerCase() === type)) return undefined;
  const explicit = optionalTsToMs(failure?.nextRetryDelay);
  if (explicit !== undefined) return explicit;
  if (attempt <= 1) return policy.initialIntervalMs;
  const delay = policy.initialIntervalMs * Math.pow(policy.backoffCoefficient, attempt - 1);
  return Number.isFinite(delay) ? Math.min(delay, policy.maximumIntervalMs) : policy.maximumIntervalMs;
}
