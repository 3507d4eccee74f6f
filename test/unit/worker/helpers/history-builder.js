// Side-effect-free helpers for the state machine tests: a history builder (protobufjs HistoryEvents
// with consecutive ids and a controllable clock), payloads, and a driver that runs a machine's
// activations through a scripted "workflow".
import Long from 'long';
import { temporal } from '../../../../dist/proto/index.js';

const { HistoryEvent } = temporal.api.history.v1;
export const EventType = temporal.api.enums.v1.EventType;
export const CommandType = temporal.api.enums.v1.CommandType;

const enc = new TextEncoder();
const dec = new TextDecoder();

/** A json/plain payload of a value. */
export function payload(value) {
  return { metadata: { encoding: enc.encode('json/plain') }, data: enc.encode(JSON.stringify(value)) };
}

/** The JSON value of a payload (plain or protobufjs). */
export function valueOf(p) {
  return p?.data ? JSON.parse(dec.decode(p.data)) : undefined;
}

const ts = (ms) => ({ seconds: Long.fromNumber(Math.floor(ms / 1000)), nanos: (ms % 1000) * 1e6 });
const dur = (ms) => ({ seconds: Long.fromNumber(Math.floor(ms / 1000)), nanos: (ms % 1000) * 1e6 });
const id = (n) => Long.fromNumber(n);

/** Builds a history: each method appends one event (ids 1, 2, ...) and returns its id. */
export class HistoryBuilder {
  constructor({ workflowType = 'wf', runId = 'run-1', taskQueue = 'q', startMs = 1_700_000_000_000 } = {}) {
    this.events = [];
    this.timeMs = startMs;
    this.workflowType = workflowType;
    this.runId = runId;
    this.taskQueue = taskQueue;
  }

  get lastId() {
    return this.events.length;
  }

  /** Moves the clock forward. */
  tick(ms) {
    this.timeMs += ms;
    return this;
  }

  add(type, attributesKey, attributes, extra = {}) {
    const eventId = this.events.length + 1;
    this.events.push(HistoryEvent.create({ eventId: id(eventId), eventTime: ts(this.timeMs), eventType: EventType[type], [attributesKey]: attributes, ...extra }));
    return eventId;
  }

  started(attrs = {}) {
    return this.add('EVENT_TYPE_WORKFLOW_EXECUTION_STARTED', 'workflowExecutionStartedEventAttributes', {
      workflowType: { name: this.workflowType },
      taskQueue: { name: this.taskQueue, kind: 1 },
      input: { payloads: [payload('arg')] },
      workflowTaskTimeout: dur(10_000),
      originalExecutionRunId: this.runId,
      firstExecutionRunId: this.runId,
      attempt: 1,
      identity: 'client@host',
      ...attrs,
    });
  }

  wftScheduled() {
    return this.add('EVENT_TYPE_WORKFLOW_TASK_SCHEDULED', 'workflowTaskScheduledEventAttributes', {
      taskQueue: { name: this.taskQueue },
      startToCloseTimeout: dur(10_000),
      attempt: 1,
    });
  }

  wftStarted(scheduledEventId = this.lastId, attrs = {}) {
    return this.add('EVENT_TYPE_WORKFLOW_TASK_STARTED', 'workflowTaskStartedEventAttributes', { scheduledEventId: id(scheduledEventId), ...attrs });
  }

  wftCompleted(scheduledEventId = this.lastId - 1, startedEventId = this.lastId, sdkMetadata = undefined) {
    return this.add('EVENT_TYPE_WORKFLOW_TASK_COMPLETED', 'workflowTaskCompletedEventAttributes', {
      scheduledEventId: id(scheduledEventId),
      startedEventId: id(startedEventId),
      sdkMetadata,
    });
  }

  wftFailed(scheduledEventId = this.lastId - 1, startedEventId = this.lastId, cause = 1, newRunId = '') {
    return this.add('EVENT_TYPE_WORKFLOW_TASK_FAILED', 'workflowTaskFailedEventAttributes', {
      scheduledEventId: id(scheduledEventId),
      startedEventId: id(startedEventId),
      cause,
      newRunId,
      failure: { message: 'boom' },
    });
  }

  wftTimedOut(scheduledEventId = this.lastId - 1, startedEventId = this.lastId) {
    return this.add('EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT', 'workflowTaskTimedOutEventAttributes', {
      scheduledEventId: id(scheduledEventId),
      startedEventId: id(startedEventId),
      timeoutType: 1,
    });
  }

