/**
 * String enums carried by failures, with their protobuf number converters.
 *
 * @module
 */
import { makeEnumConverters } from './enum-helpers.js';

/** Which timeout fired (`temporal.api.enums.v1.TimeoutType` without its prefix). */
export const TimeoutType = {
  START_TO_CLOSE: 'START_TO_CLOSE',
  SCHEDULE_TO_START: 'SCHEDULE_TO_START',
  SCHEDULE_TO_CLOSE: 'SCHEDULE_TO_CLOSE',
  HEARTBEAT: 'HEARTBEAT',
} as const;
export type TimeoutType = (typeof TimeoutType)[keyof typeof TimeoutType];

/** Why retrying stopped (`temporal.api.enums.v1.RetryState` without its prefix). */
export const RetryState = {
  IN_PROGRESS: 'IN_PROGRESS',
  NON_RETRYABLE_FAILURE: 'NON_RETRYABLE_FAILURE',
  TIMEOUT: 'TIMEOUT',
  MAXIMUM_ATTEMPTS_REACHED: 'MAXIMUM_ATTEMPTS_REACHED',
  RETRY_POLICY_NOT_SET: 'RETRY_POLICY_NOT_SET',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
  CANCEL_REQUESTED: 'CANCEL_REQUESTED',
} as const;
export type RetryState = (typeof RetryState)[keyof typeof RetryState];

/**
 * Severity of an application failure. `BENIGN` failures of activities are logged at DEBUG level
 * and do not count in failure metrics.
 *
 * @experimental
 */
export const ApplicationFailureCategory = {
  BENIGN: 'BENIGN',
} as const;
export type ApplicationFailureCategory = (typeof ApplicationFailureCategory)[keyof typeof ApplicationFailureCategory];

/** {@link TimeoutType} ↔ `temporal.api.enums.v1.TimeoutType`. */
export const [encodeTimeoutType, decodeTimeoutType] = makeEnumConverters<TimeoutType>(
  { START_TO_CLOSE: 1, SCHEDULE_TO_START: 2, SCHEDULE_TO_CLOSE: 3, HEARTBEAT: 4 },
  'TIMEOUT_TYPE_'
);

/** {@link RetryState} ↔ `temporal.api.enums.v1.RetryState`. */
export const [encodeRetryState, decodeRetryState] = makeEnumConverters<RetryState>(
  {
    IN_PROGRESS: 1,
    NON_RETRYABLE_FAILURE: 2,
    TIMEOUT: 3,
    MAXIMUM_ATTEMPTS_REACHED: 4,
    RETRY_POLICY_NOT_SET: 5,
    INTERNAL_SERVER_ERROR: 6,
    CANCEL_REQUESTED: 7,
  },
  'RETRY_STATE_'
);

/** {@link ApplicationFailureCategory} ↔ `temporal.api.enums.v1.ApplicationErrorCategory`. */
export const [encodeApplicationFailureCategory, decodeApplicationFailureCategory] =
  makeEnumConverters<ApplicationFailureCategory>({ BENIGN: 1 }, 'APPLICATION_ERROR_CATEGORY_');
