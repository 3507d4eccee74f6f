/**
 * Priority of a workflow, activity or child workflow: which of a task queue's tasks the server hands
 * out first (`priorityKey`), and how it shares the queue among `fairnessKey`s.
 *
 * @module
 */

/**
 * How the server orders a task among its queue's others.
 *
 * @example
 * ```ts
 * await client.workflow.start(report, { taskQueue: 'reports', workflowId: 'r-1', priority: { priorityKey: 1 } });
 * ```
 */
export interface Priority {
  /**
   * Lower keys are dispatched first: 1 is the highest priority, Temporal's default has 5 levels and
   * treats an unset key as 3. A workflow's activities and children inherit it unless they set their own.
   */
  priorityKey?: number;
  /** The fairness bucket of the task among tasks of the same priority (at most 64 bytes). */
  fairnessKey?: string;
  /** The weight of the fairness bucket (positive). */
  fairnessWeight?: number;
}

/**
 * Checks a priority and returns it with only its set fields (so an absent one stays absent on the
 * wire and a workflow's priority fills it in).
 *
 * @throws TypeError for a key that is not an integer, a fairness key that is not a string, or a weight that is not a finite number
 * @throws RangeError for a negative key or weight
 * @example
 * ```ts
 * compilePriority({ priorityKey: 2 }); // { priorityKey: 2 }
 * ```
 */
export function compilePriority(priority: Priority): Priority {
  if (typeof priority !== 'object' || priority === null) throw new TypeError(`priority must be an object, got ${String(priority)}`);
  const { priorityKey, fairnessKey, fairnessWeight } = priority;
  const compiled: Priority = {};
  if (priorityKey !== undefined && priorityKey !== null) {
    if (!Number.isInteger(priorityKey)) throw new TypeError('priorityKey must be an integer');
    if (priorityKey < 0) throw new RangeError('priorityKey must be a positive integer');
    if (priorityKey > 0) compiled.priorityKey = priorityKey;
  }
  if (fairnessKey !== undefined && fairnessKey !== null) {
    if (typeof fairnessKey !== 'string') throw new TypeError('fairnessKey must be a string');
    if (fairnessKey !== '') compiled.fairnessKey = fairnessKey;
  }
  if (fairnessWeight !== undefined && fairnessWeight !== null) {
    if (typeof fairnessWeight !== 'number' || !Number.isFinite(fairnessWeight)) throw new TypeError('fairnessWeight must be a finite number');
    if (fairnessWeight < 0) throw new RangeError('fairnessWeight must not be negative');
    if (fairnessWeight > 0) compiled.fairnessWeight = fairnessWeight;
  }
  return compiled;
}

/**
 * A priority from its wire form (unset fields absent).
 *
 * @example
 * ```ts
 * decodePriority({ priorityKey: 2, fairnessKey: '' }); // { priorityKey: 2 }
 * ```
 */
export function decodePriority(priority: { priorityKey?: number | null; fairnessKey?: string | null; fairnessWeight?: number | null } | null | undefined): Priority | undefined {
  if (!priority) return undefined;
  const decoded: Priority = {};
  if (priority.priorityKey) decoded.priorityKey = priority.priorityKey;
  if (priority.fairnessKey) decoded.fairnessKey = priority.fairnessKey;
  if (priority.fairnessWeight) decoded.fairnessWeight = priority.fairnessWeight;
  return Object.keys(decoded).length > 0 ? decoded : undefined;
}
