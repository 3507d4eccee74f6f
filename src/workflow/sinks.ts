/**
 * Sinks: one-way calls from workflow code to functions registered on the worker (loggers, metrics,
 * exporters). Calls are recorded during the activation and run on the worker's main thread after it.
 *
 * @module
 */
import type { Activator } from './runtime/activator.js';
import { assertInWorkflowContext } from './runtime/current.js';

/** A sink function: its arguments must be structured-cloneable; it returns nothing to the workflow. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type SinkFunction = (...args: any[]) => void;
/** A named group of sink functions (e.g. a logger). */
export type Sink = Record<string, SinkFunction>;
/** Every sink the workflow uses, by name. */
export type Sinks = Record<string, Sink>;

/** Copies `args` so later mutations by the workflow do not change what the sink receives. */
function cloneArgs(args: unknown[]): unknown[] {
  const clone = (globalThis as { structuredClone?: <T>(value: T) => T }).structuredClone;
  if (typeof clone !== 'function') return args;
  try {
    return clone(args);
  } catch {
    return args; // not cloneable here: the worker will report it when it posts the call
  }
}

/** Records a sink call of the current activation. */
export function recordSinkCall(activator: Activator, ifaceName: string, fnName: string, args: unknown[]): void {
  const { workflowId, runId, workflowType, namespace, taskQueue, unsafe } = activator.info;
  activator.sinkCalls.push({
    ifaceName,
    fnName,
    args: cloneArgs(args),
    isReplaying: unsafe.isReplayingHistoryEvents,
    workflowInfo: { workflowId, runId, workflowType, namespace, taskQueue },
  });
}

/**
 * A proxy of the sinks registered on the worker: `proxySinks<MySinks>().logger.info('x')` records a
 * call of sink `logger`, function `info`.
 *
 * @example
 * ```ts
 * interface MySinks extends Sinks { metrics: { increment(name: string): void } }
 * const { metrics } = proxySinks<MySinks>();
 * metrics.increment('orders');
 * ```
 */
export function proxySinks<T extends Sinks>(): T {
  return new Proxy(
    {},
    {
      get(_target, ifaceName) {
        return new Proxy(
          {},
          {
            get(_inner, fnName) {
              return (...args: unknown[]) => {
                const activator = assertInWorkflowContext('Proxied sinks functions may only be used from a Workflow Execution.');
                recordSinkCall(activator, String(ifaceName), String(fnName), args);
              };
            },
          }
        );
      },
    }
  ) as T;
}
