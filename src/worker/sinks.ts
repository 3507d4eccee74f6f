/**
 * The worker's end of sinks: the functions workflow code calls through `proxySinks()` (and `log`,
 * and `console`) are recorded in the sandbox and run here, on the main thread, after the
 * activation — the injected sink functions of {@link WorkerOptions.sinks}, in the official SDK's
 * shape, plus the built-in logger sinks.
 *
 * @module
 */
import { ValueError } from '../common/errors.js';
import { mayLog, type Logger, type LogLevel } from '../common/logger.js';
import type { SinkCall } from '../workflow/runtime/protocol.js';

/** What a sink function learns about the workflow that called it. */
export type SinkWorkflowInfo = SinkCall['workflowInfo'];

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyFunction = (...args: any[]) => void;

/** An injected sink function and whether it also runs for calls made while the workflow replays. */
export interface InjectedSinkFunction<F extends AnyFunction = AnyFunction> {
  /** Runs with the calling workflow's info and the call's arguments; errors are logged, never returned to the workflow. */
  fn(info: SinkWorkflowInfo, ...args: Parameters<F>): void | Promise<void>;
  /**
   * Whether calls made while the workflow replays history run too (on a replay worker, only these run).
   *
   * @default false
   */
  callDuringReplay?: boolean;
}

/** The injected functions of one sink. */
export type InjectedSink<T extends Record<string, AnyFunction> = Record<string, AnyFunction>> = {
  [P in keyof T]: InjectedSinkFunction<T[P]>;
};

/**
 * Sinks by name, each a map of injected functions (the shape `WorkerOptions.sinks` takes).
 *
 * @example
 * ```ts
 * interface MySinks extends Sinks { metrics: { increment(name: string): void } }
 * const sinks: InjectedSinks<MySinks> = {
 *   metrics: { increment: { fn: (info, name) => counter.add(name, { workflowType: info.workflowType }) } },
 * };
 * ```
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type InjectedSinks<T extends Record<string, Record<string, AnyFunction>> = any> = {
  [P in keyof T]: InjectedSink<T[P]>;
};

/** Sink function names (log levels and console methods) → log levels. */
const LOG_LEVELS: Record<string, LogLevel> = {
  trace: 'TRACE',
  debug: 'DEBUG',
  info: 'INFO',
  log: 'INFO',
  warn: 'WARN',
  error: 'ERROR',
};

/** The built-in sinks: workflow `log` calls and `console` output go to the worker's logger. */
function builtInSinks(logger: Logger): Record<string, Record<string, InjectedSinkFunction>> {
  // Entries the logger is known to drop (e.g. the runtime's "Workflow started" at DEBUG) cost no attributes.
  const levelOf = (fnName: string | symbol): LogLevel => LOG_LEVELS[String(fnName)] ?? 'INFO';
  const method = (level: LogLevel): Lowercase<LogLevel> => level.toLowerCase() as Lowercase<LogLevel>;
  const loggerSink = new Proxy({} as Record<string, InjectedSinkFunction>, {
    get: (_target, fnName) => ({
      fn: (info: SinkWorkflowInfo, message: unknown, attributes?: Record<string, unknown>) => {
        const level = levelOf(fnName);
        if (mayLog(logger, level)) logger[method(level)](String(message), { ...info, ...attributes, sdkComponent: 'workflow' });
      },
    }),
  });
  const consoleSink = new Proxy({} as Record<string, InjectedSinkFunction>, {
    get: (_target, fnName) => ({
      fn: (info: SinkWorkflowInfo, message: unknown) => {
        const level = levelOf(fnName);
        if (mayLog(logger, level)) logger[method(level)](String(message), { ...info, sdkComponent: 'workflow', source: 'console' });
      },
    }),
  });
  return { __temporal_logger: loggerSink, console: consoleSink };
}

/**
 * Validates `WorkerOptions.sinks`.
 *
 * @throws ValueError naming the first sink function that is not `{ fn: Function, callDuringReplay?: boolean }`
 */
export function validateSinks(sinks: unknown): InjectedSinks {
  if (sinks === undefined) return {};
  if (typeof sinks !== 'object' || sinks === null) throw new ValueError('Worker option sinks must be an object of sinks');
  for (const [ifaceName, sink] of Object.entries(sinks)) {
    if (typeof sink !== 'object' || sink === null) throw new ValueError(`Sink '${ifaceName}' must be an object of sink functions`);
    for (const [fnName, def] of Object.entries(sink as object)) {
      const fn = (def as { fn?: unknown } | null)?.fn;
      const callDuringReplay = (def as { callDuringReplay?: unknown } | null)?.callDuringReplay;
      if (typeof fn !== 'function' || (callDuringReplay !== undefined && typeof callDuringReplay !== 'boolean')) {
        throw new ValueError(`Sink function ${ifaceName}.${fnName} must be { fn: Function, callDuringReplay?: boolean }`);
      }
    }
  }
  return sinks as InjectedSinks;
}

/**
 * Runs the sink calls of activations: each call goes to its injected function (user sinks win over
 * the built-in logger sinks), unless it was made while replaying and the function is not
 * `callDuringReplay` (on a replay worker, only `callDuringReplay` functions run). Calls to unknown
 * sinks and sink functions that throw are logged.
 *
 * @example
 * ```ts
 * const dispatcher = new SinkDispatcher(options.sinks, logger, { replayWorker: false });
 * await dispatcher.dispatch(completion.sinkCalls);
 * ```
 */
export class SinkDispatcher {
  private readonly sinks: Record<string, Record<string, InjectedSinkFunction> | undefined>;

  constructor(
    sinks: InjectedSinks,
    private readonly logger: Logger,
    private readonly options: { replayWorker: boolean }
  ) {
    const user = sinks as Record<string, Record<string, InjectedSinkFunction>>;
    // The deprecated name of the logger sink, as the official worker accepts it.
    const legacyLogger = user['defaultWorkerLogger'];
    this.sinks = { ...builtInSinks(logger), ...(legacyLogger ? { __temporal_logger: legacyLogger } : {}), ...user };
  }

  /** Runs the calls (concurrently, in call order); never rejects. */
  async dispatch(calls: readonly SinkCall[]): Promise<void> {
    const runs: Array<Promise<void>> = [];
    for (const raw of calls) {
      const call = raw.ifaceName === 'defaultWorkerLogger' ? { ...raw, ifaceName: '__temporal_logger' } : raw;
      const sink = this.sinks[call.ifaceName]?.[call.fnName];
      if (sink === undefined || typeof sink.fn !== 'function') {
        this.logger.error('Workflow referenced an unregistered external sink', { ...call.workflowInfo, ifaceName: call.ifaceName, fnName: call.fnName });
        continue;
      }
      if (!sink.callDuringReplay && (this.options.replayWorker || call.isReplaying)) continue;
      runs.push(this.run(sink, call));
    }
    await Promise.all(runs);
  }

  private async run(sink: InjectedSinkFunction, call: SinkCall): Promise<void> {
    try {
      await sink.fn(call.workflowInfo, ...(call.args as []));
    } catch (error) {
      this.logger.error('External sink function threw an error', {
        ...call.workflowInfo,
        ifaceName: call.ifaceName,
        fnName: call.fnName,
        error,
      });
    }
  }
}
