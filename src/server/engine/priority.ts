/**
 * Task priority, as Temporal's matching service applies it: a priority key from 1 (dispatched
 * first) to 5 (last), 3 when unset, clipped into that range; within a key, first added first out.
 * An activity's or child's priority overrides its workflow's field by field, and a run that continues
 * a chain keeps its predecessor's. Within a key, fairness keys take turns (matching/fairness-passes.ts).
 *
 * @module
 */
import { decodePriority, type Priority } from '../../common/priority.js';
import { invalidArgument } from '../errors.js';
import type { IPriority } from './proto-types.js';

/** Temporal's default number of priority levels (`matching.priorityLevels`). */
export const PRIORITY_LEVELS = 5;
/** The key of a task whose priority sets none: the middle level. */
export const DEFAULT_PRIORITY_KEY = (PRIORITY_LEVELS + 1) / 2;
/** Temporal's limit on a fairness key, in bytes. */
const FAIRNESS_KEY_MAX_BYTES = 64;

/**
 * Checks a request's or command's priority as Temporal's frontend does.
 *
 * @throws INVALID_ARGUMENT for a negative key or weight, or a fairness key over 64 bytes.
 */
export function validatePriority(priority: IPriority | null | undefined): void {
  if (!priority) return;
  if ((priority.priorityKey ?? 0) < 0) throw invalidArgument("priority key can't be negative");
  if (Buffer.byteLength(priority.fairnessKey ?? '') > FAIRNESS_KEY_MAX_BYTES) throw invalidArgument('fairness key length exceeds limit');
  if ((priority.fairnessWeight ?? 0) < 0) throw invalidArgument('must be greater than zero');
}

/**
 * `override`'s fields where set, else `base`'s (Temporal's merge of a workflow's priority with an
 * activity's or child's).
 *
 * @example
 * ```ts
 * mergePriority({ priorityKey: 1, fairnessKey: 'a' }, { priorityKey: 4 }); // { priorityKey: 4, fairnessKey: 'a' }
 * ```
 */
export function mergePriority(base: Priority | undefined, override: Priority | undefined): Priority | undefined {
  if (base === undefined) return override;
  if (override === undefined) return base;
  return { ...base, ...override };
}

/** Field-mask paths (snake_case) of a priority's fields. */
export const PRIORITY_MASK_FIELDS: Readonly<Record<string, keyof Priority>> = {
  'priority.priority_key': 'priorityKey',
  'priority.fairness_key': 'fairnessKey',
  'priority.fairness_weight': 'fairnessWeight',
};

/**
 * A priority after a masked update (UpdateActivityOptions, UpdateWorkflowExecutionOptions): all of
 * `given` when `paths` name `priority`, else `current` with the fields the paths name taken from
 * `given`; undefined when no field is left set.
 *
 * @example
 * ```ts
 * maskedPriority({ priorityKey: 2, fairnessKey: 'a' }, { priorityKey: 1 }, ['priority.priority_key']); // { priorityKey: 1, fairnessKey: 'a' }
 * ```
 */
export function maskedPriority(current: Priority | undefined, given: Priority | undefined, paths: readonly string[]): Priority | undefined {
  if (paths.includes('priority')) return given;
  const next: Priority = { ...current };
  for (const path of paths) {
    const field = PRIORITY_MASK_FIELDS[path];
    if (field !== undefined) Object.assign(next, { [field]: given?.[field] });
  }
  return decodePriority(next);
}

/** The key a task is dispatched by: unset means {@link DEFAULT_PRIORITY_KEY}; clipped to 1…{@link PRIORITY_LEVELS}. */
export function dispatchPriorityKey(priority: Priority | undefined): number {
  const key = priority?.priorityKey ?? DEFAULT_PRIORITY_KEY;
  return Math.min(Math.max(key, 1), PRIORITY_LEVELS);
}
