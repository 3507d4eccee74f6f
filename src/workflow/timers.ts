/**
 * Durable timers: `sleep`.
 *
 * @module
 */
import { type Duration } from '../common/index.js';
import { registerScopeSleep } from './cancellation-scope.js';
import { requiredDuration } from './activity-options.js';
import { composeInterceptors, type TimerInput, type TimerOptions } from './interceptors.js';
import { assertInWorkflowContext, getActivator } from './runtime/current.js';
import { linkToScope } from './scope-link.js';
import { captureOrigin } from './runtime/origin.js';

/** Issues startTimer and links the timer to the current cancellation scope. */
function startTimerNextHandler(input: TimerInput, origin: Error): Promise<void> {
  const activator = getActivator();
  const { seq, durationMs, options } = input;
  return linkToScope<void>(
    (resolve, reject) => {
      const summary = options?.summary === undefined ? undefined : activator.toPayload(options.summary);
      activator.pushCommand({ kind: 'startTimer', seq, startToFireTimeoutMs: durationMs, summary }, origin);
      activator.completions.set('timer', seq, { resolve, reject, origin });
    },
    (reason, reject) => {
      if (!activator.completions.delete('timer', seq)) return; // fired already
      activator.pushCommand({ kind: 'cancelTimer', seq }, reason instanceof Error ? reason : undefined);
      reject(reason);
    }
  );
}

/**
 * Waits for a durable timer on the server. Cancelling the enclosing scope cancels the timer and
 * rejects with a `CancelledFailure`.
 *
 * @param ms milliseconds or an `ms` string such as `'1 day'`; values below 1 become 1
 * @example
 * ```ts
 * await sleep('30 minutes');
 * ```
 */
export function sleep(ms: Duration, options?: TimerOptions): Promise<void> {
  const activator = assertInWorkflowContext('Workflow.sleep(...) may only be used from a Workflow Execution.');
  const origin = captureOrigin('sleep');
  const seq = activator.nextSeqs.timer++; // consumed even when `ms` is invalid, as in the official SDK
  const durationMs = Math.max(1, requiredDuration(ms, 'sleep duration'));
  const execute = composeInterceptors(activator.interceptors.outbound, 'startTimer', (input) =>
    startTimerNextHandler(input, origin)
  );
  return execute({ durationMs, seq, options });
}

registerScopeSleep((ms) => sleep(ms));
