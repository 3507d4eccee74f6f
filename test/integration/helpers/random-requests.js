// Seeded random WorkflowService requests for robustness tests: mostly well-formed requests about a
// few workflow ids, task queues and the task tokens the server handed out, with odd values mixed in
// (empty and oversized strings, unknown enum values, negative and huge durations, undecodable
// payload encodings, commands whose type does not match their attributes). Not a test file.
import Long from 'long';

/** xorshift32: the same seed gives the same requests. */
function randomSource(seed) {
  let s = seed >>> 0 || 1;
  const next = () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4294967296;
  };
  return { chance: (p) => next() < p, pick: (items) => items[Math.floor(next() * items.length)] };
}

const NAMESPACE = 'default';

/**
 * A generator of `[method, request, deadlineMs]`; call `observe(method, response)` with every
 * successful response so later requests can use its run ids and task tokens.
 */
export function randomRequests(seed, { workflowIds, taskQueues }) {
  const { chance, pick } = randomSource(seed);
  const seen = { runIds: [], workflowTasks: [], activityTasks: [] };
  let activities = 0;
  const odd = () => pick(['', 'x'.repeat(3000), 'ns-\u{1F642}', 'a b']);
  const str = (pool) => (chance(0.93) ? pick(pool) : odd());
  const workflowId = () => str(workflowIds);
  const queue = () => ({ name: str(taskQueues) });
  const seconds = (n) => ({ seconds: Long.fromNumber(n) });
  const duration = () =>
    chance(0.7) ? seconds(pick([1, 10, 60])) : pick([null, seconds(0), seconds(-5), { seconds: Long.MAX_VALUE }, { seconds: Long.ONE, nanos: -1 }]);
  const payload = () => ({
    metadata: { encoding: Buffer.from(pick(['json/plain', 'json/plain', 'binary/null', 'bogus'])) },
    data: Buffer.from(pick(['1', '"x"', '{', ''])),
  });
  const payloads = () => ({ payloads: Array.from({ length: pick([0, 1, 2]) }, payload) });
  const failure = () => ({ message: pick(['boom', '']), applicationFailureInfo: { type: 'T', nonRetryable: chance(0.5) } });
  const execution = () => ({ workflowId: workflowId(), runId: chance(0.3) && seen.runIds.length > 0 ? pick(seen.runIds) : '' });
  const latest = (tokens, fallback) => (tokens.length === 0 ? Buffer.from(fallback) : chance(0.7) ? tokens.at(-1) : pick(tokens));

  const commandAttributes = {
    1: () => ({
      scheduleActivityTaskCommandAttributes: {
        activityId: chance(0.8) ? String(++activities) : pick(['1', '']),
        activityType: chance(0.95) ? { name: 'act' } : null,
        taskQueue: chance(0.9) ? queue() : null,
        input: payloads(),
        startToCloseTimeout: duration(),
        heartbeatTimeout: chance(0.3) ? duration() : null,
        retryPolicy: chance(0.3) ? { maximumAttempts: pick([0, 1, -1]), backoffCoefficient: pick([0, 2, -1]) } : null,
        requestEagerExecution: chance(0.4),
      },
    }),
    2: () => ({ requestCancelActivityTaskCommandAttributes: { scheduledEventId: Long.fromNumber(pick([0, 5, 6, -1])) } }),
    3: () => ({ startTimerCommandAttributes: { timerId: pick(['t1', '1', '']), startToFireTimeout: duration() } }),
    4: () => ({ completeWorkflowExecutionCommandAttributes: { result: payloads() } }),
    5: () => ({ failWorkflowExecutionCommandAttributes: { failure: chance(0.8) ? failure() : null } }),
    6: () => ({ cancelTimerCommandAttributes: { timerId: pick(['t1', '1', '']) } }),
    7: () => ({ cancelWorkflowExecutionCommandAttributes: { details: payloads() } }),
    8: () => ({ requestCancelExternalWorkflowExecutionCommandAttributes: { namespace: pick(['', NAMESPACE, 'nope']), workflowId: workflowId(), childWorkflowOnly: chance(0.3) } }),
    9: () => ({ recordMarkerCommandAttributes: { markerName: pick(['core_patch', 'x', '']), details: chance(0.5) ? { patch_data: payloads() } : {} } }),
    10: () => ({ continueAsNewWorkflowExecutionCommandAttributes: { workflowType: { name: 'wf' }, taskQueue: queue(), input: payloads(), workflowRunTimeout: duration(), backoffStartInterval: chance(0.3) ? duration() : null, cronSchedule: pick(['', '', 'bogus']) } }),
    11: () => ({ startChildWorkflowExecutionCommandAttributes: { namespace: pick(['', NAMESPACE, 'nope']), workflowId: str(['child-1', ...workflowIds]), workflowType: { name: 'child' }, taskQueue: queue(), workflowRunTimeout: duration(), parentClosePolicy: pick([0, 1, 2, 3, 9]), workflowIdReusePolicy: pick([0, 1, 2, 9]) } }),
    12: () => ({ signalExternalWorkflowExecutionCommandAttributes: { namespace: pick(['', NAMESPACE]), execution: execution(), signalName: pick(['sig', '']), input: payloads(), childWorkflowOnly: chance(0.3) } }),
    13: () => ({ upsertWorkflowSearchAttributesCommandAttributes: { searchAttributes: { indexedFields: { [pick(['CustomKeywordField', 'CustomIntField', 'Nope', 'WorkflowId'])]: payload() } } } }),
    14: () => ({ protocolMessageCommandAttributes: { messageId: pick(['m1', '']) } }),
    16: () => ({ modifyWorkflowPropertiesCommandAttributes: { upsertedMemo: { fields: { m: payload() } } } }),
  };
  const commandTypes = Object.keys(commandAttributes).map(Number);
  const command = () => {
    const type = pick(commandTypes);
    return { commandType: chance(0.95) ? type : pick([0, 15, 99]), ...commandAttributes[type]() };
  };

  const requests = {
    StartWorkflowExecution: () => ({ namespace: NAMESPACE, workflowId: workflowId(), workflowType: { name: 'wf' }, taskQueue: queue(), input: payloads(), requestId: chance(0.5) ? `r${pick([1, 2, 3])}` : '', workflowIdReusePolicy: pick([0, 1, 2, 3, 4]), workflowIdConflictPolicy: pick([0, 1, 2, 3]), workflowRunTimeout: chance(0.3) ? duration() : null, workflowTaskTimeout: chance(0.3) ? duration() : null, cronSchedule: pick(['', '', '', 'bad']), workflowStartDelay: chance(0.1) ? duration() : null }),
    SignalWithStartWorkflowExecution: () => ({ namespace: NAMESPACE, workflowId: workflowId(), workflowType: { name: 'wf' }, taskQueue: queue(), signalName: pick(['sig', '']), signalInput: payloads(), workflowIdConflictPolicy: pick([0, 1, 2, 3]) }),
    PollWorkflowTaskQueue: () => ({ namespace: NAMESPACE, taskQueue: { ...queue(), kind: pick([1, 1, 2]) }, identity: 'random' }),
    RespondWorkflowTaskCompleted: () => ({ namespace: NAMESPACE, taskToken: latest(seen.workflowTasks, 'x'), commands: Array.from({ length: pick([0, 1, 1, 2, 3]) }, command), identity: 'random', stickyAttributes: chance(0.3) ? { workerTaskQueue: { name: 'random-sticky', kind: 2 }, scheduleToStartTimeout: duration() } : null, returnNewWorkflowTask: chance(0.3), forceCreateNewWorkflowTask: chance(0.2) }),
    RespondWorkflowTaskFailed: () => ({ namespace: NAMESPACE, taskToken: latest(seen.workflowTasks, ''), cause: pick([0, 1, 6, 99]), failure: failure(), identity: 'random' }),
    PollActivityTaskQueue: () => ({ namespace: NAMESPACE, taskQueue: queue(), identity: 'random' }),
    RespondActivityTaskCompleted: () => ({ namespace: NAMESPACE, taskToken: latest(seen.activityTasks, 'zz'), result: payloads() }),
    RespondActivityTaskFailed: () => ({ namespace: NAMESPACE, taskToken: latest(seen.activityTasks, 'zz'), failure: failure() }),
    RespondActivityTaskCanceled: () => ({ namespace: NAMESPACE, taskToken: latest(seen.activityTasks, 'zz'), details: payloads() }),
    RecordActivityTaskHeartbeat: () => ({ namespace: NAMESPACE, taskToken: latest(seen.activityTasks, 'zz'), details: payloads() }),
    RespondActivityTaskCompletedById: () => ({ namespace: NAMESPACE, workflowId: workflowId(), activityId: pick(['1', 'a']), result: payloads() }),
    SignalWorkflowExecution: () => ({ namespace: NAMESPACE, workflowExecution: execution(), signalName: pick(['sig', '']), input: payloads() }),
    QueryWorkflow: () => ({ namespace: NAMESPACE, execution: execution(), query: { queryType: pick(['q', '__stack_trace', '']) }, queryRejectCondition: pick([0, 1, 2, 3]) }),
    UpdateWorkflowExecution: () => ({ namespace: NAMESPACE, workflowExecution: execution(), waitPolicy: { lifecycleStage: pick([0, 1, 2, 3]) }, request: { meta: { updateId: pick(['u1', 'u2', '']) }, input: { name: pick(['up', '']), args: payloads() } } }),
    PollWorkflowExecutionUpdate: () => ({ namespace: NAMESPACE, updateRef: { workflowExecution: execution(), updateId: pick(['u1', '']) }, waitPolicy: { lifecycleStage: pick([0, 1, 2, 3]) } }),
    RequestCancelWorkflowExecution: () => ({ namespace: NAMESPACE, workflowExecution: execution(), requestId: pick(['', 'c1']) }),
    TerminateWorkflowExecution: () => ({ namespace: NAMESPACE, workflowExecution: execution(), reason: 'random' }),
    DescribeWorkflowExecution: () => ({ namespace: NAMESPACE, execution: execution() }),
    GetWorkflowExecutionHistory: () => ({ namespace: NAMESPACE, execution: execution(), maximumPageSize: pick([0, 1, 3, -1]), nextPageToken: chance(0.2) ? Buffer.from('bad') : Buffer.alloc(0), waitNewEvent: chance(0.2), historyEventFilterType: pick([0, 1, 2, 3]) }),
    ListWorkflowExecutions: () => ({ namespace: NAMESPACE, pageSize: pick([0, 1, 5, -1]), query: pick(['', `WorkflowId = '${workflowIds[0]}'`, 'ExecutionStatus = "Running"', 'CustomIntField > 3', 'bogus ==', 'WorkflowId = \u{1F642}']) }),
    CountWorkflowExecutions: () => ({ namespace: NAMESPACE, query: pick(['', 'GROUP BY ExecutionStatus', '\u{1F642}']) }),
    ResetStickyTaskQueue: () => ({ namespace: NAMESPACE, execution: execution() }),
    DeleteWorkflowExecution: () => ({ namespace: NAMESPACE, workflowExecution: execution() }),
    GetWorkflowExecutionHistoryReverse: () => ({ namespace: NAMESPACE, execution: execution(), maximumPageSize: pick([0, 1, 3, -1]), nextPageToken: chance(0.2) ? Buffer.from('bad') : Buffer.alloc(0) }),
    DescribeTaskQueue: () => ({ namespace: NAMESPACE, taskQueue: { ...queue(), kind: pick([0, 1, 2]) }, taskQueueType: pick([0, 1, 2, 3, 9]), apiMode: pick([0, 0, 1]), reportStats: chance(0.5), reportPollers: chance(0.5), includeTaskQueueStatus: chance(0.5) }),
    StartBatchOperation: () => ({
      namespace: NAMESPACE,
      jobId: pick(['job1', 'job2', '']),
      reason: pick(['random', '']),
      ...(chance(0.5) ? { visibilityQuery: pick(['ExecutionStatus = "Running"', 'bogus ==', `WorkflowId = '${workflowIds[1]}'`]) } : { executions: [execution(), execution()] }),
      maxOperationsPerSecond: pick([0, 1, 1000, -1]),
      ...pick([{ terminationOperation: {} }, { cancellationOperation: {} }, { signalOperation: { signal: pick(['sig', '']), input: payloads() } }, { deletionOperation: {} }, { resetOperation: {} }, {}]),
    }),
    DescribeBatchOperation: () => ({ namespace: NAMESPACE, jobId: pick(['job1', 'job2', '']) }),
    StopBatchOperation: () => ({ namespace: NAMESPACE, jobId: pick(['job1', 'job2', '']), reason: pick(['stop', '']) }),
    ListBatchOperations: () => ({ namespace: NAMESPACE, pageSize: pick([0, 1, -1]), nextPageToken: chance(0.2) ? Buffer.from('bad') : Buffer.alloc(0) }),
    ResetWorkflowExecution: () => ({ namespace: NAMESPACE, workflowExecution: execution(), reason: 'random', workflowTaskFinishEventId: pick([0, 2, 3, 4, 5, 7, 99]), requestId: pick(['', 'r1']), resetReapplyType: pick([0, 1, 2]) }),
    UpdateNamespace: () => ({ namespace: NAMESPACE, updateInfo: { description: pick(['', 'd']), data: { k: pick(['1', '2']) }, state: pick([0, 0, 1, 2, 3]) } }),
  };
  const weights = { StartWorkflowExecution: 6, PollWorkflowTaskQueue: 8, RespondWorkflowTaskCompleted: 10, PollActivityTaskQueue: 4, RespondActivityTaskCompleted: 3, SignalWorkflowExecution: 3, SignalWithStartWorkflowExecution: 2, UpdateWorkflowExecution: 2, GetWorkflowExecutionHistory: 2, RespondWorkflowTaskFailed: 2 };
  const methods = Object.keys(requests).flatMap((method) => Array(weights[method] ?? 1).fill(method));
  const deadlines = { PollWorkflowTaskQueue: 300, PollActivityTaskQueue: 300, PollWorkflowExecutionUpdate: 300, GetWorkflowExecutionHistory: 400, QueryWorkflow: 600, UpdateWorkflowExecution: 600 };

  function observe(method, response) {
    if (typeof response.runId === 'string' && response.runId !== '' && seen.runIds.length < 30) seen.runIds.push(response.runId);
    const remember = (list, token) => {
      if (token?.length > 0) list.push(Buffer.from(token));
      if (list.length > 8) list.shift();
    };
    if (method === 'PollWorkflowTaskQueue') remember(seen.workflowTasks, response.taskToken);
    if (method === 'PollActivityTaskQueue') remember(seen.activityTasks, response.taskToken);
    if (method === 'RespondWorkflowTaskCompleted') {
      remember(seen.workflowTasks, response.workflowTask?.taskToken);
      for (const task of response.activityTasks ?? []) remember(seen.activityTasks, task.taskToken);
    }
  }

  function* generate() {
    for (;;) {
      const method = pick(methods);
      yield [method, requests[method](), deadlines[method] ?? 2_000];
    }
  }
  return { requests: generate(), observe };
}
