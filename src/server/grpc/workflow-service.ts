/** WorkflowService handlers: validate the request and the namespace, then call the engine. */
import { randomUUID } from 'node:crypto';
import { int64 } from '../../proto/index.js';
import { requireField } from '../errors.js';
import {
  activityById,
  activityByToken,
  cancelActivity,
  completeActivity,
  failActivity,
  heartbeatActivity,
  type ActivityRef,
} from '../engine/activities.js';
import { completeQueryTask, completeWorkflowTask, failWorkflowTaskRpc } from '../engine/complete-task.js';
import { describeRun } from '../engine/describe.js';
import type { Engine } from '../engine/engine.js';
import { getHistory, getHistoryReverse } from '../engine/history-api.js';
import { checkPayloadSizes } from '../engine/limits.js';
import { checkFirstExecutionRunId, deleteRun, requestCancelRun, signalRun, terminateRun } from '../engine/lifecycle.js';
import {
  describeNamespace,
  describeNamespaceResponse,
  registerNamespace,
  requireNamespace,
  updateNamespace,
} from '../engine/namespaces.js';
import { describeTaskQueue, listTaskQueuePartitions } from '../engine/task-queue-api.js';
import { updateTaskQueueConfig } from '../engine/task-queue-config-api.js';
import { updateWorkflowExecutionOptions } from '../engine/execution-options-api.js';
import { customSearchAttributes, systemSearchAttributes } from './operator-service.js';
import { pollActivityTask, pollWorkflowTask, type PollOptions } from '../engine/polling.js';
import { moveStickyQueueTasks, resetStickyTaskQueue } from '../engine/sticky.js';
import { TaskQueueKind } from '../engine/enums.js';
import { queueKey } from '../engine/effects.js';
import { TaskKind } from '../store/store.js';
import { queryWorkflow } from '../engine/query-api.js';
import { searchAttributeTypeOf } from '../engine/search-attributes.js';
import { startWorkflow } from '../engine/start.js';
import type { Tx } from '../engine/tx.js';
import { countExecutions, listExecutions } from '../engine/visibility-api.js';
import { executeMultiOperation, pollUpdate, updateWorkflow } from '../engine/update-api.js';
import { scheduleHandlers } from '../schedules/schedule-api.js';
import { batchHandlers } from '../batch/batch-api.js';
import { activityOperatorHandlers } from '../engine/activity-operator-api.js';
import { legacyVisibilityHandlers } from '../engine/legacy-visibility-api.js';
import { resetWorkflow } from '../engine/reset.js';
import type { BatchRunner } from '../batch/batch-runner.js';
import type { CallContext } from './call.js';
import type {
  ICountWorkflowExecutionsRequest,
  IDeleteWorkflowExecutionRequest,
  IResetWorkflowExecutionRequest,
  IDescribeTaskQueueRequest,
  IUpdateTaskQueueConfigRequest,
  IUpdateWorkflowExecutionOptionsRequest,
  IGetClusterInfoResponse,
  IGetSearchAttributesResponse,
  IListTaskQueuePartitionsRequest,
  IUpdateNamespaceRequest,
  IDescribeNamespaceRequest,
  IDescribeWorkflowExecutionRequest,
  IExecuteMultiOperationRequest,
  IGetSystemInfoResponse,
  IGetWorkflowExecutionHistoryRequest,
  IGetWorkflowExecutionHistoryReverseRequest,
  IListNamespacesResponse,
  IListWorkflowExecutionsRequest,
  IPollActivityTaskQueueRequest,
  IPollWorkflowExecutionUpdateRequest,
  IPollWorkflowTaskQueueRequest,
  IQueryWorkflowRequest,
  IRecordActivityTaskHeartbeatByIdRequest,
  IRecordActivityTaskHeartbeatByIdResponse,
  IRecordActivityTaskHeartbeatRequest,
  IRecordActivityTaskHeartbeatResponse,
  IRegisterNamespaceRequest,
  IRequestCancelWorkflowExecutionRequest,
  IRespondActivityTaskCanceledByIdRequest,
  IRespondActivityTaskCanceledRequest,
  IRespondActivityTaskCompletedByIdRequest,
  IRespondActivityTaskCompletedRequest,
  IRespondActivityTaskFailedByIdRequest,
  IRespondActivityTaskFailedRequest,
  IRespondQueryTaskCompletedRequest,
  IRespondWorkflowTaskCompletedRequest,
  IRespondWorkflowTaskFailedRequest,
  IResetStickyTaskQueueRequest,
  IShutdownWorkerRequest,
  ISignalWithStartWorkflowExecutionRequest,
  ISignalWorkflowExecutionRequest,
  IStartWorkflowExecutionRequest,
  IStartWorkflowExecutionResponse,
  ITerminateWorkflowExecutionRequest,
  IUpdateWorkflowExecutionRequest,
} from '../engine/proto-types.js';


