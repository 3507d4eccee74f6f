/**
 * Task queue configuration set through UpdateTaskQueueConfig (`temporal task-queue config set`): a
 * rate limit for the whole queue, which takes precedence over the one workers send with their polls,
 * and fairness weight overrides, which take precedence over the weights tasks carry. Kept in the
 * `task_queue_configs` table, one document per queue and kind (the store's TaskKind: workflow or
 * activity tasks), and cached as read.
 *
 * @module
 */
import type Database from 'better-sqlite3';

/** Who set a limit, why and when (Temporal's ConfigMetadata). */
export interface ConfigMetadata {
  reason: string;
  identity: string;
  /** Epoch ms. */
  updateTime: number;
}

/** A queue's stored configuration. */
export interface TaskQueueConfig {
  /** The queue's rate limit: `rate` per second, or none when absent (the metadata of the last change stays). */
  queueRateLimit?: { rate?: number; metadata: ConfigMetadata };
  /** Weights by fairness key, replacing the tasks' own. */
  fairnessWeightOverrides: Record<string, number>;
}

/**
 * @example
 * ```ts
 * const configs = new TaskQueueConfigs(store.db);
 * configs.update('default', 'orders', TaskKind.Activity, (c) => ({ ...c, queueRateLimit: { rate: 5, metadata } }));
 * configs.get('default', 'orders', TaskKind.Activity).queueRateLimit?.rate; // 5
 * ```
 */
export class TaskQueueConfigs {
  private readonly cache = new Map<string, TaskQueueConfig>();
  private readonly s;

  constructor(db: Database.Database) {
    this.s = {
      get: db.prepare(`SELECT data FROM task_queue_configs WHERE namespace = ? AND task_queue = ? AND kind = ?`),
      put: db.prepare(
        `INSERT INTO task_queue_configs (namespace, task_queue, kind, data) VALUES (?, ?, ?, ?)
         ON CONFLICT (namespace, task_queue, kind) DO UPDATE SET data = excluded.data`,
      ),
    };
  }

  /** The queue's configured weight of a fairness key, if it has one. */
  weightOverride(namespace: string, taskQueue: string, kind: number, fairnessKey: string): number | undefined {
    const overrides = this.get(namespace, taskQueue, kind).fairnessWeightOverrides;
    return Object.hasOwn(overrides, fairnessKey) ? overrides[fairnessKey] : undefined;
  }

  /** The queue's configuration (empty when never set). */
  get(namespace: string, taskQueue: string, kind: number): TaskQueueConfig {
    const key = `${kind}\u0000${namespace}\u0000${taskQueue}`;
    let config = this.cache.get(key);
    if (config === undefined) {
      const row = this.s.get.get(namespace, taskQueue, kind) as { data: string } | undefined;
      config = row ? (JSON.parse(row.data) as TaskQueueConfig) : { fairnessWeightOverrides: {} };
      this.cache.set(key, config);
    }
    return config;
  }

  /** Replaces the queue's configuration with `change(current)`, stored before it is cached. */
  update(namespace: string, taskQueue: string, kind: number, change: (current: TaskQueueConfig) => TaskQueueConfig): TaskQueueConfig {
    const next = change(this.get(namespace, taskQueue, kind));
    this.s.put.run(namespace, taskQueue, kind, JSON.stringify(next));
    this.cache.set(`${kind}\u0000${namespace}\u0000${taskQueue}`, next);
    return next;
  }
}
