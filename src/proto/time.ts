import Long from 'long';
import type * as P from '@temporalio/proto';

type Timestamp = P.google.protobuf.ITimestamp;
type Duration = P.google.protobuf.IDuration;

/** A JS number as a protobuf int64 (Long). */
export function int64(value: number): Long {
  return Long.fromNumber(value);
}

/** A Long, number or null/undefined as a JS number (0 for absent). */
export function longToNumber(value: Long | number | string | null | undefined): number {
  if (value === null || value === undefined) return 0;
  if (typeof value === 'number') return value;
  if (typeof value === 'string') return Number(value);
  return value.toNumber();
}

/** Milliseconds as whole seconds and nanoseconds (the shape of Timestamp and Duration). */
function secondsAndNanos(ms: number): { seconds: Long; nanos: number } {
  const seconds = Math.floor(ms / 1000);
  return { seconds: Long.fromNumber(seconds), nanos: Math.round((ms - seconds * 1000) * 1_000_000) };
}

/** Epoch milliseconds → google.protobuf.Timestamp. */
export function tsFromMs(ms: number): Timestamp {
  return secondsAndNanos(ms);
}

/** google.protobuf.Timestamp → epoch milliseconds (undefined when absent). */
export function msFromTs(ts: Timestamp | null | undefined): number | undefined {
  if (ts === null || ts === undefined) return undefined;
  return longToNumber(ts.seconds) * 1000 + Math.floor((ts.nanos ?? 0) / 1_000_000);
}

/** Milliseconds → google.protobuf.Duration. */
export function durationFromMs(ms: number): Duration {
  return secondsAndNanos(ms);
}

/** google.protobuf.Duration → milliseconds (undefined when absent). */
export function msFromDuration(d: Duration | null | undefined): number | undefined {
  if (d === null || d === undefined) return undefined;
  return longToNumber(d.seconds) * 1000 + Math.floor((d.nanos ?? 0) / 1_000_000);
}