export interface WorkflowServiceOptions {
  /** How long task-queue long polls wait before the empty response. */
  readonly longPollMs: number;
  readonly serverVersion: string;
  /** What GetClusterInfo and ListTaskQueuePartitions name as this server's host. */
  readonly hostName: string;
  /** Runs the batch operations StartBatchOperation starts. */
  readonly batches: BatchRunner;
}

/** The client versions a Temporal server of this generation accepts (GetClusterInfo.supportedClients). */
const SUPPORTED_CLIENTS = {
  'temporal-go': '<2.0.0',
  'temporal-java': '<2.0.0',
  'temporal-php': '<2.0.0',
  'temporal-typescript': '<2.0.0',
  'temporal-cli': '<2.0.0',
  'temporal-server': '<2.0.0',
  'temporal-ui': '<3.0.0',
};

/** Builds the handler table for temporal.api.workflowservice.v1.WorkflowService. */
export function workflowServiceHandlers(engine: Engine, options: WorkflowServiceOptions) {
  const store = engine.store;
  const ns = (name: string | null | undefined): string => requireNamespace(store, name).name;
  const pollOptions = (req: IPollWorkflowTaskQueueRequest & IPollActivityTaskQueueRequest, ctx: CallContext): PollOptions => ({
    namespace: ns(req.namespace),
    taskQueue: requireField(req.taskQueue?.name, 'TaskQueue'),
    // Like Temporal, a sticky poll without `normalName` (older SDKs) is accepted.
    stickyPoll: req.taskQueue?.kind === TaskQueueKind.TASK_QUEUE_KIND_STICKY,
    identity: req.identity ?? '',
    poller: {
      identity: req.identity ?? '',
      maxTasksPerSecond: req.taskQueueMetadata?.maxTasksPerSecond?.value ?? undefined,
      workerVersionCapabilities: req.workerVersionCapabilities,
      deploymentOptions: req.deploymentOptions,
    },
    requestId: randomUUID(),
    deadline: Math.min(Date.now() + options.longPollMs, ctx.deadline - 1000),
    signal: ctx.signal,
  });
  const onActivity = (ref: (tx: Tx) => ActivityRef, fn: (ref: ActivityRef) => void): object => {
    engine.write((tx) => fn(ref(tx)));
    return {};
  };
  const byToken = (token: Uint8Array | null | undefined) => (tx: Tx) => activityByToken(tx, token);
  const byId = (r: { namespace?: string | null; workflowId?: string | null; runId?: string | null; activityId?: string | null }) =>
    (tx: Tx) => activityById(tx, ns(r.namespace), r.workflowId ?? '', r.runId ?? '', r.activityId ?? '');

  return {
    GetSystemInfo: (): IGetSystemInfoResponse => ({
      serverVersion: options.serverVersion,
      capabilities: {
        signalAndQueryHeader: true,
        internalErrorDifferentiation: true,
        activityFailureIncludeHeartbeat: true,
        supportsSchedules: true,
        encodedFailureAttributes: true,
        buildIdBasedVersioning: false,
        upsertMemo: true,
        eagerWorkflowStart: false,
        sdkMetadata: true,
        countGroupByExecutionStatus: true,
        nexus: false,
      },
    }),
    GetClusterInfo: (): IGetClusterInfoResponse => ({
      supportedClients: SUPPORTED_CLIENTS,
      serverVersion: options.serverVersion,
      clusterId: store.clusterId(),
      clusterName: 'active',
      historyShardCount: 1,
      persistenceStore: 'sqlite',
      visibilityStore: 'sqlite',
      initialFailoverVersion: int64(1),
      failoverVersionIncrement: int64(10),
    }),
    GetSearchAttributes: (): IGetSearchAttributesResponse => {
      // The request names no namespace: every namespace's custom attributes, then the system ones.
      const custom = store.listNamespaces().map((n) => customSearchAttributes(store, n.name));
      return { keys: Object.assign({}, ...custom.reverse(), systemSearchAttributes()) };
    },
    DescribeNamespace: (req: IDescribeNamespaceRequest) => describeNamespace(store, req),
    ListNamespaces: (): IListNamespacesResponse => ({ namespaces: store.listNamespaces().map(describeNamespaceResponse) }),
    RegisterNamespace: (req: IRegisterNamespaceRequest) => {
      engine.write(() => registerNamespace(store, req));
      return {};
    },
    UpdateNamespace: (req: IUpdateNamespaceRequest) => engine.write(() => updateNamespace(store, req)),
    DescribeTaskQueue: (req: IDescribeTaskQueueRequest) => describeTaskQueue(engine, ns(req.namespace), req),
    UpdateTaskQueueConfig: (req: IUpdateTaskQueueConfigRequest) => updateTaskQueueConfig(engine, ns(req.namespace), req),
    UpdateWorkflowExecutionOptions: (req: IUpdateWorkflowExecutionOptionsRequest) => updateWorkflowExecutionOptions(engine, ns(req.namespace), req),
    ListTaskQueuePartitions: (req: IListTaskQueuePartitionsRequest) => {
      ns(req.namespace);
      return listTaskQueuePartitions(req, options.hostName);
    },
    ShutdownWorker: (req: IShutdownWorkerRequest) => {
      const namespace = ns(req.namespace);
      const sticky = req.stickyTaskQueue ?? '';
      if (sticky !== '') {
        // The worker is going away: its sticky queue has no poller from now on, its outstanding
        // polls end, and its pending tasks go to their normal queues at once.
        engine.stickyPollers.unload(namespace, sticky);
        engine.pollers.forget(namespace, sticky);
        engine.waiters.notify(queueKey(namespace, sticky, TaskKind.Workflow));
        engine.write((tx) => moveStickyQueueTasks(tx, namespace, sticky));
      }
      return {};
    },
    ResetStickyTaskQueue: (req: IResetStickyTaskQueueRequest) => {
      const namespace = ns(req.namespace);
      requireField(req.execution?.workflowId, 'WorkflowId');
      engine.write((tx) => resetStickyTaskQueue(tx.resolveRun(namespace, req.execution)));
      return {};
    },

    StartWorkflowExecution: (req: IStartWorkflowExecutionRequest): IStartWorkflowExecutionResponse => {
      const namespace = ns(req.namespace);
      const r = engine.write((tx) => startWorkflow(tx, namespace, req));
      return { runId: r.runId, started: r.started, status: r.status };
    },
    SignalWithStartWorkflowExecution: (req: ISignalWithStartWorkflowExecutionRequest) => {
      const namespace = ns(req.namespace);
      requireField(req.signalName, 'SignalName');
      checkPayloadSizes(req.signalInput, 'signal input');
      const signal = {
        signalName: req.signalName as string,
        input: req.signalInput,
        header: req.header,
        identity: req.identity ?? '',
        requestId: req.requestId ?? '',
      };
      const r = engine.write((tx) => startWorkflow(tx, namespace, req, signal));
      return { runId: r.runId, started: r.started };
    },
    SignalWorkflowExecution: (req: ISignalWorkflowExecutionRequest) => {
      const namespace = ns(req.namespace);
      requireField(req.workflowExecution?.workflowId, 'WorkflowId');
      requireField(req.signalName, 'SignalName');
      checkPayloadSizes(req.input, 'signal input');
      engine.write((tx) =>
        signalRun(tx.resolveRun(namespace, req.workflowExecution), {
          signalName: req.signalName as string,
          input: req.input,
          header: req.header,
          identity: req.identity ?? '',
          requestId: req.requestId ?? '',
        }),
      );
      return {};
    },
    RequestCancelWorkflowExecution: (req: IRequestCancelWorkflowExecutionRequest) => {
      const namespace = ns(req.namespace);
      requireField(req.workflowExecution?.workflowId, 'WorkflowId');
      engine.write((tx) => {
        const run = tx.resolveRun(namespace, req.workflowExecution);
        checkFirstExecutionRunId(run, req.firstExecutionRunId);
        requestCancelRun(run, req.reason ?? '', req.identity ?? '');
      });
      return {};
    },
    TerminateWorkflowExecution: (req: ITerminateWorkflowExecutionRequest) => {
      const namespace = ns(req.namespace);
      requireField(req.workflowExecution?.workflowId, 'WorkflowId');
      engine.write((tx) => {
        const run = tx.resolveRun(namespace, req.workflowExecution);
        checkFirstExecutionRunId(run, req.firstExecutionRunId);
        terminateRun(run, req.reason ?? '', req.details, req.identity ?? '');
      });
      return {};
    },
    ResetWorkflowExecution: (req: IResetWorkflowExecutionRequest) => {
      const namespace = ns(req.namespace);
      return { runId: engine.write((tx) => resetWorkflow(tx, namespace, req)) };
    },
    DeleteWorkflowExecution: (req: IDeleteWorkflowExecutionRequest) => {
      const namespace = ns(req.namespace);
      requireField(req.workflowExecution?.workflowId, 'WorkflowId');
      engine.write((tx) => deleteRun(tx.resolveRun(namespace, req.workflowExecution)));
      return {};
    },
    DescribeWorkflowExecution: (req: IDescribeWorkflowExecutionRequest) => {
      const namespace = ns(req.namespace);
      requireField(req.execution?.workflowId, 'WorkflowId');
      return engine.read((tx) => describeRun(store, tx.resolveRun(namespace, req.execution), searchAttributeTypeOf(store, namespace)));
    },
    GetWorkflowExecutionHistory: (req: IGetWorkflowExecutionHistoryRequest, ctx: CallContext) => {
      const namespace = ns(req.namespace);
      requireField(req.execution?.workflowId, 'WorkflowId');
      return getHistory(engine, req, { namespace, deadline: ctx.deadline - 500, signal: ctx.signal });
    },
    GetWorkflowExecutionHistoryReverse: (req: IGetWorkflowExecutionHistoryReverseRequest) => {
      const namespace = ns(req.namespace);
      requireField(req.execution?.workflowId, 'WorkflowId');
      return getHistoryReverse(engine, namespace, req);
    },
    ListWorkflowExecutions: (req: IListWorkflowExecutionsRequest) => listExecutions(engine, ns(req.namespace), req),
    CountWorkflowExecutions: (req: ICountWorkflowExecutionsRequest) => countExecutions(engine, ns(req.namespace), req),

    PollWorkflowTaskQueue: (req: IPollWorkflowTaskQueueRequest, ctx: CallContext) => pollWorkflowTask(engine, pollOptions(req, ctx)),
    RespondWorkflowTaskCompleted: (req: IRespondWorkflowTaskCompletedRequest) => completeWorkflowTask(engine, req),
    RespondWorkflowTaskFailed: (req: IRespondWorkflowTaskFailedRequest) => {
      failWorkflowTaskRpc(engine, req);
      return {};
    },
    ...scheduleHandlers(engine, ns),
    ...batchHandlers(engine, options.batches, ns),
    ...activityOperatorHandlers(engine, ns),
    ...legacyVisibilityHandlers(engine, ns),
    UpdateWorkflowExecution: (req: IUpdateWorkflowExecutionRequest, ctx: CallContext) =>
      updateWorkflow(engine, ns(req.namespace), req, ctx),
    PollWorkflowExecutionUpdate: (req: IPollWorkflowExecutionUpdateRequest, ctx: CallContext) =>
      pollUpdate(engine, ns(req.namespace), req, ctx),
    ExecuteMultiOperation: (req: IExecuteMultiOperationRequest, ctx: CallContext) =>
      executeMultiOperation(engine, ns(req.namespace), req, ctx),
    QueryWorkflow: (req: IQueryWorkflowRequest, ctx: CallContext) => queryWorkflow(engine, ns(req.namespace), req, ctx),
    RespondQueryTaskCompleted: (req: IRespondQueryTaskCompletedRequest) => {
      completeQueryTask(engine, req);
      return {};
    },

    PollActivityTaskQueue: (req: IPollActivityTaskQueueRequest, ctx: CallContext) => pollActivityTask(engine, pollOptions(req, ctx)),
    RespondActivityTaskCompleted: (req: IRespondActivityTaskCompletedRequest) => {
      checkPayloadSizes(req.result, 'activity result');
      return onActivity(byToken(req.taskToken), (r) => completeActivity(r, req.result, req.identity ?? ''));
    },
    RespondActivityTaskCompletedById: (req: IRespondActivityTaskCompletedByIdRequest) => {
      checkPayloadSizes(req.result, 'activity result');
      return onActivity(byId(req), (r) => completeActivity(r, req.result, req.identity ?? ''));
    },
    RespondActivityTaskFailed: (req: IRespondActivityTaskFailedRequest) =>
      onActivity(byToken(req.taskToken), (r) => failActivity(r, req.failure, req.lastHeartbeatDetails, req.identity ?? '')),
    RespondActivityTaskFailedById: (req: IRespondActivityTaskFailedByIdRequest) =>
      onActivity(byId(req), (r) => failActivity(r, req.failure, req.lastHeartbeatDetails, req.identity ?? '')),
    RespondActivityTaskCanceled: (req: IRespondActivityTaskCanceledRequest) =>
      onActivity(byToken(req.taskToken), (r) => cancelActivity(r, req.details, req.identity ?? '')),
    RespondActivityTaskCanceledById: (req: IRespondActivityTaskCanceledByIdRequest) =>
      onActivity(byId(req), (r) => cancelActivity(r, req.details, req.identity ?? '')),
    RecordActivityTaskHeartbeat: (req: IRecordActivityTaskHeartbeatRequest): IRecordActivityTaskHeartbeatResponse => {
      checkPayloadSizes(req.details, 'heartbeat details');
      return engine.write((tx) => heartbeatActivity(activityByToken(tx, req.taskToken), req.details));
    },
    RecordActivityTaskHeartbeatById: (req: IRecordActivityTaskHeartbeatByIdRequest): IRecordActivityTaskHeartbeatByIdResponse => {
      checkPayloadSizes(req.details, 'heartbeat details');
      return engine.write((tx) => heartbeatActivity(byId(req)(tx), req.details));
    },
  };
}
