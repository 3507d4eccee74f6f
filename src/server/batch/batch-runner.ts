/**
 * Runs batch operations in the background: once a second, each running job applies its operation
 * to its next targets, each in its own transaction, at the job's rate (Temporal's default: 50 a
 * second; at most 500 a second here). A target that is gone or already closed counts as done, as
 * Temporal's batcher counts it. Jobs resume after a restart (they and their targets are stored).
 *
 * @module
 */
import { status } from '@grpc/grpc-js';
import { RpcError } from '../errors.js';
import type { Engine } from '../engine/engine.js';
import { headerCodec, payloadsCodec } from '../engine/codec.js';
import { deleteRun, requestCancelRun, signalRun, terminateRun } from '../engine/lifecycle.js';
import type { Run } from '../engine/run.js';
import type { BatchJob } from './batch-job.js';
import { BatchStore, type BatchTarget } from './batch-store.js';

/** How often running jobs take their next targets. */
export const BATCH_TICK_MS = 1000;
/** Temporal's batcher rate when the request sets none (operations per second). */
export const DEFAULT_BATCH_OPS_PER_SECOND = 50;
/** The most operations one job applies per tick. */
const MAX_OPS_PER_TICK = 500;

/**
 * The batch operations of one dev server.
 *
 * @example
 * ```ts
 * const runner = new BatchRunner(engine);
 * runner.start();  // resumes stored running jobs
 * runner.kick();   // a job was started: run it now
 * runner.stop();
 * ```
 */
export class BatchRunner {
  readonly jobs: BatchStore;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(private readonly engine: Engine) {
    this.jobs = new BatchStore(engine.store.db);
  }

  start(): void {
    this.kick();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Runs a tick soon (a job started); then ticks every second while any job runs. */
  kick(): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.tick(), 0);
    this.timer.unref();
  }

  /** Advances every running job by one tick's worth of targets; returns whether any is still running. */
  tick(): boolean {
    this.timer = undefined;
    let running = false;
    for (const job of this.jobs.running()) {
      try {
        running = this.advance(job) || running;
      } catch (error) {
        this.engine.log.error(`batch operation ${job.jobId} failed`, error);
      }
    }
    if (running && !this.stopped) {
      this.timer = setTimeout(() => this.tick(), BATCH_TICK_MS);
      this.timer.unref();
    }
    return running;
  }

  private advance(job: BatchJob): boolean {
    const budget = Math.min(MAX_OPS_PER_TICK, Math.max(1, Math.round((job.opsPerSecond * BATCH_TICK_MS) / 1000)));
    const targets = this.jobs.nextTargets(job.namespace, job.jobId, job.cursor, budget);
    for (const target of targets) {
      if (this.apply(job, target)) job.complete++;
      else job.failure++;
      job.cursor = target.id;
    }
    const done = targets.length < budget;
    this.engine.write(() => {
      if (this.jobs.get(job.namespace, job.jobId)?.state !== 'running') return; // stopped meanwhile
      if (done) {
        job.state = 'completed';
        job.closeTime = this.engine.clock.now();
        this.jobs.dropTargets(job.namespace, job.jobId);
      }
      this.jobs.put(job);
    });
    return !done;
  }

  /** Applies the job's operation to one target in its own transaction; false if it failed. */
  private apply(job: BatchJob, target: BatchTarget): boolean {
    try {
      this.engine.write((tx) => operate(job, target, tx.resolveRun(job.namespace, target)));
      return true;
    } catch (error) {
      if (error instanceof RpcError && error.code === status.NOT_FOUND) return true; // gone or closed: nothing to do
      if (!(error instanceof RpcError)) this.engine.log.error(`batch operation ${job.jobId} on ${target.workflowId} failed`, error);
      return false;
    }
  }
}

function operate(job: BatchJob, target: BatchTarget, run: Run): void {
  switch (job.kind) {
    case 'terminate':
      return terminateRun(run, job.reason, payloadsCodec.unpack(job.details), job.identity);
    case 'cancel':
      return requestCancelRun(run, job.reason, job.identity);
    case 'delete':
      return deleteRun(run);
    case 'signal':
      return signalRun(run, {
        signalName: job.signal?.name ?? '',
        input: payloadsCodec.unpack(job.signal?.input),
        header: headerCodec.unpack(job.signal?.header),
        identity: job.identity,
        // One signal per target, also when a restart repeats the tick.
        requestId: `${job.jobId}-${target.id}`,
      });
  }
}
