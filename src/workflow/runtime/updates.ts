/**
 * Updates: validation, acceptance, the handler's result, and the buffering of updates that arrive
 * before their handler is set (rejected at the end of the activation if it still is not).
 *
 * @module
 */
import { ApplicationFailure, arrayFromPayloads, ensureTemporalFailure, TemporalFailure } from '../../common/index.js';
import { composeInterceptors, type UpdateInput } from '../interceptors.js';
import { HandlerUnfinishedPolicy } from '../interfaces.js';
import type { Activator } from './activator.js';
import type { AnyHandler, UpdateHandlerEntry } from './handler-registry.js';
import type { DoUpdateJob } from './protocol.js';
import { assertNotRoutedToDefault, isInternalName } from './reserved-names.js';
import { handleWorkflowFailure } from './workflow-lifecycle.js';

type UpdateResponse = { accepted: true } | { rejected: unknown } | { completed: unknown } | { failed: unknown };

function respond(activator: Activator, protocolInstanceId: string, response: UpdateResponse): void {
  if ('accepted' in response) {
    activator.pushCommand({ kind: 'updateResponse', protocolInstanceId, accepted: true });
  } else if ('completed' in response) {
    activator.pushCommand({ kind: 'updateResponse', protocolInstanceId, completed: activator.toPayload(response.completed) });
  } else if ('rejected' in response) {
    const rejected = activator.errorToFailure(ensureTemporalFailure(response.rejected));
    activator.pushCommand({ kind: 'updateResponse', protocolInstanceId, rejected });
  } else {
    const failed = activator.errorToFailure(ensureTemporalFailure(response.failed));
    activator.pushCommand({ kind: 'updateResponse', protocolInstanceId, failed });
  }
}

/** The innermost `validateUpdate`. */
function validateUpdateNextHandler(validator: AnyHandler, { args }: UpdateInput): void {
  validator(...args);
}

/** The innermost `handleUpdate`. */
async function updateNextHandler(handler: AnyHandler, { args }: UpdateInput): Promise<unknown> {
  return await handler(...args);
}

/** Runs `fn` as live code: log calls are recorded even while the run replays (validators are reads). */
function asLiveCode(activator: Activator, fn: () => void): void {
  const info = activator.info;
  activator.info = { ...info, unsafe: { ...info.unsafe, isReplayingHistoryEvents: false } };
  try {
    fn();
  } finally {
    activator.info = { ...activator.info, unsafe: { ...activator.info.unsafe, isReplayingHistoryEvents: info.unsafe.isReplayingHistoryEvents } };
  }
}

function entryFor(activator: Activator, name: string): UpdateHandlerEntry | undefined {
  const { handlers } = activator;
  const own = handlers.updates.get(name);
  if (own !== undefined) return own;
  const fallback = handlers.defaultUpdate;
  if (fallback === undefined) return undefined;
  return { handler: (...args: unknown[]) => fallback(name, ...args), unfinishedPolicy: HandlerUnfinishedPolicy.WARN_AND_ABANDON };
}

/** Validates, accepts and runs the update; the synchronous part of the handler runs now. */
function runUpdate(activator: Activator, job: DoUpdateJob, entry: UpdateHandlerEntry): void {
  const { id: updateId, name, protocolInstanceId } = job;
  const interceptors = isInternalName(name) ? [] : activator.interceptors.inbound;
  const makeInput = (): UpdateInput => ({
    updateId,
    name,
    args: arrayFromPayloads(activator.payloadConverter, job.input, activator.workflowContext()),
    headers: job.headers ?? {},
  });
  let input: UpdateInput;
  try {
    const { validator } = entry;
    if (job.runValidator && validator) {
      const validate = composeInterceptors(interceptors, 'validateUpdate', (i) => validateUpdateNextHandler(validator, i));
      asLiveCode(activator, () => validate(makeInput()));
    }
    input = makeInput(); // decoded again: the handler must not see the validator's mutations
  } catch (error) {
    respond(activator, protocolInstanceId, { rejected: error });
    return;
  }
  respond(activator, protocolInstanceId, { accepted: true });
  const execute = composeInterceptors(interceptors, 'handleUpdate', (i) => updateNextHandler(entry.handler, i));
  activator.handlers.updatesInProgress.set(updateId, { name, unfinishedPolicy: entry.unfinishedPolicy, id: updateId });
  execute(input)
    .then(
      (result) => respond(activator, protocolInstanceId, { completed: result }),
      (error: unknown) => {
        if (error instanceof TemporalFailure) respond(activator, protocolInstanceId, { failed: error });
        else handleWorkflowFailure(activator, error);
      }
    )
    .finally(() => activator.handlers.updatesInProgress.delete(updateId))
    .catch((error: unknown) => activator.recordTaskError(error));
}

/** Handles a doUpdate job: runs it if a handler (or default handler) exists, else buffers it. */
export function doUpdate(activator: Activator, job: DoUpdateJob): void {
  const { id, name, protocolInstanceId } = job;
  if (!id) throw new TypeError('Missing doUpdate id');
  if (!name) throw new TypeError('Missing doUpdate name');
  if (!protocolInstanceId) throw new TypeError('Missing doUpdate protocolInstanceId');
  const { handlers } = activator;
  assertNotRoutedToDefault('update', name, handlers.updates.has(name), handlers.defaultUpdate !== undefined);
  const entry = entryFor(activator, name);
  if (entry === undefined) {
    handlers.bufferedUpdates.push(job);
    return;
  }
  activator.context.run({ update: { id, name } }, () => runUpdate(activator, job, entry));
}

/** Runs every buffered update that now has a handler, in arrival order. */
export function dispatchBufferedUpdates(activator: Activator): void {
  for (let job = activator.handlers.takeDispatchableUpdate(); job; job = activator.handlers.takeDispatchableUpdate()) {
    doUpdate(activator, job);
  }
}

/** Rejects the updates that still have no handler at the end of the activation. */
export function rejectBufferedUpdates(activator: Activator): void {
  for (const job of activator.handlers.takeBufferedUpdates()) {
    const reason = ApplicationFailure.nonRetryable(`No registered handler for update: ${job.name}`);
    respond(activator, job.protocolInstanceId, { rejected: reason });
  }
}
