/**
 * Re-evaluating the predicates of pending `condition()` calls.
 *
 * @module
 */
import type { Activator } from './activator.js';

/**
 * Resolves every blocked condition whose predicate now holds, repeating until a pass resolves none
 * (resolving one may not change state synchronously, but a predicate may depend on another's
 * side effects). A throwing predicate fails the workflow task.
 *
 * @returns how many conditions were resolved
 */
export function unblockConditions(activator: Activator): number {
  if (activator.taskError !== undefined || activator.queryMode || activator.disposed) return 0;
  let unblocked = 0;
  for (;;) {
    const before = unblocked;
    for (const [seq, condition] of activator.blockedConditions) {
      let holds: boolean;
      try {
        holds = condition.fn();
      } catch (error) {
        activator.recordTaskError(error);
        return unblocked;
      }
      if (holds) {
        activator.blockedConditions.delete(seq);
        condition.resolve();
        unblocked++;
      }
    }
    if (unblocked === before) return unblocked;
  }
}
