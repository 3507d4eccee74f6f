/**
 * Who polled a task queue recently, for DescribeTaskQueue: as Temporal's matching service keeps it,
 * one entry per poller identity and task type, stamped when a poll starts and forgotten five minutes
 * after the identity's last poll. Kept in memory and in wall-clock time (it is about workers, never
 * workflow time), so after a restart a queue has no pollers until its workers poll again.
 *
 * @module
 */
import type { ProtoTypes } from '../../proto/index.js';

type IWorkerVersionCapabilities = ProtoTypes.temporal.api.common.v1.IWorkerVersionCapabilities;
type IWorkerDeploymentOptions = ProtoTypes.temporal.api.deployment.v1.IWorkerDeploymentOptions;

/** How long a poller stays listed after its last poll (Temporal's matching.PollerHistoryTTL: 5 min). */
export const POLLER_HISTORY_TTL_MS = 5 * 60_000;
/** The most pollers remembered per queue and task type (Temporal: 1000); the least recent give way. */
export const MAX_POLLERS_PER_QUEUE = 1000;
/** The rate a poller reports when its poll sets no maxTasksPerSecond (Temporal's default dispatch rate). */
export const DEFAULT_POLLER_RATE_PER_SECOND = 100_000;

/** What a poll says about its worker. */
export interface PollerMetadata {
  readonly identity: string;
  /** The poll's taskQueueMetadata.maxTasksPerSecond (activity polls), if set. */
  readonly maxTasksPerSecond?: number;
  readonly workerVersionCapabilities?: IWorkerVersionCapabilities | null;
  readonly deploymentOptions?: IWorkerDeploymentOptions | null;
}

/** One listed poller; `lastAccessTime` is wall-clock ms. */
export interface PollerRecord extends PollerMetadata {
  readonly lastAccessTime: number;
}

/**
 * Remembers pollers per (namespace, task queue, task type).
 *
 * @example
 * ```ts
 * const history = new PollerHistory();
 * history.record('default', 'orders', 1, { identity: 'worker-1@host' });
 * history.pollers('default', 'orders', 1); // [{ identity: 'worker-1@host', lastAccessTime: … }]
 * ```
 */
export class PollerHistory {
  /** queue key → identity → last poll (a Map keeps insertion order: re-inserting moves to the end). */
  private readonly queues = new Map<string, Map<string, PollerRecord>>();
  private lastSweep: number;

  /** @param now wall clock (injectable for tests) */
  constructor(
    private readonly now: () => number = Date.now,
    readonly ttlMs = POLLER_HISTORY_TTL_MS,
  ) {
    this.lastSweep = now();
  }

  /** Records that a poll started. */
  record(namespace: string, queue: string, taskType: number, poller: PollerMetadata): void {
    const now = this.now();
    const key = queueKey(namespace, queue, taskType);
    let byIdentity = this.queues.get(key);
    if (!byIdentity) this.queues.set(key, (byIdentity = new Map()));
    byIdentity.delete(poller.identity);
    byIdentity.set(poller.identity, { ...poller, lastAccessTime: now });
    if (byIdentity.size > MAX_POLLERS_PER_QUEUE) byIdentity.delete(byIdentity.keys().next().value as string);
    // Queues nobody polls any more (sticky queues of stopped workers) are dropped now and then.
    if (now - this.lastSweep > this.ttlMs) this.sweep(now);
  }

  /** The pollers of a queue and task type seen within the TTL, most recent last. */
  pollers(namespace: string, queue: string, taskType: number): PollerRecord[] {
    const key = queueKey(namespace, queue, taskType);
    const byIdentity = this.queues.get(key);
    if (!byIdentity) return [];
    this.expire(key, byIdentity, this.now());
    return [...byIdentity.values()];
  }

  /** Forgets a queue's pollers of every task type (its worker shut down). */
  forget(namespace: string, queue: string): void {
    const prefix = `${namespace}\u0000${queue}\u0000`;
    for (const key of this.queues.keys()) if (key.startsWith(prefix)) this.queues.delete(key);
  }

  private sweep(now: number): void {
    this.lastSweep = now;
    for (const [key, byIdentity] of this.queues) this.expire(key, byIdentity, now);
  }

  private expire(key: string, byIdentity: Map<string, PollerRecord>, now: number): void {
    // Oldest first: stop at the first one still within the TTL.
    for (const [identity, record] of byIdentity) {
      if (now - record.lastAccessTime <= this.ttlMs) break;
      byIdentity.delete(identity);
    }
    if (byIdentity.size === 0) this.queues.delete(key);
  }
}

const queueKey = (namespace: string, queue: string, taskType: number): string => `${namespace}\u0000${queue}\u0000${taskType}`;
