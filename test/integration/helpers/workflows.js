// Workflow-level helpers over the raw WorkflowService client: start, poll and complete workflow
// tasks by hand (the test plays the worker), read histories, and decode proto values.
// Not a test file (no .test.js suffix); public subpaths only.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { durationFromMs, temporal } from 'duraflow/proto';

export const NAMESPACE = 'default';
export const enums = temporal.api.enums.v1;
export const EventType = enums.EventType;
export const CommandType = enums.CommandType;
export const ExecutionStatus = enums.WorkflowExecutionStatus;

export function uid(prefix) {
  return `${prefix}-${randomUUID()}`;
}

/** int64 as a JS number (protobufjs decodes int64 as Long). */
export function num(value) {
  if (value === null || value === undefined) return 0;
  if (typeof value === 'number') return value;
  if (typeof value === 'string') return Number(value);
  if (typeof value.toNumber === 'function') return value.toNumber();
  return Number(value);
}

/** google.protobuf.Duration as milliseconds (undefined when absent). */
export function durationMs(d) {
  if (d === null || d === undefined) return undefined;
  return num(d.seconds) * 1000 + Math.floor((d.nanos ?? 0) / 1e6);
}

/** google.protobuf.Timestamp as epoch milliseconds (undefined when absent). */
export function timestampMs(ts) {
  return durationMs(ts);
}

/** A json/plain payload. */
export function jsonPayload(value) {
  return { metadata: { encoding: Buffer.from('json/plain') }, data: Buffer.from(JSON.stringify(value)) };
}

/** Payloads of json/plain values. */
export function payloads(...values) {
  return { payloads: values.map(jsonPayload) };
}

/** `WORKFLOW_EXECUTION_STARTED` etc. for an event. */
export function eventTypeName(event) {
  const name = EventType[event.eventType];
  return typeof name === 'string' ? name.replace(/^EVENT_TYPE_/, '') : String(event.eventType);
}

export function eventNames(events) {
  return events.map(eventTypeName);
}

/** A StartWorkflowExecution request with fresh ids; `overrides` are merged over the defaults. */
export function startRequest(overrides = {}) {
  return {
    namespace: NAMESPACE,
    workflowId: uid('wf'),
    workflowType: { name: 'TestWorkflow' },
    taskQueue: { name: uid('tq') },
    requestId: randomUUID(),
    identity: 'integration-test',
    ...overrides,
  };
}

/** Starts a workflow; resolves with `{ workflowId, runId, taskQueue, request, response }`. */
export async function startWorkflow(env, overrides = {}) {
  const request = startRequest(overrides);
  const response = await env.call('StartWorkflowExecution', request);
  return { workflowId: request.workflowId, runId: response.runId, taskQueue: request.taskQueue.name, request, response };
}

/** One PollWorkflowTaskQueue call (a long poll; the server option `longPollMs` bounds the wait). */
export function pollWorkflowTask(env, taskQueue, callOptions) {
  return env.call(
    'PollWorkflowTaskQueue',
    { namespace: NAMESPACE, taskQueue: { name: taskQueue, kind: enums.TaskQueueKind.TASK_QUEUE_KIND_NORMAL }, identity: 'integration-test' },
    callOptions,
  );
}

/** Polls until a task with a token arrives (empty long-poll responses are retried until `timeoutMs`). */
export async function pollWorkflowTaskUntil(env, taskQueue, { timeoutMs = 20_000 } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const task = await pollWorkflowTask(env, taskQueue);
    if (task.taskToken && task.taskToken.length > 0) return task;
    if (Date.now() > deadline) assert.fail(`no workflow task on ${taskQueue} within ${timeoutMs} ms`);
  }
}

export function respondWorkflowTaskCompleted(env, taskToken, commands = []) {
  return env.call('RespondWorkflowTaskCompleted', {
    namespace: NAMESPACE,
    taskToken,
    commands,
    identity: 'integration-test',
  });
}

export function completeWorkflowCommand(result = 'done') {
  return {
    commandType: CommandType.COMMAND_TYPE_COMPLETE_WORKFLOW_EXECUTION,
    completeWorkflowExecutionCommandAttributes: { result: payloads(result) },
  };
}

export function failWorkflowCommand(message = 'boom') {
  return {
    commandType: CommandType.COMMAND_TYPE_FAIL_WORKFLOW_EXECUTION,
    failWorkflowExecutionCommandAttributes: { failure: { message, applicationFailureInfo: { type: 'TestFailure' } } },
  };
}

export function cancelWorkflowCommand() {
  return {
    commandType: CommandType.COMMAND_TYPE_CANCEL_WORKFLOW_EXECUTION,
    cancelWorkflowExecutionCommandAttributes: {},
  };
}

export function startTimerCommand(timerId, ms) {
  return {
    commandType: CommandType.COMMAND_TYPE_START_TIMER,
    startTimerCommandAttributes: { timerId, startToFireTimeout: durationFromMs(ms) },
  };
}

/** Plays the worker for one task of `taskQueue`: polls it and answers with `commands`. Returns the task. */
export async function runWorkflowTask(env, taskQueue, commands) {
  const task = await pollWorkflowTaskUntil(env, taskQueue);
  await respondWorkflowTaskCompleted(env, task.taskToken, commands);
  return task;
}

/** Starts a workflow and completes it successfully through its first workflow task. */
export async function startAndComplete(env, overrides = {}) {
  const started = await startWorkflow(env, overrides);
  await runWorkflowTask(env, started.taskQueue, [completeWorkflowCommand()]);
  return started;
}

/** Every event of a run's history, following next_page_token. */
export async function historyEvents(env, execution, { maximumPageSize } = {}) {
  const events = [];
  let nextPageToken;
  do {
    const response = await env.call('GetWorkflowExecutionHistory', {
      namespace: NAMESPACE,
      execution,
      maximumPageSize,
      nextPageToken,
    });
    events.push(...(response.history?.events ?? []));
    nextPageToken = response.nextPageToken;
  } while (nextPageToken && nextPageToken.length > 0);
  return events;
}

export async function describeExecution(env, execution) {
  return await env.call('DescribeWorkflowExecution', { namespace: NAMESPACE, execution });
}

/** The run's status (a WorkflowExecutionStatus number). */
export async function statusOf(env, execution) {
  const d = await describeExecution(env, execution);
  return d.workflowExecutionInfo.status;
}

export async function countExecutions(env, query = '') {
  const r = await env.call('CountWorkflowExecutions', { namespace: NAMESPACE, query });
  return num(r.count);
}

export function terminate(env, execution, reason = 'test') {
  return env.call('TerminateWorkflowExecution', { namespace: NAMESPACE, workflowExecution: execution, reason });
}

/** Poll `fn` until it returns a truthy value; fail after `timeoutMs`. */
export async function waitFor(what, fn, { timeoutMs = 10_000, intervalMs = 25 } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() > deadline) assert.fail(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves like `promise`, or fails the test if it has not settled within `ms`. */
export async function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} still pending after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** 'settled' if `promise` settles within `ms`, else 'pending' (the timer is cleared either way). */
export async function settledWithin(promise, ms) {
  let timer;
  const pending = new Promise((resolve) => {
    timer = setTimeout(() => resolve('pending'), ms);
  });
  try {
    return await Promise.race([promise.then(() => 'settled', () => 'settled'), pending]);
  } finally {
    clearTimeout(timer);
  }
}