  /** Scheduled + Started (the live task, not completed). Returns the started id. */
  task() {
    const s = this.wftScheduled();
    return this.wftStarted(s);
  }

  /** Scheduled + Started + Completed (a task the worker answered); sdkMetadata defaults to Core's flags 1-3. */
  fullTask(sdkMetadata = { coreUsedFlags: [1, 2, 3] }) {
    const s = this.wftScheduled();
    const st = this.wftStarted(s);
    this.wftCompleted(s, st, sdkMetadata);
    return st;
  }

  timerStarted(timerId, ms) {
    return this.add('EVENT_TYPE_TIMER_STARTED', 'timerStartedEventAttributes', { timerId: String(timerId), startToFireTimeout: dur(ms) });
  }

  timerFired(startedEventId, timerId) {
    return this.add('EVENT_TYPE_TIMER_FIRED', 'timerFiredEventAttributes', { timerId: String(timerId), startedEventId: id(startedEventId) });
  }

  timerCanceled(startedEventId, timerId) {
    return this.add('EVENT_TYPE_TIMER_CANCELED', 'timerCanceledEventAttributes', { timerId: String(timerId), startedEventId: id(startedEventId) });
  }

  activityScheduled(activityId, activityType) {
    return this.add('EVENT_TYPE_ACTIVITY_TASK_SCHEDULED', 'activityTaskScheduledEventAttributes', {
      activityId: String(activityId),
      activityType: { name: activityType },
      taskQueue: { name: this.taskQueue },
    });
  }

  activityStarted(scheduledEventId) {
    return this.add('EVENT_TYPE_ACTIVITY_TASK_STARTED', 'activityTaskStartedEventAttributes', { scheduledEventId: id(scheduledEventId), identity: 'worker@host', attempt: 1 });
  }

  activityCompleted(scheduledEventId, startedEventId, value) {
    return this.add('EVENT_TYPE_ACTIVITY_TASK_COMPLETED', 'activityTaskCompletedEventAttributes', {
      scheduledEventId: id(scheduledEventId),
      startedEventId: id(startedEventId),
      result: value === undefined ? undefined : { payloads: [payload(value)] },
      identity: 'worker@host',
    });
  }

  activityFailed(scheduledEventId, startedEventId, message, retryState = 2) {
    return this.add('EVENT_TYPE_ACTIVITY_TASK_FAILED', 'activityTaskFailedEventAttributes', {
      scheduledEventId: id(scheduledEventId),
      startedEventId: id(startedEventId),
      failure: { message, applicationFailureInfo: { type: 'Error' } },
      identity: 'worker@host',
      retryState,
    });
  }

  activityTimedOut(scheduledEventId, startedEventId, retryState = 3) {
    return this.add('EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT', 'activityTaskTimedOutEventAttributes', {
      scheduledEventId: id(scheduledEventId),
      startedEventId: id(startedEventId),
      failure: { message: 'activity StartToClose timeout', timeoutFailureInfo: { timeoutType: 2 } },
      retryState,
    });
  }

  activityCancelRequested(scheduledEventId) {
    return this.add('EVENT_TYPE_ACTIVITY_TASK_CANCEL_REQUESTED', 'activityTaskCancelRequestedEventAttributes', { scheduledEventId: id(scheduledEventId) });
  }

  activityCanceled(scheduledEventId, startedEventId, cancelRequestedId) {
    return this.add('EVENT_TYPE_ACTIVITY_TASK_CANCELED', 'activityTaskCanceledEventAttributes', {
      scheduledEventId: id(scheduledEventId),
      startedEventId: id(startedEventId ?? 0),
      latestCancelRequestedEventId: id(cancelRequestedId ?? 0),
      identity: 'worker@host',
    });
  }

  signaled(signalName, ...args) {
    return this.add('EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED', 'workflowExecutionSignaledEventAttributes', {
      signalName,
      input: { payloads: args.map(payload) },
      identity: 'client@host',
    });
  }

  cancelRequested(cause = 'please stop') {
    return this.add('EVENT_TYPE_WORKFLOW_EXECUTION_CANCEL_REQUESTED', 'workflowExecutionCancelRequestedEventAttributes', { cause, identity: 'client@host' });
  }

  completed(value) {
    return this.add('EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED', 'workflowExecutionCompletedEventAttributes', {
      result: value === undefined ? undefined : { payloads: [payload(value)] },
    });
  }

  failed(message) {
    return this.add('EVENT_TYPE_WORKFLOW_EXECUTION_FAILED', 'workflowExecutionFailedEventAttributes', { failure: { message } });
  }

