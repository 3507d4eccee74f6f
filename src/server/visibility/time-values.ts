/**
 * Time parsing shared by query literals and stored search-attribute values: RFC 3339 timestamps,
 * epoch nanoseconds and Go-style duration strings, all converted to whole milliseconds.
 *
 * @module
 */

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;
const NANOS_PER_MILLI = 1_000_000n;

/**
 * Parses an RFC 3339 / RFC 3339 Nano timestamp (`2024-01-01T00:00:00Z`,
 * `2024-01-01T00:00:00.123456789+02:00`) to epoch milliseconds, dropping sub-millisecond digits.
 *
 * @returns undefined when the text is not a valid RFC 3339 timestamp.
 */
export function parseRfc3339Millis(text: string): number | undefined {
  const m = RFC3339.exec(text);
  if (m === null) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const fraction = m[7] ?? '';
  const offsetSign = m[9] === '-' ? -1 : 1;
  const offsetHours = Number(m[10] ?? 0);
  const offsetMinutes = Number(m[11] ?? 0);
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, 0);
  const valid =
    date.getUTCMonth() === month - 1 && date.getUTCDate() === day && hour < 24 && minute < 60 && second < 60 && offsetHours < 24 && offsetMinutes < 60;
  if (!valid) return undefined;
  const millisOfSecond = Number(fraction.padEnd(3, '0').slice(0, 3));
  const offsetMillis = offsetSign * (offsetHours * 60 + offsetMinutes) * 60_000;
  return date.getTime() + millisOfSecond - offsetMillis;
}

/**
 * Converts an integer number of nanoseconds, written in decimal, to milliseconds (rounded down).
 *
 * @returns undefined when the text is not an integer or the result is not a safe integer.
 */
export function nanosTextToMillis(text: string): number | undefined {
  if (!/^-?\d+$/.test(text)) return undefined;
  const nanos = BigInt(text);
  let millis = nanos / NANOS_PER_MILLI;
  if (nanos < 0n && nanos % NANOS_PER_MILLI !== 0n) millis -= 1n;
  const result = Number(millis);
  return Number.isSafeInteger(result) ? result : undefined;
}

const DURATION_UNIT_MILLIS: Readonly<Record<string, number>> = {
  ns: 1e-6,
  us: 1e-3,
  'µs': 1e-3,
  'μs': 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};
const DURATION = /^(?:(?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|μs|ms|s|m|h|d))+$/;
const DURATION_PART = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h|d)/g;

/**
 * Parses a Go-style duration string (`'100ms'`, `'5s'`, `'1h30m'`, `'1.5h'`, also `'2d'`) to
 * milliseconds (rounded down). Negative durations are not accepted.
 *
 * @returns undefined when the text is not a duration.
 */
export function parseDurationMillis(text: string): number | undefined {
  if (!DURATION.test(text)) return undefined;
  let total = 0;
  for (const [, amount, unit] of text.matchAll(DURATION_PART)) {
    total += Number(amount) * (DURATION_UNIT_MILLIS[unit ?? ''] ?? Number.NaN);
  }
  const millis = Math.floor(total + 1e-9);
  return Number.isSafeInteger(millis) ? millis : undefined;
}
