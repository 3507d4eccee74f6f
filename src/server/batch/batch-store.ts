/**
 * Persistence of batch operations: one JSON document per job (`batch_jobs`) and the executions a
 * job applies to, snapshot when it starts (`batch_targets`, walked by id).
 *
 * @module
 */
import type Database from 'better-sqlite3';
import type { BatchJob } from './batch-job.js';

/** One execution a batch job applies its operation to. */
export interface BatchTarget {
  readonly id: number;
  readonly workflowId: string;
  readonly runId: string;
}

/**
 * Batch jobs and their targets in the dev server's database.
 *
 * @example
 * ```ts
 * const jobs = new BatchStore(store.db);
 * jobs.put(job);
 * jobs.nextTargets(job.namespace, job.jobId, job.cursor, 50);
 * ```
 */
export class BatchStore {
  private readonly s;

  constructor(private readonly db: Database.Database) {
    this.s = {
      get: db.prepare(`SELECT data FROM batch_jobs WHERE namespace = ? AND job_id = ?`),
      put: db.prepare(
        `INSERT INTO batch_jobs (namespace, job_id, start_time, data) VALUES (?, ?, ?, ?)
         ON CONFLICT (namespace, job_id) DO UPDATE SET data = excluded.data`,
      ),
      list: db.prepare(
        `SELECT data FROM batch_jobs WHERE namespace = ? AND (start_time < ? OR (start_time = ? AND job_id > ?))
         ORDER BY start_time DESC, job_id LIMIT ?`,
      ),
      running: db.prepare(`SELECT data FROM batch_jobs WHERE json_extract(data, '$.state') = 'running' ORDER BY start_time`),
      addTarget: db.prepare(`INSERT INTO batch_targets (namespace, job_id, workflow_id, run_id) VALUES (?, ?, ?, ?)`),
      next: db.prepare(
        `SELECT id, workflow_id AS workflowId, run_id AS runId FROM batch_targets WHERE namespace = ? AND job_id = ? AND id > ? ORDER BY id LIMIT ?`,
      ),
      dropTargets: db.prepare(`DELETE FROM batch_targets WHERE namespace = ? AND job_id = ?`),
      deleteClosed: db.prepare(
        `DELETE FROM batch_jobs WHERE namespace = ? AND json_extract(data, '$.state') != 'running' AND json_extract(data, '$.closeTime') < ?`,
      ),
    };
  }

  get(namespace: string, jobId: string): BatchJob | undefined {
    const row = this.s.get.get(namespace, jobId) as { data: string } | undefined;
    return row && (JSON.parse(row.data) as BatchJob);
  }

  put(job: BatchJob): void {
    this.s.put.run(job.namespace, job.jobId, job.startTime, JSON.stringify(job));
  }

  /** A namespace's jobs, newest first, after the job `after` (paging). */
  list(namespace: string, after: { startTime: number; jobId: string } | undefined, limit: number): BatchJob[] {
    const t = after?.startTime ?? Number.MAX_SAFE_INTEGER;
    const rows = this.s.list.all(namespace, t, t, after?.jobId ?? '', limit) as { data: string }[];
    return rows.map((r) => JSON.parse(r.data) as BatchJob);
  }

  /** Deletes a namespace's finished jobs that closed before `closedBefore` (their targets are gone already); returns how many. */
  deleteClosedBefore(namespace: string, closedBefore: number): number {
    return this.s.deleteClosed.run(namespace, closedBefore).changes;
  }

  /** Every job still running, oldest first (of all namespaces). */
  running(): BatchJob[] {
    return (this.s.running.all() as { data: string }[]).map((r) => JSON.parse(r.data) as BatchJob);
  }

  /** Snapshots the executions a visibility query matches as the job's targets; returns how many. */
  addQueryTargets(namespace: string, jobId: string, where: string, params: readonly unknown[]): number {
    return this.db
      .prepare(
        `INSERT INTO batch_targets (namespace, job_id, workflow_id, run_id)
         SELECT namespace, ?, workflow_id, run_id FROM visibility WHERE namespace = ? AND (${where}) ORDER BY start_time, run_id`,
      )
      .run(jobId, namespace, ...params).changes;
  }

  addTarget(namespace: string, jobId: string, workflowId: string, runId: string): void {
    this.s.addTarget.run(namespace, jobId, workflowId, runId);
  }

  /** The job's next targets after target id `after`. */
  nextTargets(namespace: string, jobId: string, after: number, limit: number): BatchTarget[] {
    return this.s.next.all(namespace, jobId, after, limit) as BatchTarget[];
  }

  /** Forgets a finished job's targets (its counts stay on the job). */
  dropTargets(namespace: string, jobId: string): void {
    this.s.dropTargets.run(namespace, jobId);
  }
}
