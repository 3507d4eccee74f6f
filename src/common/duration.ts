/**
 * Durations as users write them (`'10s'`, `'1 day'`, or a number of milliseconds) and their
 * conversion to and from the protobuf `{ seconds, nanos }` shape.
 *
 * @module
 */
import Long from 'long';
import ms from 'ms';
import type { TimestampLike } from './proto-types.js';
import { describeValue } from './type-helpers.js';
import { ValueError } from './value-error.js';

/** An `ms`-formatted duration string such as `'10s'`, `'1.5 hours'` or `'2 days'`. */
export type StringValue = ms.StringValue;

/**
 * A duration: a number of milliseconds, or an {@link https://www.npmjs.com/package/ms | ms}-style
 * string (`'10s'`, `'1 day'`, `'500ms'`).
 */
export type Duration = string | number;

/**
 * Duration strings already parsed: workflow code passes the same few option strings on every
 * activity call and timer, and `ms`'s regular expression costs several microseconds each time.
 * Bounded, so varying strings cannot grow it without limit.
 */
const parsedDurations = new Map<string, number>();
const PARSED_DURATIONS_MAX = 512;

/**
 * Converts a {@link Duration} to milliseconds.
 *
 * @throws TypeError naming the value when it is neither a number nor a parseable duration string
 * @example
 * ```ts
 * msToNumber('1 minute'); // 60000
 * msToNumber(250); // 250
 * ```
 */
export function msToNumber(value: Duration): number {
  if (typeof value === 'number') {
    if (Number.isNaN(value)) throw new TypeError('Invalid duration: NaN is not a number of milliseconds');
    return value;
  }
  if (typeof value !== 'string') {
    throw new TypeError(
      `Invalid duration: expected a number of milliseconds or a string like '10s', got ${describeValue(value)}`
    );
  }
  const cached = parsedDurations.get(value);
  if (cached !== undefined) return cached;
  let millis: number | undefined;
  try {
    millis = ms(value as StringValue) as number | undefined;
  } catch {
    millis = undefined;
  }
  if (typeof millis !== 'number' || Number.isNaN(millis)) {
    throw new TypeError(`Invalid duration string: '${value}' (expected e.g. '10s', '5 minutes', '1 day' or '250ms')`);
  }
  if (parsedDurations.size >= PARSED_DURATIONS_MAX) parsedDurations.clear();
  parsedDurations.set(value, millis);
  return millis;
}


/** {@link msToNumber}, passing `undefined` through. */
export function msOptionalToNumber(value: Duration | undefined): number | undefined {
  return value === undefined ? undefined : msToNumber(value);
}

/**
 * Milliseconds to a protobuf `Duration`. Seconds and nanos carry the same sign, as the protobuf
 * spec requires; `seconds` is a `Long`.
 *
 * @throws ValueError when `millis` is NaN or infinite
 */
export function msNumberToTs(millis: number): { seconds: Long; nanos: number } {
  if (!Number.isFinite(millis)) {
    throw new ValueError(`Invalid duration: ${millis} milliseconds cannot be represented as seconds and nanos`);
  }
  let seconds = Math.trunc(millis / 1000);
  let nanos = Math.round((millis - seconds * 1000) * 1_000_000);
  if (Math.abs(nanos) >= 1_000_000_000) {
    seconds += Math.sign(nanos);
    nanos -= Math.sign(nanos) * 1_000_000_000;
  }
  return { seconds: Long.fromNumber(seconds), nanos: nanos === 0 ? 0 : nanos };
}

/**
 * A {@link Duration} to a protobuf `Duration` (`{ seconds: Long, nanos }`).
 *
 * @example
 * ```ts
 * msToTs('1.5s'); // { seconds: Long(1), nanos: 500000000 }
 * ```
 */
export function msToTs(value: Duration): { seconds: Long; nanos: number } {
  return msNumberToTs(msToNumber(value));
}

/** {@link msToTs}, passing `null` and `undefined` through as `undefined`. */
export function msOptionalToTs(value: Duration | undefined | null): { seconds: Long; nanos: number } | undefined {
  return value === undefined || value === null ? undefined : msToTs(value);
}

/** An int64 field (`Long`, `number`, or a decimal string from JSON) as a JS number (lossy past 2^53). */
export function int64ToNumber(value: Long | number | string | null | undefined): number {
  if (value === null || value === undefined) return 0;
  if (typeof value === 'number') return value;
  if (typeof value === 'string') return Number(value);
  return Long.isLong(value) ? value.toNumber() : Number(value);
}

/**
 * A protobuf `Timestamp`/`Duration` to milliseconds (lossy past 2^53 ms).
 *
 * @throws TypeError when `ts` is null or undefined
 */
export function tsToMs(ts: TimestampLike | null | undefined): number {
  if (ts === undefined || ts === null) throw new TypeError(`Expected a timestamp, got ${ts}`);
  const nanos = ts.nanos ?? 0;
  return int64ToNumber(ts.seconds) * 1000 + Math.trunc(nanos / 1_000_000);
}

/** {@link tsToMs}, passing `null` and `undefined` through as `undefined`. */
export function optionalTsToMs(ts: TimestampLike | null | undefined): number | undefined {
  return ts === undefined || ts === null ? undefined : tsToMs(ts);
}

/**
 * {@link tsToMs} for a required field.
 *
 * @throws TypeError naming `fieldName` when `ts` is missing
 */
export function requiredTsToMs(ts: TimestampLike | null | undefined, fieldName: string): number {
  if (ts === undefined || ts === null) throw new TypeError(`Expected ${fieldName} to be a timestamp, got ${ts}`);
  return tsToMs(ts);
}

/** A protobuf `Timestamp` to a `Date`. */
export function tsToDate(ts: TimestampLike): Date {
  return new Date(tsToMs(ts));
}

/** {@link tsToDate}, passing `null` and `undefined` through as `undefined`. */
export function optionalTsToDate(ts: TimestampLike | null | undefined): Date | undefined {
  return ts === undefined || ts === null ? undefined : tsToDate(ts);
}

/** {@link tsToDate} for a required field; throws a TypeError naming `fieldName` when missing. */
export function requiredTsToDate(ts: TimestampLike | null | undefined, fieldName: string): Date {
  return new Date(requiredTsToMs(ts, fieldName));
}

/**
 * Epoch milliseconds to a protobuf `Timestamp`: seconds are floored so that nanos are never
 * negative, as the protobuf spec requires for timestamps before 1970.
 */
export function msToTimestamp(epochMillis: number): { seconds: Long; nanos: number } {
  if (!Number.isFinite(epochMillis)) throw new ValueError(`Invalid timestamp: ${epochMillis} milliseconds`);
  const seconds = Math.floor(epochMillis / 1000);
  const nanos = Math.round((epochMillis - seconds * 1000) * 1_000_000);
  return { seconds: Long.fromNumber(seconds), nanos };
}

/** A `Date` to a protobuf `Timestamp`, passing `null` and `undefined` through as `undefined`. */
export function optionalDateToTs(date: Date | null | undefined): { seconds: Long; nanos: number } | undefined {
  return date === undefined || date === null ? undefined : msToTimestamp(date.getTime());
}