  updateAccepted(updateId, sequencingEventId, name = 'setValue', args = []) {
    return this.add('EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED', 'workflowExecutionUpdateAcceptedEventAttributes', {
      protocolInstanceId: updateId,
      acceptedRequestMessageId: `${updateId}/request`,
      acceptedRequestSequencingEventId: id(sequencingEventId),
      acceptedRequest: updateRequest(updateId, name, args),
    });
  }

  updateCompleted(updateId, acceptedEventId, value) {
    return this.add('EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED', 'workflowExecutionUpdateCompletedEventAttributes', {
      meta: { updateId, identity: 'client@host' },
      acceptedEventId: id(acceptedEventId),
      outcome: { success: { payloads: [payload(value)] } },
    });
  }

  updateAdmitted(updateId, name = 'setValue', args = []) {
    return this.add('EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ADMITTED', 'workflowExecutionUpdateAdmittedEventAttributes', {
      request: updateRequest(updateId, name, args),
      origin: 0,
    });
  }

  marker(markerName, details, failure) {
    return this.add('EVENT_TYPE_MARKER_RECORDED', 'markerRecordedEventAttributes', { markerName, details, failure });
  }

  patchMarker(patchId, deprecated = false) {
    return this.marker('core_patch', { 'patch-data': { payloads: [payload({ id: patchId, deprecated })] } });
  }

  upsertChangeVersion(ids) {
    const p = payload(ids);
    p.metadata.type = enc.encode('KeywordList');
    return this.add('EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES', 'upsertWorkflowSearchAttributesEventAttributes', {
      searchAttributes: { indexedFields: { TemporalChangeVersion: p } },
    });
  }

  localActivityMarker(seq, activityType, value, { attempt = 1, activityId = String(seq), failure } = {}) {
    const data = payload({ seq, attempt, activity_id: activityId, activity_type: activityType, complete_time: null, backoff: null, original_schedule_time: null });
    const details = { data: { payloads: [data] } };
    if (value !== undefined) details.result = { payloads: [payload(value)] };
    return this.marker('core_local_activity', details, failure);
  }
}

/** An update request as servers send it. */
/**
 * A history where activity 1 ('slow') is started, a 'stop' signal makes the workflow cancel it with
 * `cancellationType`, and the workflow completes with 'done'.
 */
export function cancelledActivityHistory(cancellationType) {
  const h = new HistoryBuilder();
  h.started();
  h.fullTask();
  const s = h.activityScheduled(1, 'slow');
  const st = h.activityStarted(s);
  h.signaled('stop');
  h.fullTask();
  if (cancellationType !== 'ABANDON') {
    const r = h.activityCancelRequested(s);
    if (cancellationType === 'WAIT_CANCELLATION_COMPLETED') {
      h.activityCanceled(s, st, r);
      h.fullTask();
    }
  }
  h.completed('done');
  return h;
}

export function updateRequest(updateId, name = 'setValue', args = []) {
  return { meta: { updateId, identity: 'client@host' }, input: { name, args: { payloads: args.map(payload) } } };
}

/** A poll's update request message, sequenced at `eventId` (the task's WorkflowTaskScheduled event). */
export function updateMessage(updateId, eventId, name = 'setValue', args = []) {
  const Request = temporal.api.update.v1.Request;
  return {
    id: `${updateId}/request`,
    protocolInstanceId: updateId,
    eventId: id(eventId),
    body: { type_url: 'type.googleapis.com/temporal.api.update.v1.Request', value: Request.encode(updateRequest(updateId, name, args)).finish() },
  };
}

/** Decodes an outgoing protocol message's body. */
export function messageBody(message) {
  const typeName = message.body.type_url.replace('type.googleapis.com/temporal.api.update.v1.', '');
  return { type: typeName, body: temporal.api.update.v1[typeName].decode(message.body.value) };
}

/**
 * Runs every activation of the current task through `workflow(activation)` (which returns the
 * commands) and returns the activations.
 */
export function runTask(machine, workflow) {
  const activations = [];
  for (let a = machine.nextActivation(); a; a = machine.nextActivation()) {
    activations.push(a);
    machine.completeActivation({ commands: workflow(a, activations.length - 1) ?? [], sinkCalls: [] });
  }
  return activations;
}

/** Job kinds of an activation, e.g. ['initializeWorkflow']. */
export const kinds = (activation) => activation.jobs.map((j) => j.kind);
