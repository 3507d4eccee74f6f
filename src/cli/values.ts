/**
 * Flag values as the `temporal` CLI writes them: durations in Go syntax (`90s`, `1h30m`, plus `d`
 * for days), timestamps in RFC 3339, enum names in PascalCase (`AllowDuplicate`) or CONSTANT_CASE.
 *
 * @example
 * ```ts
 * parseDuration('1h30m', 'interval'); // 5_400_000
 * parseTimestamp('2024-05-01T00:00:00Z', 'start-time');
 * ```
 */
import { CliError } from './flags.js';

const UNIT_MS: Readonly<Record<string, number>> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

/** A Go-style duration (`10s`, `1h30m`, `1.5h`, `2d`) in milliseconds. */
export function parseDuration(text: string, flag: string): number {
  const fail = (): never => {
    throw new CliError(`--${flag} must be a duration such as 10s, 5m, 1h30m or 2d; got "${text}"`);
  };
  if (text === '0') return 0;
  const parts = text.match(/(\d+(?:\.\d+)?|\.\d+)(ns|us|µs|ms|s|m|h|d)/g);
  if (!parts || parts.join('') !== text) return fail();
  let total = 0;
  for (const part of parts) {
    const [, amount = '', unit = ''] = /^(\d*\.?\d+)(\D+)$/.exec(part) ?? [];
    total += Number(amount) * (UNIT_MS[unit] ?? fail());
  }
  return Math.round(total);
}

/** An RFC 3339 timestamp (`2024-05-01T12:00:00Z`, `2024-05-01T14:00:00+02:00`). */
export function parseTimestamp(text: string, flag: string): Date {
  const rfc3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
  const date = new Date(text);
  if (!rfc3339.test(text) || Number.isNaN(date.getTime())) {
    throw new CliError(`--${flag} must be an RFC 3339 timestamp such as 2024-05-01T12:00:00Z; got "${text}"`);
  }
  return date;
}

/** A non-negative integer flag. */
export function parseCount(text: string, flag: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(n)) throw new CliError(`--${flag} must be a non-negative integer; got "${text}"`);
  return n;
}

/** `AllowDuplicate` / `allow_duplicate` / `ALLOW_DUPLICATE` → `ALLOW_DUPLICATE`. */
export function constantName(text: string): string {
  return text
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[-\s]/g, '_')
    .toUpperCase();
}

/** Looks up an enum flag value among `allowed` (CONSTANT_CASE names), accepting PascalCase too. */
export function parseEnum<T extends string>(text: string | undefined, allowed: readonly T[], flag: string): T | undefined {
  if (text === undefined) return undefined;
  const name = constantName(text);
  const match = allowed.find((a) => a === name);
  if (match === undefined) {
    const pascal = allowed.map((a) => a.toLowerCase().replace(/(^|_)([a-z])/g, (_, _sep: string, c: string) => c.toUpperCase()));
    throw new CliError(`--${flag} must be one of ${pascal.join(', ')}; got "${text}"`);
  }
  return match;
}

/** `WORKFLOW_EXECUTION_STARTED` → `WorkflowExecutionStarted`. */
export function pascalName(constant: string): string {
  return constant.toLowerCase().replace(/(^|_)([a-z0-9])/g, (_, _sep: string, c: string) => c.toUpperCase());
}
