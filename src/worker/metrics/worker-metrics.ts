/**
 * {@link WorkerMetrics}: the metrics a worker reports, with the official Core SDK's names, kinds,
 * tags and units (`temporal_` prefix and milliseconds by default). One method per event; the worker
 * calls them where the event happens (each method says where).
 *
 * Tags: every point has `namespace` and `task_queue` (the worker's normal queue, also for sticky
 * polls), plus per method `workflow_type`, `activity_type`, `poller_type` (`workflow_task`,
 * `sticky_workflow_task`, `activity_task`), `worker_type` (`WorkflowWorker`, `ActivityWorker`,
 * `LocalActivityWorker`), `eager` and `failure_reason`.
 *
 * @module
 */
import { ApplicationFailureCategory } from '../../common/failure-enums.js';
import type { MetricMeter, MetricTags } from '../../common/metrics.js';
import type { ProtoFailure } from '../../common/proto-types.js';
import { TemporalMeter } from '../../common/temporal-meter.js';

/** `worker_type` tag values. */
export type WorkerType = 'WorkflowWorker' | 'ActivityWorker' | 'LocalActivityWorker';
/** `poller_type` tag values. */
export type PollerType = 'workflow_task' | 'sticky_workflow_task' | 'activity_task';
/** `failure_reason` tag values of `workflow_task_execution_failed`. */
export type WorkflowTaskFailureReason = 'NonDeterminismError' | 'WorkflowError' | 'GrpcMessageTooLarge';
/** How a workflow run ended, as far as the worker's last command says. */
export type WorkflowOutcome = 'completed' | 'failed' | 'canceled' | 'continuedAsNew';
/** How one local activity attempt ended. */
export type LocalActivityOutcome = 'completed' | 'failed' | 'timedOut' | 'cancelled';

/** Which activity (and of which workflow) a point is about. */
export interface ActivityMetricTags {
  activityType: string;
  /** Empty for standalone activities. */
  workflowType?: string;
}

/**
 * Whether a failure counts in the `*_failed` metrics: everything except application failures of
 * category BENIGN (as in Core).
 *
 * @example
 * ```ts
 * if (countsAsFailure(outcome.failure)) metrics.activityFailed(tags);
 * ```
 */
export function countsAsFailure(failure: ProtoFailure | null | undefined): boolean {
  const category = failure?.applicationFailureInfo?.category as unknown;
  return !(category === ApplicationFailureCategory.BENIGN || category === 1 || category === 'APPLICATION_ERROR_CATEGORY_BENIGN');
}

/** Milliseconds since `epochMs` (0 when unknown or in the future). */
export function elapsedSince(epochMs: number | undefined, now: number = Date.now()): number | undefined {
  if (epochMs === undefined || !Number.isFinite(epochMs)) return undefined;
  return Math.max(0, now - epochMs);
}

/**
 * The worker's metrics recorder. Create one per worker with its namespace and task queue.
 *
 * @example
 * ```ts
 * const metrics = new WorkerMetrics(Runtime.instance().temporalMeter, { namespace: 'default', taskQueue: 'orders' });
 * metrics.workerStarted();
 * metrics.workflowTaskPollSucceeded(12);
 * metrics.workflowClosed('completed', 'orderWorkflow', 1530);
 * ```
 */
export class WorkerMetrics {
  private readonly m: TemporalMeter;
  private readonly i;

  constructor(meter: TemporalMeter | MetricMeter | undefined, where: { namespace: string; taskQueue: string }) {
    if (typeof where?.namespace !== 'string' || typeof where.taskQueue !== 'string') {
      throw new TypeError('WorkerMetrics needs { namespace, taskQueue } strings');
    }
    this.m = TemporalMeter.from(meter).withTags({ namespace: where.namespace, task_queue: where.taskQueue });
    this.i = instruments(this.m);
  }

  /** Whether anything is recorded (skip costly measurements when not). */
  get enabled(): boolean {
    return this.m.enabled;
  }

  /** Call once from `Worker.create`, after the namespace check succeeded. */
  workerStarted(): void {
    this.i.workerStart.add(1);
  }

  /** Call whenever the number of concurrent long polls of a kind changes (poll loop start/stop). */
  pollerCount(pollerType: PollerType, count: number): void {
    this.i.numPollers.set(count, { poller_type: pollerType });
  }

  /** Call whenever a slot is taken or released (poll loop / executions): used and free slots. */
  taskSlots(workerType: WorkerType, used: number, available: number): void {
    this.i.slotsUsed.set(Math.max(0, used), { worker_type: workerType });
    this.i.slotsAvailable.set(Math.max(0, available), { worker_type: workerType });
  }

