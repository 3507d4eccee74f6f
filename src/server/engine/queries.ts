/**
 * Workflow queries. Queries are not durable (as in Temporal): they live in memory while the caller
 * waits. A query is either attached to the run's next workflow task or dispatched on its own as a
 * legacy query task when the run has no task pending.
 */
import { randomUUID } from 'node:crypto';
import type { ProtoTypes } from '../../proto/index.js';
import { runKey } from './effects.js';

type IWorkflowQuery = ProtoTypes.temporal.api.query.v1.IWorkflowQuery;

export interface QueryAnswer {
  readonly ok: boolean;
  readonly result?: ProtoTypes.temporal.api.common.v1.IPayloads | null;
  readonly errorMessage?: string;
  readonly failure?: ProtoTypes.temporal.api.failure.v1.IFailure | null;
}

export interface PendingQuery {
  readonly id: string;
  readonly namespace: string;
  readonly runId: string;
  readonly taskQueue: string;
  readonly query: IWorkflowQuery;
  state: 'buffered' | 'attached' | 'legacy' | 'dispatched';
  resolve(answer: QueryAnswer): void;
}

export class QueryRegistry {
  private readonly byId = new Map<string, PendingQuery>();

  /** Registers a query; the promise settles when a worker answers (or the caller gives up). */
  add(namespace: string, runId: string, taskQueue: string, query: IWorkflowQuery, legacy: boolean): { id: string; answer: Promise<QueryAnswer> } {
    const id = randomUUID();
    const answer = new Promise<QueryAnswer>((resolve) => {
      this.byId.set(id, { id, namespace, runId, taskQueue, query, state: legacy ? 'legacy' : 'buffered', resolve });
    });
    return { id, answer };
  }

  remove(id: string): void {
    this.byId.delete(id);
  }

  answer(id: string, answer: QueryAnswer): boolean {
    const q = this.byId.get(id);
    if (!q) return false;
    this.byId.delete(id);
    q.resolve(answer);
    return true;
  }

  /** Buffered queries of a run, marked attached to the task being started. */
  attachTo(namespace: string, runId: string): Record<string, IWorkflowQuery> {
    const out: Record<string, IWorkflowQuery> = {};
    for (const q of this.byId.values()) {
      if (q.state === 'buffered' && q.namespace === namespace && q.runId === runId) {
        q.state = 'attached';
        out[q.id] = q.query;
      }
    }
    return out;
  }

  /** Queries attached to a task that ended without answering them go back to the buffer. */
  detachAll(namespace: string, runId: string): void {
    for (const q of this.byId.values()) {
      if (q.state === 'attached' && q.namespace === namespace && q.runId === runId) q.state = 'buffered';
    }
  }

  /** Turns a run's buffered queries into legacy query tasks (the run has no task pending). */
  releaseToLegacy(namespace: string, runId: string): Set<string> {
    const queues = new Set<string>();
    for (const q of this.byId.values()) {
      if (q.state === 'buffered' && q.namespace === namespace && q.runId === runId) {
        q.state = 'legacy';
        queues.add(q.taskQueue);
      }
    }
    return queues;
  }

  /** Whether any query of the run waits for a task. */
  hasBuffered(key: string): boolean {
    for (const q of this.byId.values()) if (q.state === 'buffered' && runKey(q.namespace, q.runId) === key) return true;
    return false;
  }

  /** Takes the oldest legacy query task for a task queue. */
  takeLegacy(namespace: string, taskQueue: string): PendingQuery | undefined {
    for (const q of this.byId.values()) {
      if (q.state === 'legacy' && q.namespace === namespace && q.taskQueue === taskQueue) {
        q.state = 'dispatched';
        return q;
      }
    }
    return undefined;
  }
}
