/**
 * The logger interface shared by the worker, the activity context and user code, a console-backed
 * {@link DefaultLogger}, and {@link withLogMetadata}, which adds attributes to every entry. The
 * interface matches the official SDK's `Logger`, so loggers written for it work here unchanged.
 *
 * @module
 */

/** Severity of a log entry, lowest first. */
export type LogLevel = 'TRACE' | 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';

/** Structured attributes attached to a log entry. */
export type LogMetadata = Record<string | symbol, unknown>;

/**
 * Where the worker and activities send log entries. Implement it to route logs to your own
 * logging library.
 *
 * @example
 * ```ts
 * const logger: Logger = {
 *   log: (level, message, meta) => pino[level.toLowerCase()]({ ...meta }, message),
 *   trace: (m, meta) => logger.log('TRACE', m, meta),
 *   debug: (m, meta) => logger.log('DEBUG', m, meta),
 *   info: (m, meta) => logger.log('INFO', m, meta),
 *   warn: (m, meta) => logger.log('WARN', m, meta),
 *   error: (m, meta) => logger.log('ERROR', m, meta),
 * };
 * ```
 */
export interface Logger {
  log(level: LogLevel, message: string, meta?: LogMetadata): unknown;
  trace(message: string, meta?: LogMetadata): unknown;
  debug(message: string, meta?: LogMetadata): unknown;
  info(message: string, meta?: LogMetadata): unknown;
  warn(message: string, meta?: LogMetadata): unknown;
  error(message: string, meta?: LogMetadata): unknown;
}

/** One entry as handed to a {@link DefaultLogger}'s log function. */
export interface LogEntry {
  level: LogLevel;
  message: string;
  /** Attributes; `undefined` when there are none. */
  meta?: LogMetadata;
  /** Milliseconds since the epoch. */
  timestampMs: number;
}

const SEVERITY: Record<LogLevel, number> = { TRACE: 0, DEBUG: 1, INFO: 2, WARN: 3, ERROR: 4 };

/** Writes `<ISO time> [LEVEL] message {attributes}` with `console.error` (stderr in Node). */
function writeToConsole(entry: LogEntry): void {
  const time = new Date(entry.timestampMs).toISOString();
  const line = `${time} [${entry.level}] ${entry.message}`;
  // eslint-disable-next-line no-console
  if (entry.meta === undefined) console.error(line);
  // eslint-disable-next-line no-console
  else console.error(line, entry.meta);
}

/**
 * A logger that drops entries below `level` and hands the others to `logFunction` (by default a
 * one-line rendering on stderr).
 *
 * @example
 * ```ts
 * const logger = new DefaultLogger('WARN');
 * logger.info('dropped');
 * logger.warn('poll failed', { attempt: 3 });
 * const captured: LogEntry[] = [];
 * const test = new DefaultLogger('TRACE', (entry) => captured.push(entry));
 * ```
 */
export class DefaultLogger implements Logger {
  private readonly severity: number;

  constructor(
    public readonly level: LogLevel = 'INFO',
    private readonly logFunction: (entry: LogEntry) => void = writeToConsole
  ) {
    if (!(level in SEVERITY)) {
      throw new TypeError(`DefaultLogger level must be one of ${Object.keys(SEVERITY).join(', ')}, got ${String(level)}`);
    }
    if (typeof logFunction !== 'function') throw new TypeError('DefaultLogger logFunction must be a function');
    this.severity = SEVERITY[level];
  }

  log(level: LogLevel, message: string, meta?: LogMetadata): void {
    if ((SEVERITY[level] ?? SEVERITY.ERROR) < this.severity) return;
    const hasMeta = meta !== undefined && Reflect.ownKeys(meta).length > 0;
    this.logFunction({ level, message, meta: hasMeta ? meta : undefined, timestampMs: Date.now() });
  }

  trace(message: string, meta?: LogMetadata): void {
    this.log('TRACE', message, meta);
  }

  debug(message: string, meta?: LogMetadata): void {
    this.log('DEBUG', message, meta);
  }

  info(message: string, meta?: LogMetadata): void {
    this.log('INFO', message, meta);
  }

  warn(message: string, meta?: LogMetadata): void {
    this.log('WARN', message, meta);
  }

  error(message: string, meta?: LogMetadata): void {
    this.log('ERROR', message, meta);
  }
}

/** Where a logger made by {@link withLogMetadata} keeps the logger it wraps. */
const WRAPPED = Symbol('duraflow.wrappedLogger');

/**
 * Whether `logger` may emit entries of `level`: false only when it is known to drop them (a
 * {@link DefaultLogger} below its level, or {@link withLogMetadata} around one). Any other logger
 * decides for itself, so the answer is true.
 */
export function mayLog(logger: Logger, level: LogLevel): boolean {
  for (let current: Logger | undefined = logger; current !== undefined; current = (current as { [WRAPPED]?: Logger })[WRAPPED]) {
    if (current instanceof DefaultLogger) return (SEVERITY[level] ?? SEVERITY.ERROR) >= SEVERITY[current.level];
  }
  return true;
}

/**
 * A logger that adds `metadata` (an object, or a function called for every entry) to each entry
 * before passing it to `logger`. Attributes given at the call site win over added ones. When
 * `logger` is a {@link DefaultLogger} (directly or through other `withLogMetadata` loggers), entries
 * below its level are dropped before the attributes are computed.
 *
 * @example
 * ```ts
 * const log = withLogMetadata(logger, { taskQueue: 'orders' });
 * log.info('polling'); // meta: { taskQueue: 'orders' }
 * ```
 */
export function withLogMetadata(logger: Logger, metadata: LogMetadata | (() => LogMetadata)): Logger {
  const added = (): LogMetadata => (typeof metadata === 'function' ? metadata() : metadata);
  const merge = (meta?: LogMetadata): LogMetadata => ({ ...added(), ...meta });
  const at =
    (level: LogLevel, write: (message: string, meta: LogMetadata) => unknown) =>
    (message: string, meta?: LogMetadata): unknown =>
      mayLog(logger, level) ? write(message, merge(meta)) : undefined;
  return Object.defineProperty(
    {
      log: (level: LogLevel, message: string, meta?: LogMetadata) => (mayLog(logger, level) ? logger.log(level, message, merge(meta)) : undefined),
      trace: at('TRACE', (m, all) => logger.trace(m, all)),
      debug: at('DEBUG', (m, all) => logger.debug(m, all)),
      info: at('INFO', (m, all) => logger.info(m, all)),
      warn: at('WARN', (m, all) => logger.warn(m, all)),
      error: at('ERROR', (m, all) => logger.error(m, all)),
    },
    WRAPPED,
    { value: logger }
  );
}