  /** Call when PollWorkflowTaskQueue returns no task (the long poll timed out). */
  workflowTaskPollEmpty(): void {
    this.i.wfPollEmpty.add(1);
  }

  /**
   * Call when PollWorkflowTaskQueue returns a task, with its schedule-to-start time (task
   * `startedTime` − `scheduledTime`, when both are set).
   */
  workflowTaskPollSucceeded(scheduleToStartMs?: number): void {
    this.i.wfPollSucceed.add(1);
    if (scheduleToStartMs !== undefined) this.i.wfScheduleToStart.recordMs(scheduleToStartMs);
  }

  /** Call when a workflow task found its run in the cache (no replay from the start). */
  stickyCacheHit(workflowType: string): void {
    this.i.cacheHit.add(1, { workflow_type: workflowType });
  }

  /** Call when a task for a run that is not cached arrives and its history must be replayed. */
  stickyCacheMiss(workflowType: string): void {
    this.i.cacheMiss.add(1, { workflow_type: workflowType });
  }

  /** Call after every cache insertion or removal, with the number of cached runs. */
  stickyCacheSize(size: number): void {
    this.i.cacheSize.set(size);
  }

  /** Call when a run is evicted from the cache before it closed (cache full, error, shutdown). */
  stickyCacheForcedEviction(workflowType: string): void {
    this.i.cacheEviction.add(1, { workflow_type: workflowType });
  }

  /** Call when a cache-miss replay caught up with history, with the time the replay took. */
  workflowTaskReplayLatency(workflowType: string, ms: number): void {
    this.i.wfReplay.recordMs(ms, { workflow_type: workflowType });
  }

  /** Call after RespondWorkflowTaskCompleted/Failed, with the time since the task was polled. */
  workflowTaskExecutionLatency(workflowType: string, ms: number): void {
    this.i.wfExecution.recordMs(ms, { workflow_type: workflowType });
  }

  /**
   * Call when a workflow task fails (RespondWorkflowTaskFailed sent, or a failing attempt left to
   * time out): `NonDeterminismError` for nondeterminism, `WorkflowError` otherwise.
   */
  workflowTaskFailed(workflowType: string, reason: WorkflowTaskFailureReason): void {
    this.i.wfTaskFailed.add(1, { workflow_type: workflowType, failure_reason: reason });
  }

  /**
   * Call when a completed workflow task carried a terminal command (not during replay), with the
   * time since the run started (WorkflowExecutionStarted event time). A failure of category BENIGN
   * is not counted (pass `failure` for `failed`).
   */
  workflowClosed(outcome: WorkflowOutcome, workflowType: string, endToEndMs?: number, failure?: ProtoFailure): void {
    const tags = { workflow_type: workflowType };
    if (outcome === 'completed') this.i.wfCompleted.add(1, tags);
    else if (outcome === 'canceled') this.i.wfCanceled.add(1, tags);
    else if (outcome === 'continuedAsNew') this.i.wfContinueAsNew.add(1, tags);
    else if (countsAsFailure(failure)) this.i.wfFailed.add(1, tags);
    if (endToEndMs !== undefined) this.i.wfEndToEnd.recordMs(endToEndMs, tags);
  }

  /** Call when PollActivityTaskQueue returns no task. */
  activityPollEmpty(): void {
    this.i.actPollNoTask.add(1);
  }

  /**
   * Call when an activity task is received (from a poll, or eagerly), with its schedule-to-start
   * time (`startedTime` − `currentAttemptScheduledTime`).
   */
  activityTaskReceived(tags: ActivityMetricTags, scheduleToStartMs?: number, eager = false): void {
    this.i.actReceived.add(1, { activity_type: tags.activityType, workflow_type: tags.workflowType ?? '', eager });
    if (scheduleToStartMs !== undefined) this.i.actScheduleToStart.recordMs(scheduleToStartMs);
  }

  /**
   * Call when an activity attempt finished (before reporting it), with the time since the task was
   * received. `failed` counts `activity_execution_failed` (unless BENIGN); `completed` records
   * `activity_succeed_endtoend_latency` from the attempt's scheduled time.
   */
  activityFinished(
    tags: ActivityMetricTags,
    result: { outcome: 'completed' | 'failed' | 'cancelled' | 'willCompleteAsync'; executionMs: number; endToEndMs?: number; failure?: ProtoFailure },
  ): void {
    const t = activityTags(tags);
    this.i.actExecution.recordMs(result.executionMs, t);
    if (result.outcome === 'completed' && result.endToEndMs !== undefined) this.i.actSucceedE2e.recordMs(result.endToEndMs, t);
    if (result.outcome === 'failed' && countsAsFailure(result.failure)) this.i.actFailed.add(1, t);
  }

