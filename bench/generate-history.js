// Generates the history of a workflow that runs N activities in sequence (six events per activity,
// plus five), as a History message, for replay benchmarks. The workflow is `sequence` in
// bench/fixtures/body.js (also test/fixtures/worker/workflows.js). Not a benchmark itself.
import proto from '@temporalio/proto';

const { EventType } = proto.temporal.api.enums.v1;
const { History, HistoryEvent } = proto.temporal.api.history.v1;

const json = (value) => ({ metadata: { encoding: Buffer.from('json/plain') }, data: Buffer.from(JSON.stringify(value)) });

/** History of `sequence(activities)`: ~6 events per activity. */
export function sequenceHistory(activities, { workflowType = 'sequence', taskQueue = 'bench', activityType = 'echo' } = {}) {
  const events = [];
  let time = Date.UTC(2026, 0, 1) / 1000;
  const add = (eventType, attrs) => {
    time += 0.001;
    const event = HistoryEvent.create({ eventId: events.length + 1, eventTime: { seconds: Math.floor(time), nanos: Math.round((time % 1) * 1e9) }, eventType, ...attrs });
    events.push(event);
    return events.length;
  };
  const runId = '5f2c9a1e-0000-4000-8000-000000000001';
  add(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED, {
    workflowExecutionStartedEventAttributes: {
      workflowType: { name: workflowType },
      taskQueue: { name: taskQueue },
      input: { payloads: [json(activities)] },
      workflowTaskTimeout: { seconds: 10 },
      originalExecutionRunId: runId,
      firstExecutionRunId: runId,
      attempt: 1,
      identity: 'bench',
    },
  });
  const workflowTask = () => {
    const scheduled = add(EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED, { workflowTaskScheduledEventAttributes: { taskQueue: { name: taskQueue }, startToCloseTimeout: { seconds: 10 }, attempt: 1 } });
    const started = add(EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED, { workflowTaskStartedEventAttributes: { scheduledEventId: scheduled, identity: 'bench' } });
    return add(EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED, { workflowTaskCompletedEventAttributes: { scheduledEventId: scheduled, startedEventId: started, identity: 'bench' } });
  };
  let completed = workflowTask();
  const results = [];
  for (let i = 0; i < activities; i++) {
    const scheduled = add(EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED, {
      activityTaskScheduledEventAttributes: {
        activityId: String(i + 1),
        activityType: { name: activityType },
        taskQueue: { name: taskQueue },
        input: { payloads: [json(i)] },
        startToCloseTimeout: { seconds: 10 },
        workflowTaskCompletedEventId: completed,
      },
    });
    const started = add(EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED, { activityTaskStartedEventAttributes: { scheduledEventId: scheduled, identity: 'bench', attempt: 1 } });
    add(EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED, { activityTaskCompletedEventAttributes: { result: { payloads: [json(i)] }, scheduledEventId: scheduled, startedEventId: started } });
    results.push(i);
    completed = workflowTask();
  }
  add(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED, { workflowExecutionCompletedEventAttributes: { result: { payloads: [json(results)] }, workflowTaskCompletedEventId: completed } });
  return History.create({ events });
}

/** The same history, protobuf-encoded (each SDK decodes it with its own protobuf copy). */
export function sequenceHistoryBinary(activities, options) {
  return History.encode(sequenceHistory(activities, options)).finish();
}
