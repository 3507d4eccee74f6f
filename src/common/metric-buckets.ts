/**
 * Default histogram bucket boundaries, the same as the official Core SDK's: per SDK latency metric,
 * in milliseconds, or in seconds when durations are recorded in seconds (every boundary / 1000).
 * Histograms without their own set (custom ones included) get the default set.
 *
 * Sandbox-safe (shared by the worker's and the dev server's exporters).
 *
 * @module
 */

const WORKFLOW_E2E_MS = [100, 500, 1000, 1500, 2000, 5000, 10_000, 30_000, 60_000, 120_000, 300_000, 600_000, 1_800_000, 3_600_000, 30_600_000, 86_400_000];
const WORKFLOW_TASK_MS = [1, 10, 20, 50, 100, 200, 500, 1000];
const ACTIVITY_EXECUTION_MS = [50, 100, 500, 1000, 5000, 10_000, 60_000];
const SCHEDULE_TO_START_MS = [100, 500, 1000, 5000, 10_000, 100_000, 1_000_000];
const DEFAULT_MS = [50, 100, 500, 1000, 2500, 10_000];

const BY_NAME: Readonly<Record<string, readonly number[]>> = {
  workflow_endtoend_latency: WORKFLOW_E2E_MS,
  workflow_task_execution_latency: WORKFLOW_TASK_MS,
  workflow_task_replay_latency: WORKFLOW_TASK_MS,
  activity_execution_latency: ACTIVITY_EXECUTION_MS,
  workflow_task_schedule_to_start_latency: SCHEDULE_TO_START_MS,
  activity_schedule_to_start_latency: SCHEDULE_TO_START_MS,
};

/** The prefix Core strips before looking a histogram's buckets up. */
export const DEFAULT_METRIC_PREFIX = 'temporal_';

/**
 * The bucket boundaries of histogram `name` (with or without the `temporal_` prefix), in
 * milliseconds or, with `useSeconds`, in seconds.
 *
 * @example
 * ```ts
 * defaultBucketsFor('temporal_workflow_task_execution_latency', false); // [1, 10, 20, 50, 100, 200, 500, 1000]
 * defaultBucketsFor('my_histogram', true); // [0.05, 0.1, 0.5, 1, 2.5, 10]
 * ```
 */
export function defaultBucketsFor(name: string, useSeconds: boolean): number[] {
  const base = name.startsWith(DEFAULT_METRIC_PREFIX) ? name.slice(DEFAULT_METRIC_PREFIX.length) : name;
  const ms = BY_NAME[base] ?? DEFAULT_MS;
  return useSeconds ? ms.map((b) => b / 1000) : [...ms];
}

/**
 * The buckets of histogram `name`: the first override whose key occurs in the name (as Core
 * matches them), else {@link defaultBucketsFor}.
 *
 * @example
 * ```ts
 * bucketsFor('temporal_request_latency', false, { request_latency: [1, 5, 10] }); // [1, 5, 10]
 * ```
 */
export function bucketsFor(name: string, useSeconds: boolean, overrides: Readonly<Record<string, readonly number[]>> = {}): number[] {
  for (const [pattern, buckets] of Object.entries(overrides)) {
    if (name.includes(pattern)) return [...buckets];
  }
  return defaultBucketsFor(name, useSeconds);
}
