/**
 * UpdateTaskQueueConfig (`temporal task-queue config set`), validated as Temporal's frontend does: an
 * activity queue's rate limit, which takes precedence over the workers' (0 stops dispatch), and
 * fairness weight overrides (workflow and activity queues). Temporal's per-fairness-key default rate
 * limit is refused as not supported yet.
 *
 * @module
 */
import { status } from '@grpc/grpc-js';
import { tsFromMs } from '../../proto/index.js';
import { invalidArgument, requireField, RpcError } from '../errors.js';
import type { TaskQueueConfig } from '../matching/task-queue-configs.js';
import { TaskKind } from '../store/store.js';
import { queueKey } from './effects.js';
import type { Engine } from './engine.js';
import { TaskQueueType } from './enums.js';
import { validatePriority } from './priority.js';
import type { ITaskQueueConfig, IUpdateTaskQueueConfigRequest, IUpdateTaskQueueConfigResponse } from './proto-types.js';

/** Temporal's limits: reasons, identities, and fairness weight overrides per request and per queue. */
const MAX_REASON_LENGTH = 1000;
const MAX_IDENTITY_LENGTH = 1000;
const MAX_FAIRNESS_WEIGHT_OVERRIDES = 1000;

type RateLimitUpdate = NonNullable<IUpdateTaskQueueConfigRequest['updateQueueRateLimit']>;

/** Applies an UpdateTaskQueueConfig request and answers with the queue's configuration. */
export function updateTaskQueueConfig(engine: Engine, namespace: string, req: IUpdateTaskQueueConfigRequest): IUpdateTaskQueueConfigResponse {
  const name = requireField(req.taskQueue, 'TaskQueue');
  const kind = req.taskQueueType === TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY ? TaskKind.Activity : TaskKind.Workflow;
  if (req.taskQueueType === TaskQueueType.TASK_QUEUE_TYPE_NEXUS) throw invalidArgument('Nexus task queues are not supported by the duraflow dev server.');
  if (req.updateQueueRateLimit?.rateLimit && kind === TaskKind.Workflow) throw invalidArgument('Setting rate limit on workflow task queues is not allowed.');
  validateRateLimit(req.updateQueueRateLimit, 'UpdateQueueRateLimit');
  if (req.updateFairnessKeyRateLimitDefault?.rateLimit) {
    if (kind === TaskKind.Workflow) throw invalidArgument('Setting fairness key rate limit on workflow task queues is not allowed.');
    throw new RpcError(status.UNIMPLEMENTED, 'Per-fairness-key rate limits are not supported by the duraflow dev server yet.');
  }
  if ((req.identity ?? '').length > MAX_IDENTITY_LENGTH) throw invalidArgument(`Identity field too long (max ${MAX_IDENTITY_LENGTH} characters).`);
  const set = req.setFairnessWeightOverrides ?? {};
  const unset = req.unsetFairnessWeightOverrides ?? [];
  validateWeightOverrides(set, unset);
  const metadata = { reason: '', identity: req.identity ?? '', updateTime: engine.clock.now() };
  const config = engine.taskQueueConfigs.update(namespace, name, kind, (current) => {
    const kept = Object.entries(current.fairnessWeightOverrides).filter(([key]) => !unset.includes(key));
    const next: TaskQueueConfig = { ...current, fairnessWeightOverrides: Object.fromEntries([...kept, ...Object.entries(set)]) };
    const limit = req.updateQueueRateLimit;
    if (limit) next.queueRateLimit = { rate: limit.rateLimit ? (limit.rateLimit.requestsPerSecond ?? 0) : undefined, metadata: { ...metadata, reason: limit.reason ?? '' } };
    if (Object.keys(next.fairnessWeightOverrides).length > MAX_FAIRNESS_WEIGHT_OVERRIDES) {
      throw invalidArgument('fairness weight overrides update rejected: exceeding maximum key size');
    }
    return next;
  });
  if (kind === TaskKind.Activity) {
    applyConfiguredRate(engine, namespace, name);
    engine.waiters.notify(queueKey(namespace, name, kind));
  }
  return { config: taskQueueConfigProto(config) };
}

/** Brings the dispatch limiter up to date with the activity queue's configured rate limit. */
export function applyConfiguredRate(engine: Engine, namespace: string, taskQueue: string): void {
  const rate = engine.taskQueueConfigs.get(namespace, taskQueue, TaskKind.Activity).queueRateLimit?.rate;
  engine.dispatchLimits.fromConfig(queueKey(namespace, taskQueue, TaskKind.Activity), rate);
}

/** The stored configuration as Temporal's TaskQueueConfig. */
export function taskQueueConfigProto(config: TaskQueueConfig): ITaskQueueConfig {
  const limit = config.queueRateLimit;
  return {
    queueRateLimit: limit && {
      rateLimit: limit.rate === undefined ? undefined : { requestsPerSecond: limit.rate },
      metadata: { reason: limit.metadata.reason, updateIdentity: limit.metadata.identity, updateTime: tsFromMs(limit.metadata.updateTime) },
    },
    fairnessWeightOverrides: config.fairnessWeightOverrides,
  };
}

function validateRateLimit(update: RateLimitUpdate | null | undefined, label: string): void {
  if (!update?.rateLimit) return;
  if ((update.rateLimit.requestsPerSecond ?? 0) < 0) throw invalidArgument(`RequestsPerSecond for ${label} rate limit must be non-negative.`);
  if ((update.reason ?? '').length > MAX_REASON_LENGTH) throw invalidArgument(`${label}.Reason field too long (max ${MAX_REASON_LENGTH} characters).`);
}

function validateWeightOverrides(set: Record<string, number>, unset: readonly string[]): void {
  const total = Object.keys(set).length + unset.length;
  if (total > MAX_FAIRNESS_WEIGHT_OVERRIDES) {
    throw invalidArgument(`too many fairness weight overrides in request: got ${total}, maximum ${MAX_FAIRNESS_WEIGHT_OVERRIDES}`);
  }
  for (const [key, weight] of Object.entries(set)) {
    if (key === '') throw invalidArgument('fairness weight override key must not be empty');
    validatePriority({ fairnessKey: key });
    if (!(weight > 0)) throw invalidArgument(`invalid fairness weight weight for key "${key}": must be greater than zero`);
  }
  for (const key of unset) {
    if (key === '') throw invalidArgument('fairness weight override key must not be empty');
    validatePriority({ fairnessKey: key });
    if (Object.hasOwn(set, key)) throw invalidArgument(`fairness weight override key "${key}" present in both set and unset lists`);
  }
}
