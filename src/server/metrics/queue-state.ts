/**
 * Reads the task-queue state the dev server's metrics report: pending tasks from the store's
 * `tasks` table and waiting long polls from the matching waiters.
 *
 * @module
 */
import type { Waiters } from '../matching/waiters.js';
import { TaskKind, type Store } from '../store/store.js';
import type { QueueStateSource } from './server-metrics.js';

type TaskType = 'Workflow' | 'Activity';

function taskType(kind: number): TaskType | undefined {
  if (kind === TaskKind.Workflow) return 'Workflow';
  if (kind === TaskKind.Activity) return 'Activity';
  return undefined;
}

/**
 * A {@link QueueStateSource} over the store and the waiters.
 *
 * @example
 * ```ts
 * metrics.watchQueues(queueStateSource(engine.store, engine.waiters));
 * ```
 */
export function queueStateSource(store: Store, waiters: Waiters): QueueStateSource {
  const backlogQuery = store.db.prepare(
    `SELECT namespace, task_queue AS taskQueue, kind, count(*) AS n FROM tasks GROUP BY namespace, task_queue, kind`,
  );
  return {
    backlog() {
      const rows = backlogQuery.all() as Array<{ namespace: string; taskQueue: string; kind: number; n: number }>;
      return rows.flatMap((r) => {
        const type = taskType(r.kind);
        return type ? [{ namespace: r.namespace, taskQueue: r.taskQueue, taskType: type, count: r.n }] : [];
      });
    },
    pollers() {
      // Task-queue waiter keys are `${kind}\0${namespace}\0${taskQueue}` (see engine/effects.ts queueKey).
      return waiters.keyCounts().flatMap(([key, count]) => {
        const [kind, namespace, taskQueue] = key.split('\u0000');
        const type = taskType(Number(kind));
        return type && namespace !== undefined && taskQueue !== undefined ? [{ namespace, taskQueue, taskType: type, count }] : [];
      });
    },
  };
}
