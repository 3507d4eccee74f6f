/**
 * The `console` of a workflow run. Calls are recorded (never printed from the sandbox thread) and
 * leave the sandbox as sink calls of the activation's completion: `{ ifaceName: 'console', fnName:
 * level, args: [text] }`, where `text` is the arguments formatted here. Like the official SDK, calls
 * made while the run is replaying history are dropped, so each message is logged once.
 *
 * Formatting is done by hand (no `util.inspect`, which cannot show errors in a locked-down thread):
 * strings as they are, errors as their stack (or `name: message`), other values as JSON when
 * possible.
 *
 * @module
 */

/** Console methods a workflow can call; `dir` logs like `log`, `assert` logs an error when its condition is falsy. */
export const CONSOLE_LEVELS = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const;
export type ConsoleLevel = (typeof CONSOLE_LEVELS)[number];

/** One recorded console call. */
export interface ConsoleRecord {
  level: ConsoleLevel;
  message: string;
}

/** What the console writes to: owned by the run, reset per activation. */
export interface ConsoleSink {
  isReplaying: boolean;
  records: ConsoleRecord[];
  /** Calls dropped in this activation once `records` was full. */
  dropped: number;
}

/** Records kept per activation; later calls are counted and summarised in one last record. */
const MAX_RECORDS = 1000;
const MAX_MESSAGE_LENGTH = 32 * 1024;

function formatValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && value !== null) {
    const record = value as { stack?: unknown; name?: unknown; message?: unknown };
    if (typeof record.message === 'string' && typeof record.name === 'string') {
      return typeof record.stack === 'string' && record.stack !== '' ? record.stack : `${record.name}: ${record.message}`;
    }
    const json = JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));
    if (json !== undefined) return json;
  }
  if (typeof value === 'bigint') return `${value}n`;
  return String(value);
}

/** The arguments of one console call as one line of text; never throws. */
export function formatConsoleArgs(args: readonly unknown[]): string {
  const parts = args.map((arg) => {
    try {
      return formatValue(arg);
    } catch {
      try {
        return Object.prototype.toString.call(arg);
      } catch {
        return '[unprintable]';
      }
    }
  });
  const text = parts.join(' ');
  return text.length > MAX_MESSAGE_LENGTH ? `${text.slice(0, MAX_MESSAGE_LENGTH)}… (truncated)` : text;
}

/** A frozen console object writing to `sink`. */
export function makeWorkflowConsole(sink: ConsoleSink): Readonly<Record<string, (...args: unknown[]) => void>> {
  const record = (level: ConsoleLevel, args: readonly unknown[]): void => {
    if (sink.isReplaying) return;
    if (sink.records.length >= MAX_RECORDS) {
      sink.dropped++;
      if (sink.records.length === MAX_RECORDS) sink.records.push({ level: 'warn', message: '' });
      sink.records[MAX_RECORDS] = { level: 'warn', message: `${sink.dropped} more console calls were dropped in this activation` };
      return;
    }
    sink.records.push({ level, message: formatConsoleArgs(args) });
  };
  const methods: Record<string, (...args: unknown[]) => void> = {};
  for (const level of CONSOLE_LEVELS) methods[level] = (...args) => record(level, args);
  methods['dir'] = (...args) => record('log', args);
  methods['assert'] = (condition?: unknown, ...args) => {
    if (!condition) record('error', ['Assertion failed', ...args]);
  };
  return Object.freeze(methods);
}
