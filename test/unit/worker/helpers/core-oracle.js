// Side-effect-free helper: runs a history through the official Temporal Core (sdk-core inside
// @temporalio/core-bridge, the engine under the official TypeScript worker) as a replay worker, and
// through our WorkflowRunMachine, completing each activation with the same scripted commands, and
// returns both sides normalized for comparison.
import { createRequire } from 'node:module';
import Long from 'long';
import { WorkflowRunMachine } from '../../../../dist/worker/workflow/run-machine.js';
import { replayTask } from '../../../../dist/worker/workflow/replay-task.js';

const require = createRequire(import.meta.url);
let workerCount = 0;

function officialModules() {
  const worker = require('@temporalio/worker');
  const { compileWorkerOptions, toNativeWorkerOptions } = require('@temporalio/worker/lib/worker-options.js');
  const { native } = require('@temporalio/core-bridge');
  const { coresdk, temporal } = require('@temporalio/proto');
  return { worker, compileWorkerOptions, toNativeWorkerOptions, native, coresdk, temporal };
}

let runtime;
function officialRuntime(worker) {
  if (!runtime) {
    try {
      worker.Runtime.install({
        logger: new worker.DefaultLogger('ERROR'),
        telemetryOptions: { logging: { filter: { core: 'ERROR', other: 'ERROR' } } },
      });
    } catch {
      // already installed
    }
    runtime = worker.Runtime.instance();
  }
  return runtime;
}

const dur = (ms) => (ms === undefined ? undefined : { seconds: Long.fromNumber(Math.floor(ms / 1000)), nanos: (ms % 1000) * 1e6 });
const ACTIVITY_CANCEL = { TRY_CANCEL: 0, WAIT_CANCELLATION_COMPLETED: 1, ABANDON: 2 };
const CHILD_CANCEL = { ABANDON: 0, TRY_CANCEL: 1, WAIT_CANCELLATION_COMPLETED: 2, WAIT_CANCELLATION_REQUESTED: 3 };

/** Our protocol command as a coresdk workflow command. */
function toCore(c) {
  switch (c.kind) {
    case 'startTimer':
      return { startTimer: { seq: c.seq, startToFireTimeout: dur(c.startToFireTimeoutMs) } };
    case 'cancelTimer':
      return { cancelTimer: { seq: c.seq } };
    case 'scheduleActivity':
      return { scheduleActivity: { seq: c.seq, activityId: c.activityId, activityType: c.activityType, taskQueue: c.taskQueue, startToCloseTimeout: dur(c.startToCloseTimeoutMs), cancellationType: ACTIVITY_CANCEL[c.cancellationType] } };
    case 'requestCancelActivity':
      return { requestCancelActivity: { seq: c.seq } };
    case 'scheduleLocalActivity':
      return { scheduleLocalActivity: { seq: c.seq, activityId: c.activityId, activityType: c.activityType, attempt: c.attempt, startToCloseTimeout: dur(c.startToCloseTimeoutMs), cancellationType: ACTIVITY_CANCEL[c.cancellationType] } };
    case 'requestCancelLocalActivity':
      return { requestCancelLocalActivity: { seq: c.seq } };
    case 'completeWorkflowExecution':
      return { completeWorkflowExecution: { result: c.result } };
    case 'failWorkflowExecution':
      return { failWorkflowExecution: { failure: c.failure } };
    case 'continueAsNewWorkflowExecution':
      return { continueAsNewWorkflowExecution: { workflowType: c.workflowType, taskQueue: c.taskQueue, arguments: c.arguments } };
    case 'updateResponse':
      return { updateResponse: { protocolInstanceId: c.protocolInstanceId, accepted: c.accepted ? {} : undefined, rejected: c.rejected ?? c.failed, completed: c.completed } };
    case 'setPatchMarker':
      return { setPatchMarker: { patchId: c.patchId, deprecated: c.deprecated } };
    case 'startChildWorkflowExecution':
      return { startChildWorkflowExecution: { seq: c.seq, namespace: c.namespace, workflowId: c.workflowId, workflowType: c.workflowType, taskQueue: c.taskQueue, cancellationType: CHILD_CANCEL[c.cancellationType] } };
    case 'cancelChildWorkflowExecution':
      return { cancelChildWorkflowExecution: { childWorkflowSeq: c.childWorkflowSeq, reason: c.reason } };
    case 'signalExternalWorkflowExecution':
      return { signalExternalWorkflowExecution: { seq: c.seq, workflowExecution: c.workflowExecution, childWorkflowId: c.childWorkflowId, signalName: c.signalName } };
    default:
      throw new Error(`core-oracle: no coresdk mapping for ${c.kind}`);
  }
}

