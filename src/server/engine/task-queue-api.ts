/**
 * DescribeTaskQueue and ListTaskQueuePartitions: who polls a task queue, and its backlog and rates.
 *
 * The dev server has one partition per task queue and no worker versioning: every task is
 * unversioned, so the enhanced mode reports everything under the unversioned build id ("").
 *
 * @module
 */
import { durationFromMs, int64, tsFromMs } from '../../proto/index.js';
import { invalidArgument, requireField } from '../errors.js';
import type { PollerRecord } from '../matching/poller-history.js';
import { DEFAULT_POLLER_RATE_PER_SECOND } from '../matching/poller-history.js';
import { TaskKind } from '../store/store.js';
import { queueKey } from './effects.js';
import type { Engine } from './engine.js';
import { BuildIdTaskReachability as Reachability, DescribeTaskQueueMode as Mode, RateLimitSource, TaskQueueKind, TaskQueueType } from './enums.js';
import { activityKey } from './state.js';
import { applyConfiguredRate, taskQueueConfigProto } from './task-queue-config-api.js';
import type {
  IDescribeTaskQueueRequest,
  IDescribeTaskQueueResponse,
  IListTaskQueuePartitionsRequest,
  IListTaskQueuePartitionsResponse,
  IPollerInfo,
  ITaskQueueStats,
} from './proto-types.js';

const RATE_LIMIT_SOURCES = {
  api: RateLimitSource.RATE_LIMIT_SOURCE_API,
  worker: RateLimitSource.RATE_LIMIT_SOURCE_WORKER,
  system: RateLimitSource.RATE_LIMIT_SOURCE_SYSTEM,
} as const;

/** The build id enhanced mode reports unversioned pollers and tasks under. */
const UNVERSIONED = '';

/** Answers DescribeTaskQueue in the legacy (default) or the enhanced mode. */
export function describeTaskQueue(engine: Engine, namespace: string, req: IDescribeTaskQueueRequest): IDescribeTaskQueueResponse {
  const name = requireField(req.taskQueue?.name, 'TaskQueue');
  if (req.apiMode === Mode.DESCRIBE_TASK_QUEUE_MODE_ENHANCED) {
    if (req.taskQueue?.kind === TaskQueueKind.TASK_QUEUE_KIND_STICKY) {
      throw invalidArgument('Enhanced DescribeTaskQueue is not valid for a sticky queue, use api_mode=UNSPECIFIED or a normal queue.');
    }
    return describeEnhanced(engine, namespace, name, req);
  }
  const kind = taskKindOf(req.taskQueueType);
  if (kind === undefined) return { pollers: [] };
  if (kind === TaskKind.Activity) applyConfiguredRate(engine, namespace, name);
  const limit = engine.dispatchLimits.effective(queueKey(namespace, name, kind));
  const rate = limit.rate ?? DEFAULT_POLLER_RATE_PER_SECOND;
  const response: IDescribeTaskQueueResponse = {
    pollers: pollerInfos(engine.pollers.pollers(namespace, name, kind)),
    effectiveRateLimit: { requestsPerSecond: rate, rateLimitSource: RATE_LIMIT_SOURCES[limit.source] },
  };
  if (req.reportConfig) response.config = taskQueueConfigProto(engine.taskQueueConfigs.get(namespace, name, kind));
  if (req.includeTaskQueueStatus) {
    // Read and ack levels and the task id block are Temporal's persistence internals: left zero.
    response.taskQueueStatus = {
      backlogCountHint: int64(engine.store.countTasks(namespace, name, kind)),
      ratePerSecond: rate,
    };
  }
  if (req.reportStats) response.stats = taskQueueStats(engine, namespace, name, kind);
  return response;
}

