/**
 * The two conversion errors, kept apart from `errors.ts` so that low-level modules (durations,
 * enums, payload converters) can throw them without importing the failure tree.
 *
 * @module
 */
import { markErrorClass } from './type-helpers.js';

/**
 * Thrown by code that receives a value it cannot handle, such as a payload converter given a value
 * no converter accepts, or a RetryPolicy with an invalid field.
 *
 * @example
 * ```ts
 * throw new ValueError('RetryPolicy.maximumAttempts must be an integer');
 * ```
 */
export class ValueError extends Error {
  override readonly cause?: unknown;

  constructor(message: string | undefined, cause?: unknown) {
    super(message ?? undefined);
    this.cause = cause;
  }
}
markErrorClass(ValueError, 'ValueError');

/** Thrown when a payload converter is misconfigured or cannot decode a payload's encoding. */
export class PayloadConverterError extends ValueError {}
markErrorClass(PayloadConverterError, 'PayloadConverterError');
