/**
 * Retry policies of workflows and activities, and their protobuf form.
 *
 * @module
 */
import type Long from 'long';
import { msOptionalToNumber, msToNumber, msToTs, optionalTsToMs } from './duration.js';
import type { Duration } from './duration.js';
import type { ProtoRetryPolicy } from './proto-types.js';
import { ValueError } from './value-error.js';

/** How a workflow or activity is retried. Unset fields take the server's defaults. */
export interface RetryPolicy {
  /**
   * Multiplier applied to the interval after each retry.
   *
   * @default 2
   */
  backoffCoefficient?: number;
  /**
   * Delay before the first retry (and every retry when the coefficient is 1).
   *
   * @default 1 second
   */
  initialInterval?: Duration;
  /**
   * Maximum number of attempts, including the first; `Infinity` (or unset) means unlimited.
   *
   * @default Infinity
   */
  maximumAttempts?: number;
  /**
   * Upper bound of the backoff interval.
   *
   * @default 100 × initialInterval
   */
  maximumInterval?: Duration;
  /** Application failure types that are never retried. */
  nonRetryableErrorTypes?: string[];
}

/** The protobuf form produced by {@link compileRetryPolicy}. */
export interface CompiledRetryPolicy extends ProtoRetryPolicy {
  initialInterval: { seconds: Long; nanos: number };
  maximumInterval?: { seconds: Long; nanos: number };
  backoffCoefficient?: number;
  maximumAttempts?: number;
  nonRetryableErrorTypes?: string[];
}

function validateMaximumAttempts(maximumAttempts: number): void {
  if (typeof maximumAttempts !== 'number' || Number.isNaN(maximumAttempts)) {
    throw new ValueError(`RetryPolicy.maximumAttempts must be a positive integer, got ${String(maximumAttempts)}`);
  }
  if (maximumAttempts <= 0) throw new ValueError('RetryPolicy.maximumAttempts must be a positive integer');
  if (!Number.isInteger(maximumAttempts)) throw new ValueError('RetryPolicy.maximumAttempts must be an integer');
}

function fieldMs(policy: RetryPolicy, field: 'initialInterval' | 'maximumInterval'): number | undefined {
  try {
    return field === 'initialInterval' ? msToNumber(policy.initialInterval ?? 1000) : msOptionalToNumber(policy.maximumInterval);
  } catch (err) {
    throw new ValueError(`RetryPolicy.${field} is invalid: ${(err as Error).message}`, err);
  }
}

/**
 * Validates a {@link RetryPolicy} and converts it to the protobuf shape
 * (`temporal.api.common.v1.RetryPolicy`). `initialInterval` defaults to 1 second;
 * `maximumAttempts: Infinity` is dropped (unlimited is the server default).
 *
 * @throws {@link ValueError} naming the offending field
 * @example
 * ```ts
 * compileRetryPolicy({ initialInterval: '1s', backoffCoefficient: 2, maximumAttempts: 5 });
 * ```
 */
export function compileRetryPolicy(retryPolicy: RetryPolicy): CompiledRetryPolicy {
  const { backoffCoefficient, nonRetryableErrorTypes } = retryPolicy;
  if (backoffCoefficient !== undefined && backoffCoefficient !== null) {
    if (typeof backoffCoefficient !== 'number' || Number.isNaN(backoffCoefficient)) {
      throw new ValueError(`RetryPolicy.backoffCoefficient must be a number, got ${String(backoffCoefficient)}`);
    }
    if (backoffCoefficient <= 0) throw new ValueError('RetryPolicy.backoffCoefficient must be greater than 0');
  }
  if (
    nonRetryableErrorTypes !== undefined &&
    !(Array.isArray(nonRetryableErrorTypes) && nonRetryableErrorTypes.every((t) => typeof t === 'string'))
  ) {
    throw new ValueError('RetryPolicy.nonRetryableErrorTypes must be an array of strings');
  }
  let maximumAttempts = retryPolicy.maximumAttempts ?? undefined;
  if (maximumAttempts === Number.POSITIVE_INFINITY) maximumAttempts = undefined;
  if (maximumAttempts !== undefined) validateMaximumAttempts(maximumAttempts);
  const maximumInterval = fieldMs(retryPolicy, 'maximumInterval');
  const initialInterval = fieldMs(retryPolicy, 'initialInterval') ?? 1000;
  if (maximumInterval === 0) throw new ValueError('RetryPolicy.maximumInterval cannot be 0');
  if (initialInterval === 0) throw new ValueError('RetryPolicy.initialInterval cannot be 0');
  if (initialInterval < 0) throw new ValueError('RetryPolicy.initialInterval cannot be negative');
  if (maximumInterval !== undefined && maximumInterval < 0) {
    throw new ValueError('RetryPolicy.maximumInterval cannot be negative');
  }
  if (maximumInterval !== undefined && maximumInterval < initialInterval) {
    throw new ValueError('RetryPolicy.maximumInterval cannot be less than its initialInterval');
  }
  return {
    maximumAttempts,
    initialInterval: msToTs(initialInterval),
    maximumInterval: maximumInterval === undefined ? undefined : msToTs(maximumInterval),
    backoffCoefficient,
    nonRetryableErrorTypes,
  };
}

/**
 * The reverse of {@link compileRetryPolicy}: intervals become milliseconds, other fields are copied
 * as they are (a decoded protobuf gives 0 for unset numbers). `undefined` for a missing policy.
 *
 * @example
 * ```ts
 * decompileRetryPolicy(info.retryPolicy); // { initialInterval: 1000, backoffCoefficient: 2, ... }
 * ```
 */
export function decompileRetryPolicy(retryPolicy?: ProtoRetryPolicy | null): RetryPolicy | undefined {
  if (!retryPolicy) return undefined;
  return {
    backoffCoefficient: retryPolicy.backoffCoefficient ?? undefined,
    maximumAttempts: retryPolicy.maximumAttempts ?? undefined,
    maximumInterval: optionalTsToMs(retryPolicy.maximumInterval),
    initialInterval: optionalTsToMs(retryPolicy.initialInterval),
    nonRetryableErrorTypes: retryPolicy.nonRetryableErrorTypes ?? undefined,
  };
}