function describeEnhanced(engine: Engine, namespace: string, name: string, req: IDescribeTaskQueueRequest): IDescribeTaskQueueResponse {
  const types = req.taskQueueTypes?.length ? req.taskQueueTypes : [TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW, TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY];
  const buildIds = new Set(req.versions?.buildIds ?? []);
  if (!req.versions || req.versions.unversioned) buildIds.add(UNVERSIONED);
  const versionsInfo: NonNullable<IDescribeTaskQueueResponse['versionsInfo']> = {};
  for (const buildId of buildIds) {
    const typesInfo: Record<number, { pollers?: IPollerInfo[]; stats?: ITaskQueueStats }> = {};
    for (const type of types) {
      const kind = taskKindOf(type);
      const pollers = kind === undefined ? [] : engine.pollers.pollers(namespace, name, kind).filter((p) => buildIdOf(p) === buildId);
      typesInfo[type] = {
        pollers: req.reportPollers ? pollerInfos(pollers) : [],
        stats: req.reportStats ? (buildId === UNVERSIONED && kind !== undefined ? taskQueueStats(engine, namespace, name, kind) : {}) : undefined,
      };
    }
    versionsInfo[buildId] = {
      typesInfo,
      taskReachability: !req.reportTaskReachability
        ? Reachability.BUILD_ID_TASK_REACHABILITY_UNSPECIFIED
        : buildId === UNVERSIONED
          ? Reachability.BUILD_ID_TASK_REACHABILITY_REACHABLE
          : Reachability.BUILD_ID_TASK_REACHABILITY_UNREACHABLE,
    };
  }
  return { versionsInfo };
}

/** Workflow (also when unspecified) and activity queues; Nexus (which the dev server does not serve) has none. */
function taskKindOf(type: number | null | undefined): TaskKind | undefined {
  if (!type || type === TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW) return TaskKind.Workflow;
  if (type === TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY) return TaskKind.Activity;
  if (type === TaskQueueType.TASK_QUEUE_TYPE_NEXUS) return undefined;
  throw invalidArgument(`Unknown task queue type ${type}.`);
}

function buildIdOf(p: PollerRecord): string {
  const capabilities = p.workerVersionCapabilities;
  return capabilities?.useVersioning ? (capabilities.buildId ?? UNVERSIONED) : UNVERSIONED;
}

function pollerInfos(pollers: readonly PollerRecord[]): IPollerInfo[] {
  return pollers.map((p) => ({
    identity: p.identity,
    lastAccessTime: tsFromMs(p.lastAccessTime),
    ratePerSecond: p.maxTasksPerSecond ?? DEFAULT_POLLER_RATE_PER_SECOND,
    workerVersionCapabilities: p.workerVersionCapabilities,
    deploymentOptions: p.deploymentOptions,
  }));
}

/** Backlog (count, age of the oldest task) and the add and dispatch rates of the last 30 s. */
function taskQueueStats(engine: Engine, namespace: string, name: string, kind: TaskKind): ITaskQueueStats {
  const backlog = engine.store.countTasks(namespace, name, kind);
  const { addRate, dispatchRate } = engine.taskRates.of(queueKey(namespace, name, kind));
  const since = backlog > 0 ? oldestTaskScheduledTime(engine, namespace, name, kind) : undefined;
  return {
    approximateBacklogCount: int64(backlog),
    approximateBacklogAge: durationFromMs(since === undefined ? 0 : Math.max(0, engine.clock.now() - since)),
    tasksAddRate: addRate,
    tasksDispatchRate: dispatchRate,
  };
}

/** When the oldest pending task of the queue became dispatchable (undefined if its row is stale). */
function oldestTaskScheduledTime(engine: Engine, namespace: string, name: string, kind: TaskKind): number | undefined {
  const row = engine.store.oldestTask(namespace, name, kind);
  if (!row) return undefined;
  const run = engine.read((tx) => tx.loadRun(namespace, row.runId));
  if (!run) return undefined;
  if (kind === TaskKind.Workflow) return run.state.wft?.scheduledEventId === row.ref ? run.state.wft.scheduledTime : undefined;
  return run.state.activities[activityKey(row.ref)]?.currentAttemptScheduledTime;
}

/** The dev server has one partition per task queue, owned by itself. */
export function listTaskQueuePartitions(req: IListTaskQueuePartitionsRequest, hostName: string): IListTaskQueuePartitionsResponse {
  const key = requireField(req.taskQueue?.name, 'TaskQueue');
  const partitions = [{ key, ownerHostName: hostName }];
  return { activityTaskQueuePartitions: partitions, workflowTaskQueuePartitions: partitions };
}
