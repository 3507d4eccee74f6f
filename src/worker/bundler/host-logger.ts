/**
 * The logging surface the bundler and the sandbox host need: any logger with these four methods
 * (the worker's logger, `console`, pino, winston, …) fits.
 *
 * @module
 */

/** Where the bundler and the sandbox report what they do. */
export interface HostLogger {
  debug(message: string, meta?: Record<string, unknown>): void;
  info(message: string, meta?: Record<string, unknown>): void;
  warn(message: string, meta?: Record<string, unknown>): void;
  error(message: string, meta?: Record<string, unknown>): void;
}

/** Discards everything: the default when no logger is given. */
export const silentLogger: HostLogger = Object.freeze({
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
});

/** Whether `value` has the four {@link HostLogger} methods. */
export function isHostLogger(value: unknown): value is HostLogger {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return ['debug', 'info', 'warn', 'error'].every((level) => typeof record[level] === 'function');
}
