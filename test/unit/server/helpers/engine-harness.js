// Shared pieces of the server-less engine tests: an engine on a fake clock, json/plain payloads,
// event-type names and non-blocking poll options. Not a test file.
import { temporal, workflowServiceDefinition } from '../../../../dist/proto/index.js';
import { createLogger } from '../../../../dist/server/logger.js';
import { Store } from '../../../../dist/server/store/store.js';
import { Engine } from '../../../../dist/server/engine/engine.js';
import { ensureNamespace } from '../../../../dist/server/engine/namespaces.js';

export const NS = 'default';
export const TQ = 'tq';
export const T0 = Date.UTC(2024, 0, 1);

const { EventType } = temporal.api.enums.v1;

/**
 * An engine on `file` (in memory by default) whose clock reads `clock()`, with the default namespace.
 * `wallClock` is the time sticky-queue liveness is measured in (default: real time); `eagerActivities`
 * is the engine option of that name.
 */
export function createTestEngine(clock, file = ':memory:', wallClock = Date.now, eagerActivities = true) {
  const store = new Store(file);
  ensureNamespace(store, NS);
  return new Engine(store, { now: clock }, createLogger('error'), { wallClock, eagerActivities });
}

/**
 * An engine response as a client receives it: serialized as the server does (a stored history is
 * spliced in still encoded) and decoded. Engine functions return what the gRPC layer serializes.
 */
export function onWire(response, method = 'PollWorkflowTaskQueue') {
  const definition = workflowServiceDefinition[method];
  return definition.responseDeserialize(definition.responseSerialize(response));
}

export const payload = (value) => ({ metadata: { encoding: Buffer.from('json/plain') }, data: Buffer.from(JSON.stringify(value)) });
export const payloads = (...values) => ({ payloads: values.map(payload) });
export const decode = (p) => JSON.parse(Buffer.from(p.data).toString('utf8'));

/** `EVENT_TYPE_TIMER_FIRED` → `TIMER_FIRED`. */
export const typeName = (type) => EventType[type].replace(/^EVENT_TYPE_/, '');

/** Options for a poll that returns at once when the queue is empty (deadline in the past). */
export const pollOptions = (identity, taskQueue = TQ) => ({
  namespace: NS,
  taskQueue,
  identity,
  requestId: `poll-${Math.random()}`,
  deadline: Date.now() - 1,
  signal: new AbortController().signal,
});
