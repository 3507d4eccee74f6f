// A scripted WorkflowService for ActivityWorker unit tests: tasks are pushed by the test, polls
// wait for them (and end on abort like a real Connection), every response call is recorded.
// Helper module: no side effects.
import { defaultPayloadConverter } from '../../../../dist/common/index.js';

const CANCELLED = 1;

/** A gRPC-style error with a status code. */
export function grpcError(code, message = `grpc error ${code}`) {
  return Object.assign(new Error(message), { code, details: message });
}

/** An activity task as PollActivityTaskQueue returns it. */
export function makeTask(id, activityType, args = [], extra = {}) {
  return {
    taskToken: Buffer.from(`token-${id}`),
    activityId: id,
    activityType: { name: activityType },
    workflowNamespace: 'default',
    workflowType: { name: 'wfType' },
    workflowExecution: { workflowId: `wf-${id}`, runId: 'run-1' },
    input: { payloads: args.map((a) => defaultPayloadConverter.toPayload(a)) },
    attempt: 1,
    scheduledTime: { seconds: 1_700_000_000, nanos: 0 },
    currentAttemptScheduledTime: { seconds: 1_700_000_000, nanos: 0 },
    startedTime: { seconds: 1_700_000_000, nanos: 0 },
    scheduleToCloseTimeout: { seconds: 0, nanos: 0 },
    startToCloseTimeout: { seconds: 10, nanos: 0 },
    heartbeatTimeout: { seconds: 0, nanos: 0 },
    ...extra,
  };
}

/** Decodes the first payload of a Payloads-like value with the default converter. */
export function decodeFirst(payloads) {
  const p = payloads?.payloads?.[0];
  return p ? defaultPayloadConverter.fromPayload(p) : undefined;
}

/**
 * The fake service and a connection-like wrapper. `heartbeatResponder(request)` decides each
 * heartbeat's answer (return a response object or throw a grpcError); `pollErrors` are thrown by
 * the next polls before tasks are handed out.
 */
export function fakeConnection() {
  const queue = [];
  const waiting = [];
  let currentSignal;
  const state = {
    polls: 0,
    pollErrors: [],
    completed: [],
    failed: [],
    canceled: [],
    heartbeats: [],
    heartbeatResponder: () => ({}),
    /** Resolves when `predicate(state)` holds (checked after every recorded call). */
    waitFor(predicate) {
      if (predicate(state)) return Promise.resolve();
      return new Promise((resolve) => watchers.push({ predicate, resolve }));
    },
  };
  const watchers = [];
  const changed = () => {
    for (const w of [...watchers]) {
      if (w.predicate(state)) {
        watchers.splice(watchers.indexOf(w), 1);
        w.resolve();
      }
    }
  };
  const workflowService = {
    pollActivityTaskQueue(request) {
      state.polls++;
      state.lastPollRequest = request;
      changed();
      const signal = currentSignal;
      const error = state.pollErrors.shift();
      if (error) return Promise.reject(error);
      if (queue.length > 0) return Promise.resolve(queue.shift());
      return new Promise((resolve, reject) => {
        const entry = { resolve };
        waiting.push(entry);
        signal?.addEventListener('abort', () => {
          const i = waiting.indexOf(entry);
          if (i >= 0) waiting.splice(i, 1);
          reject(grpcError(CANCELLED, 'call aborted'));
        });
      });
    },
    async recordActivityTaskHeartbeat(request) {
      state.heartbeats.push(request);
      changed();
      return state.heartbeatResponder(request);
    },
    async respondActivityTaskCompleted(request) {
      state.completed.push(request);
      changed();
      return {};
    },
    async respondActivityTaskFailed(request) {
      state.failed.push(request);
      changed();
      return {};
    },
    async respondActivityTaskCanceled(request) {
      state.canceled.push(request);
      changed();
      return {};
    },
  };
  const connection = {
    workflowService,
    callWith({ abortSignal }, fn) {
      currentSignal = abortSignal;
      try {
        return fn();
      } finally {
        currentSignal = undefined;
      }
    },
  };
  return {
    connection,
    state,
    push(task) {
      const poller = waiting.shift();
      if (poller) poller.resolve(task);
      else queue.push(task);
    },
  };
}
