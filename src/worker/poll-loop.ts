/**
 * The workflow task-queue poll loop: up to `pollers` concurrent long polls, each one taken only when
 * a task slot is free (a worker runs one loop for its normal queue and one for its sticky queue,
 * sharing the slots), every task handled in the background while polling goes on. Failed polls
 * back off (see {@link PollBackoff}): transient errors forever, others until they prove fatal, which
 * stops the loop with the error.
 */
import type { Logger } from '../common/logger.js';
import { systemClock } from './activity/heartbeat-throttle.js';
import { PollBackoff } from './poll-backoff.js';
import type { Slots } from './slots.js';
import type { PollerType, WorkerMetrics } from './metrics/worker-metrics.js';

export interface PollLoopOptions<T> {
  /** For log lines: 'workflow' or 'activity'. */
  name: string;
  pollers: number;
  slots: Slots;
  /** One long poll; undefined when it came back empty. */
  poll: (signal: AbortSignal) => Promise<T | undefined>;
  /** Handles one task (its slot is released when this settles); errors are logged. */
  handle: (task: T) => Promise<void>;
  /** Aborting stops polling (in-flight polls are cancelled); handled tasks keep running. */
  signal: AbortSignal;
  logger: Logger;
  /** Records the poller count and slot gauges (`num_pollers`, `worker_task_slots_*`). */
  metrics?: WorkerMetrics;
  /** The `poller_type` the poller count is recorded under. @default 'workflow_task' */
  pollerType?: PollerType;
}

/** Runs the pollers until `signal` aborts (resolves) or a fatal error (rejects). Does not wait for handlers. */
export async function runPollLoop<T>(options: PollLoopOptions<T>): Promise<void> {
  const { metrics, slots } = options;
  const recordSlots = (): void => metrics?.taskSlots('WorkflowWorker', slots.inUse, slots.capacity - slots.inUse);
  // Slots are taken before a poll and released after its task settles: record both edges.
  const handle = async (task: T): Promise<void> => {
    recordSlots();
    try {
      await options.handle(task);
    } finally {
      queueMicrotask(recordSlots);
    }
  };
  const o: PollLoopOptions<T> = metrics ? { ...options, handle } : options;
  const pollerType = options.pollerType ?? 'workflow_task';
  metrics?.pollerCount(pollerType, options.pollers);
  recordSlots();
  try {
    await Promise.all(Array.from({ length: options.pollers }, () => pollForever(o)));
  } finally {
    metrics?.pollerCount(pollerType, 0);
  }
}

async function pollForever<T>(o: PollLoopOptions<T>): Promise<void> {
  const backoff = new PollBackoff(systemClock);
  while (!o.signal.aborted) {
    if (!(await o.slots.acquire())) break;
    if (o.signal.aborted) {
      o.slots.release();
      break;
    }
    let task: T | undefined;
    try {
      task = await o.poll(o.signal);
      backoff.reset();
    } catch (error) {
      o.slots.release();
      if (o.signal.aborted) break;
      const decision = backoff.next(error);
      if (!decision.retry) throw error;
      o.logger.warn(`${o.name} task poll failed, retrying in ${decision.delayMs} ms: ${(error as Error).message}`);
      await sleep(decision.delayMs, o.signal);
      continue;
    }
    if (task === undefined) {
      o.slots.release();
      continue;
    }
    void o
      .handle(task)
      .catch((error: unknown) => o.logger.error(`${o.name} task handling failed: ${(error as Error)?.stack ?? String(error)}`))
      .finally(() => o.slots.release());
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}
