/**
 * Fair dispatch among a task queue's fairness keys, as Temporal's matching service does it (stride
 * scheduling): each task gets a "pass" when it is added, its key's previous pass plus a stride of
 * 1000 / weight (weight 1 when unset), but never below the level already dispatched; within a priority
 * key, tasks are taken in order of pass, then age. So a key with a deep backlog cannot hold back a key
 * with few tasks, and a key of weight 2 gets twice the dispatches of a key of weight 1. Tasks without a
 * fairness key share the key "" (alone, that is first in, first out).
 *
 * The counters live in memory (Temporal's are approximate too); after a restart they start again from
 * the lowest pass still queued.
 *
 * @module
 */

/** Temporal's stride factor: a task of weight 1 advances its key's pass by this much. */
const STRIDE = 1000;
/** Temporal's smallest weight. */
const MIN_WEIGHT = 0.001;
/** Keys remembered per queue and priority; a forgotten key starts again at the dispatched level. */
const MAX_KEYS = 10_000;
/** Queue and priority levels remembered; a forgotten one starts again from the lowest pass queued. */
const MAX_LEVELS = 10_000;

/** A task queue of one kind (workflow or activity tasks). */
export interface QueueRef {
  readonly namespace: string;
  readonly taskQueue: string;
  readonly kind: number;
}

interface Level {
  /** The highest pass dispatched (Temporal's ack level): no new task gets a lower one. */
  base: number;
  /** The last pass given to each fairness key. */
  readonly keys: Map<string, number>;
}

/**
 * @example
 * ```ts
 * const passes = new FairnessPasses((queue, priority) => store.lowestPass(queue, priority));
 * const pass = passes.next(queue, 3, 'tenant-a', 1); // store it with the task
 * passes.dispatched(queue, 3, pass);                  // when the task is taken
 * ```
 */
export class FairnessPasses {
  private readonly levels = new Map<string, Level>();

  /**
   * @param initialBase the lowest pass still queued at a queue's priority (after a restart), 0 if none
   * @param weightOverride the queue's configured weight of a fairness key, if any (it replaces the task's)
   */
  constructor(
    private readonly initialBase: (queue: QueueRef, priority: number) => number,
    private readonly weightOverride: (queue: QueueRef, fairnessKey: string) => number | undefined = () => undefined,
  ) {}

  /** The pass of a new task of `fairnessKey` (with `weight`, 0 meaning 1) at the queue's `priority`. */
  next(queue: QueueRef, priority: number, fairnessKey: string, weight: number): number {
    const level = this.level(queue, priority);
    const effective = this.weightOverride(queue, fairnessKey) ?? weight;
    const stride = Math.max(1, Math.floor(STRIDE / (effective > 0 ? Math.max(effective, MIN_WEIGHT) : 1)));
    const previous = level.keys.get(fairnessKey);
    const pass = Math.max(level.base, (previous ?? 0) + stride);
    if (previous === undefined && level.keys.size >= MAX_KEYS) level.keys.delete(level.keys.keys().next().value as string);
    level.keys.delete(fairnessKey);
    level.keys.set(fairnessKey, pass);
    return pass;
  }

  /** Records that a task with `pass` was dispatched (a pass of 0, a sticky queue's, is not tracked). */
  dispatched(queue: QueueRef, priority: number, pass: number): void {
    if (pass <= 0) return;
    const level = this.level(queue, priority);
    if (pass > level.base) level.base = pass;
  }

  private level(queue: QueueRef, priority: number): Level {
    const id = `${queue.kind}\u0000${queue.namespace}\u0000${queue.taskQueue}\u0000${priority}`;
    let level = this.levels.get(id);
    if (level === undefined) {
      if (this.levels.size >= MAX_LEVELS) this.levels.delete(this.levels.keys().next().value as string);
      this.levels.set(id, (level = { base: this.initialBase(queue, priority), keys: new Map() }));
    }
    return level;
  }
}
