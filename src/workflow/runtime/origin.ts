/**
 * Where workflow code issued a command (its stack names the user's source line in nondeterminism
 * errors and answers the stack trace queries).
 *
 * @module
 */
import { CAPTURE_ORIGIN_GLOBAL, type CaptureOrigin } from './protocol.js';

const hostCapture = (globalThis as Record<string, unknown>)[CAPTURE_ORIGIN_GLOBAL] as CaptureOrigin | undefined;

/**
 * An Error named `message` whose stack starts at the caller of `captureOrigin` (in a sandbox thread).
 *
 * @example
 * ```ts
 * const origin = captureOrigin('sleep'); // origin.stack: "Error: sleep\n    at sleep (...)\n..."
 * ```
 */
export function captureOrigin(message: string): Error {
  // Outside a sandbox thread (tests of the workflow API) the stack also shows this function.
  return hostCapture !== undefined ? hostCapture(message, captureOrigin) : new Error(message);
}
