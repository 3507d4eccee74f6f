/** The dev server's logger: levels and pretty or JSON lines on stderr. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFormat = 'pretty' | 'json';

export interface Logger {
  debug(message: string, extra?: unknown): void;
  info(message: string, extra?: unknown): void;
  warn(message: string, extra?: unknown): void;
  error(message: string, extra?: unknown): void;
}

const ORDER: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

/** A logger writing to stderr at `level` and above. */
export function createLogger(level: LogLevel = 'info', format: LogFormat = 'pretty'): Logger {
  const write = (lvl: LogLevel, message: string, extra?: unknown): void => {
    if (ORDER[lvl] < ORDER[level]) return;
    const detail = extra instanceof Error ? (extra.stack ?? extra.message) : extra === undefined ? undefined : String(extra);
    const line =
      format === 'json'
        ? JSON.stringify({ level: lvl, ts: new Date().toISOString(), msg: message, ...(detail ? { error: detail } : {}) })
        : `${new Date().toISOString()} ${lvl.toUpperCase().padEnd(5)} ${message}${detail ? ` ${detail}` : ''}`;
    process.stderr.write(`${line}\n`);
  };
  return {
    debug: (m, e) => write('debug', m, e),
    info: (m, e) => write('info', m, e),
    warn: (m, e) => write('warn', m, e),
    error: (m, e) => write('error', m, e),
  };
}