  /** Call when the worker starts running a local activity attempt. */
  localActivityStarted(tags: ActivityMetricTags): void {
    this.i.laTotal.add(1, activityTags(tags));
  }

  /**
   * Call when a local activity attempt finished, with its run time and (on success) the time since
   * its original schedule time.
   */
  localActivityFinished(
    tags: ActivityMetricTags,
    result: { outcome: LocalActivityOutcome; executionMs: number; endToEndMs?: number; failure?: ProtoFailure },
  ): void {
    const t = activityTags(tags);
    this.i.laExecution.recordMs(result.executionMs, t);
    if (result.outcome === 'completed' && result.endToEndMs !== undefined) this.i.laSucceedE2e.recordMs(result.endToEndMs, t);
    if (result.outcome === 'timedOut' || (result.outcome === 'failed' && countsAsFailure(result.failure))) this.i.laFailed.add(1, t);
    if (result.outcome === 'cancelled') this.i.laCancelled.add(1, t);
  }
}

function activityTags(tags: ActivityMetricTags): MetricTags {
  return { activity_type: tags.activityType, workflow_type: tags.workflowType ?? '' };
}

/** Every instrument of the recorder (names, kinds and descriptions from Core). */
function instruments(m: TemporalMeter) {
  return {
    wfCompleted: m.counter('workflow_completed', 'Count of successfully completed workflows'),
    wfCanceled: m.counter('workflow_canceled', 'Count of canceled workflows'),
    wfFailed: m.counter('workflow_failed', 'Count of failed workflows'),
    wfContinueAsNew: m.counter('workflow_continue_as_new', 'Count of continued-as-new workflows'),
    wfEndToEnd: m.durationHistogram('workflow_endtoend_latency', 'Histogram of total workflow execution latencies'),
    wfPollEmpty: m.counter('workflow_task_queue_poll_empty', 'Count of workflow task queue poll timeouts (no new task)'),
    wfPollSucceed: m.counter('workflow_task_queue_poll_succeed', 'Count of workflow task queue poll successes'),
    wfTaskFailed: m.counter('workflow_task_execution_failed', 'Count of workflow task execution failures'),
    wfScheduleToStart: m.durationHistogram('workflow_task_schedule_to_start_latency', 'Histogram of workflow task schedule-to-start latencies'),
    wfReplay: m.durationHistogram('workflow_task_replay_latency', 'Histogram of workflow task replay latencies'),
    wfExecution: m.durationHistogram('workflow_task_execution_latency', 'Histogram of workflow task execution (not replay) latencies'),
    actPollNoTask: m.counter('activity_poll_no_task', 'Count of activity task queue poll timeouts (no new task)'),
    actReceived: m.counter('activity_task_received', 'Count of activity task queue poll successes'),
    actFailed: m.counter('activity_execution_failed', 'Count of activity task execution failures'),
    actScheduleToStart: m.durationHistogram('activity_schedule_to_start_latency', 'Histogram of activity schedule-to-start latencies'),
    actExecution: m.durationHistogram('activity_execution_latency', 'Histogram of activity execution latencies'),
    actSucceedE2e: m.durationHistogram('activity_succeed_endtoend_latency', 'Histogram of activity execution latencies for successful activities'),
    laCancelled: m.counter('local_activity_execution_cancelled', 'Count of local activity executions that were cancelled'),
    laFailed: m.counter('local_activity_execution_failed', 'Count of local activity executions that failed'),
    laExecution: m.durationHistogram('local_activity_execution_latency', 'Histogram of local activity execution latencies'),
    laSucceedE2e: m.durationHistogram(
      'local_activity_succeed_endtoend_latency',
      'Histogram of local activity execution latencies for successful local activities',
    ),
    laTotal: m.counter('local_activity_total', 'Count of local activities executed'),
    workerStart: m.counter('worker_start', 'Count of the number of initialized workers'),
    numPollers: m.gauge('num_pollers', 'Current number of active pollers per queue type'),
    slotsAvailable: m.gauge('worker_task_slots_available', 'Current number of available slots per task type'),
    slotsUsed: m.gauge('worker_task_slots_used', 'Current number of used slots per task type'),
    cacheHit: m.counter('sticky_cache_hit', 'Count of times the workflow cache was used for a new workflow task'),
    cacheMiss: m.counter('sticky_cache_miss', 'Count of times the workflow cache was missing a workflow for a sticky task'),
    cacheSize: m.gauge('sticky_cache_size', 'Current number of cached workflows'),
    cacheEviction: m.counter('sticky_cache_total_forced_eviction', 'Count of evictions of cached workflows'),
  };
}