/** A coresdk activation job, normalized to the fields compared. */
function coreJob(j) {
  const kind = Object.keys(j).find((k) => k !== 'variant' && j[k] !== null && typeof j[k] === 'object');
  const v = j[kind];
  const out = { kind };
  if (typeof v.seq === 'number') out.seq = v.seq;
  if (kind === 'resolveActivity') {
    out.status = ['completed', 'failed', 'cancelled', 'backoff'].find((s) => v.result[s]);
    out.isLocal = v.isLocal;
    out.message = v.result[out.status]?.failure?.message;
  }
  if (kind === 'doUpdate') Object.assign(out, { id: v.id, runValidator: v.runValidator });
  if (kind === 'notifyHasPatch') out.patchId = v.patchId;
  if (kind === 'initializeWorkflow' || kind === 'updateRandomSeed') out.seed = v.randomnessSeed.toString();
  if (kind === 'signalWorkflow') out.signalName = v.signalName;
  if (kind === 'cancelWorkflow') out.reason = v.reason;
  if (kind === 'fireTimer') out.seq = v.seq;
  if (kind === 'resolveChildWorkflowExecutionStart') out.status = ['succeeded', 'failed', 'cancelled'].find((s) => v[s]);
  if (kind === 'resolveChildWorkflowExecution') out.status = ['completed', 'failed', 'cancelled'].find((s) => v.result[s]);
  if (kind === 'resolveSignalExternalWorkflow') out.failed = Boolean(v.failure);
  if (kind === 'removeFromCache') out.message = v.message;
  return out;
}

/** One of our activation jobs, normalized like {@link coreJob}. */
function ourJob(j) {
  const out = { kind: j.kind };
  if (j.seq !== undefined) out.seq = j.seq;
  if (j.kind === 'resolveActivity') Object.assign(out, { status: j.result.status, isLocal: j.isLocal, message: j.result.failure?.message });
  if (j.kind === 'doUpdate') Object.assign(out, { id: j.id, runValidator: j.runValidator });
  if (j.kind === 'notifyHasPatch') out.patchId = j.patchId;
  if (j.kind === 'initializeWorkflow' || j.kind === 'updateRandomSeed') out.seed = j.randomnessSeed;
  if (j.kind === 'signalWorkflow') out.signalName = j.signalName;
  if (j.kind === 'cancelWorkflow') out.reason = j.reason;
  if (j.kind === 'resolveChildWorkflowExecutionStart' || j.kind === 'resolveChildWorkflowExecution') out.status = j.result.status;
  if (j.kind === 'resolveSignalExternalWorkflow') out.failed = Boolean(j.failure);
  return out;
}

const tsMs = (t) => (t ? Number(t.seconds) * 1000 + Math.floor(t.nanos / 1e6) : undefined);
const removeUndefined = (o) => JSON.parse(JSON.stringify(o));

/** Replays `events` with the official Core; `script({ jobs }, i)` returns our protocol commands. */
export async function replayWithCore(events, script) {
  const { worker, compileWorkerOptions, toNativeWorkerOptions, native, coresdk, temporal } = officialModules();
  const rt = officialRuntime(worker);
  const compiled = compileWorkerOptions({ taskQueue: `core-oracle-${workerCount++}`, workflowBundle: { code: '//' }, debugMode: true, buildId: 'oracle' }, rt.logger, rt.metricMeter);
  const [w, pusher] = await rt.createReplayWorker(toNativeWorkerOptions(compiled));
  const H = temporal.api.history.v1.History;
  const pushed = rt.pushHistory(pusher, 'wf-1', H.decode(H.encode({ events }).finish()));
  const activations = [];
  let evicted;
  try {
    for (let i = 0; i < 100 && evicted === undefined; i++) {
      const act = coresdk.workflow_activation.WorkflowActivation.decode(new Uint8Array(await native.workerPollWorkflowActivation(w)));
      const jobs = act.jobs.map(coreJob);
      const evict = jobs.find((j) => j.kind === 'removeFromCache');
      if (evict) evicted = evict.message;
      else activations.push({ isReplaying: act.isReplaying, historyLength: act.historyLength, timestampMs: tsMs(act.timestamp), jobs });
      const commands = evict ? [] : script({ jobs }, i).map(toCore);
      const completion = coresdk.workflow_completion.WorkflowActivationCompletion.encodeDelimited({ runId: act.runId, successful: { commands } }).finish();
      await native.workerCompleteWorkflowActivation(w, Buffer.from(completion));
    }
  } finally {
    rt.closeHistoryStream(pusher);
    native.workerInitiateShutdown(w);
    await pushed.catch(() => undefined);
  }
  const nondeterminism = evicted !== undefined && /Nondeterminism/.test(evicted) ? evicted : undefined;
  return { activations: removeUndefined(activations), nondeterminism };
}

/** Replays `events` with our machine, completing activations like {@link replayWithCore}. */
export function replayWithOurs(events, script) {
  const activations = [];
  let nondeterminism;
  try {
    const m = new WorkflowRunMachine({ namespace: 'default', taskQueue: 'q', workflowId: 'wf-1', runId: 'run-1', workflowType: 'wf' });
    m.addWorkflowTask(replayTask(events));
    for (let a = m.nextActivation(), i = 0; a; a = m.nextActivation(), i++) {
      const jobs = a.jobs.map(ourJob);
      activations.push({ isReplaying: a.isReplaying, historyLength: a.historyLength, timestampMs: a.timestampMs, jobs });
      m.completeActivation({ commands: script({ jobs }, i), sinkCalls: [] });
    }
  } catch (error) {
    if (error.name !== 'NondeterminismError') throw error;
    nondeterminism = error.message;
  }
  return { activations: removeUndefined(activations), nondeterminism };
}
