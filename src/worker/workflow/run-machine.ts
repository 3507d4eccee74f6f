/**
 * One workflow run's history state machines behind a small, I/O-free API: feed it each polled
 * workflow task, run the activations it yields in the sandbox and feed their completions back, then
 * take the task's response. Commands are checked against history as they are matched with their
 * events (a mismatch throws a {@link NondeterminismError}); on a cache miss or in replay the whole
 * history is replayed through the same path.
 *
 * @example
 * ```ts
 * const machine = new WorkflowRunMachine({ namespace, taskQueue, workflowId, runId, workflowType });
 * machine.addWorkflowTask({ events, messages, startedEventId });
 * for (let a = machine.nextActivation(); a; a = machine.nextActivation()) {
 *   machine.completeActivation(await sandbox.activate(a));
 * }
 * const { commands, messages, closed, sdkMetadata } = machine.takeTaskResponse();
 * ```
 * @module
 */
import type { ProtoTypes } from '../../proto/index.js';
import type { SuccessfulCompletion, WorkflowActivation } from '../../workflow/runtime/protocol.js';
import { applyCommands, orderCommands } from './command-intake.js';
import { InvalidHistoryError, WorkflowMachinesStateError } from './errors.js';
import { orderJobs, queryJob } from './event-jobs.js';
import { EventType, eventIdOf, eventTypeOf, type HistoryEvent } from './history-events.js';
import type { LocalActivityRequest } from './local-activities.js';
import { LocalActivityMachine, type LocalActivityResolution } from './machines/local-activity-machine.js';
import { updateFromMessage } from './protocol-messages.js';
import { WorkflowMachines } from './workflow-machines.js';

export { NondeterminismError, InvalidHistoryError, WorkflowMachinesStateError } from './errors.js';
export type { LocalActivityRequest } from './local-activities.js';
export type { LocalActivityOutcome, LocalActivityResolution } from './machines/local-activity-machine.js';

type IMessage = ProtoTypes.temporal.api.protocol.v1.IMessage;
type ICommand = ProtoTypes.temporal.api.command.v1.ICommand;
type IWorkflowQuery = ProtoTypes.temporal.api.query.v1.IWorkflowQuery;
type CompletedMetadata = ProtoTypes.temporal.api.sdk.v1.IWorkflowTaskCompletedMetadata;

/** Options of {@link WorkflowRunMachine}. */
export interface WorkflowRunMachineOptions {
  namespace: string;
  /** The worker's task queue (the default for activities, children and continue-as-new). */
  taskQueue: string;
  workflowId: string;
  runId: string;
  workflowType: string;
  /**
   * Whether the server records `sdkMetadata` on task completions (its `sdk_metadata` capability);
   * without it Core's internal flags cannot be used or recorded.
   * @default true
   */
  sdkMetadata?: boolean;
  /**
   * Wall clock, for the original schedule time of local activities.
   * @default Date.now
   */
  now?: () => number;
  /** The worker's `workflowFailureErrorTypes` for this workflow type (its `'*'` list and its own). */
  failureExceptionTypeNames?: readonly string[];
}

/** One polled workflow task. */
export interface WorkflowTaskInput {
  /** The poll's history: all of it (events already processed are skipped) or the part after them. */
  events: readonly HistoryEvent[];
  /** The poll's protocol messages (update requests). */
  messages: readonly IMessage[];
  /** The poll's WorkflowTaskStarted event id (0 for a legacy query task). */
  startedEventId: number;
  /** The poll's `previousStartedEventId`; derived from the events when absent or 0. */
  previousStartedEventId?: number;
}

/** The parts of RespondWorkflowTaskCompleted the machines decide. */
export interface TaskResponse {
  commands: ICommand[];
  /** Update protocol messages (acceptances, rejections, outcomes). */
  messages: IMessage[];
  /** Whether the run is closed (a close command was issued or history shows the run ended). */
  closed: boolean;
  /** Core internal flags to record: send as the completion's `sdkMetadata` (with `sdkName`/`sdkVersion`). */
  sdkMetadata: CompletedMetadata;
}

/** The last WorkflowTaskStarted followed by WorkflowTaskCompleted: the task a replay starts new work after. */
function lastCompletedTaskStarted(events: readonly HistoryEvent[]): number {
  for (let i = events.length - 2; i >= 0; i--) {
    const e = events[i] as HistoryEvent;
    if (eventTypeOf(e) === EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED && eventTypeOf(events[i + 1] as HistoryEvent) === EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED) {
      return eventIdOf(e);
    }
  }
  return 0;
}

function requireString(options: object, key: string): void {
  const value = (options as Record<string, unknown>)[key];
  if (typeof value !== 'string') throw new TypeError(`WorkflowRunMachine option '${key}' must be a string, got ${typeof value}`);
}

/** The history state machines of one workflow run. */
export class WorkflowRunMachine {
  readonly namespace: string;
  readonly taskQueue: string;
  readonly workflowId: string;
  readonly runId: string;
  readonly workflowType: string;
  private readonly m: WorkflowMachines;
  private readonly now: () => number;
  private taskOpen = false;
  private outstanding = false;
  private activationCount = 0;
  private broken: Error | undefined;

  constructor(options: WorkflowRunMachineOptions) {
    if (typeof options !== 'object' || options === null) throw new TypeError('WorkflowRunMachine needs an options object');
    for (const key of ['namespace', 'taskQueue', 'workflowId', 'runId', 'workflowType']) requireString(options, key);
    this.namespace = options.namespace;
    this.taskQueue = options.taskQueue;
    this.workflowId = options.workflowId;
    this.runId = options.runId;
    this.workflowType = options.workflowType;
    this.now = options.now ?? Date.now;
    this.m = new WorkflowMachines(
      {
        namespace: options.namespace,
        taskQueue: options.taskQueue,
        workflowId: options.workflowId,
        runId: options.runId,
        workflowType: options.workflowType,
        failureExceptionTypeNames: options.failureExceptionTypeNames,
      },
      options.sdkMetadata ?? true
    );
  }

  /** The id of the last history event applied. */
  get lastProcessedEventId(): number {
    return this.m.lastProcessedEventId;
  }

  /** Local activities requested or running and not yet resolved (the task cannot complete while any are). */
  get pendingLocalActivityCount(): number {
    return this.m.localActivities.outstandingCount();
  }

  /** Runs `fn`; an error leaves the machines unusable (the run must be evicted and replayed). */
  private guarded<T>(fn: () => T): T {
    if (this.broken) throw new WorkflowMachinesStateError(`The machines of run ${this.runId} failed earlier (${this.broken.message}); evict the run`);
    try {
      return fn();
    } catch (error) {
      this.broken = error as Error;
      throw error;
    }
  }

  /**
   * Applies a polled task: its new events (up to the first activation it needs) and its update
   * requests. Activations follow from {@link nextActivation}.
   *
   * @throws NondeterminismError when the new events contradict the commands already sent
   * @throws InvalidHistoryError when the events are malformed
   */
  addWorkflowTask(task: WorkflowTaskInput): void {
    if (typeof task !== 'object' || task === null || !Array.isArray(task.events)) throw new TypeError('addWorkflowTask needs { events: HistoryEvent[], ... }');
    if (this.outstanding) throw new WorkflowMachinesStateError('addWorkflowTask called while an activation is outstanding');
    this.guarded(() => {
      this.m.history.add(task.events);
      if (task.startedEventId > this.m.history.lastEventId) {
        throw new InvalidHistoryError(`The task's history ends at event ${this.m.history.lastEventId}, before its WorkflowTaskStarted event ${task.startedEventId}`);
      }
      this.m.previousStartedEventId = Math.max(task.previousStartedEventId ?? 0, lastCompletedTaskStarted(task.events));
      this.m.replaying = this.m.previousStartedEventId > 0;
      this.m.pendingUpdates.push(...(task.messages ?? []).map(updateFromMessage));
      this.taskOpen = true;
      this.m.applyNextSequence();
      if (this.m.pendingJobs.length === 0) this.m.applyNextSequence();
      if (this.m.pendingJobs.length === 0) this.advance([]);
    });
  }

  /**
   * The next activation of the current task, or undefined when the task needs no more (its response
   * is ready, or local activities must resolve first — see {@link pendingLocalActivityCount}).
   */
  nextActivation(): WorkflowActivation | undefined {
    if (this.outstanding) throw new WorkflowMachinesStateError('nextActivation called before the previous activation was completed');
    if (this.broken || !this.taskOpen || this.m.pendingJobs.length === 0) return undefined;
    const jobs = orderJobs(this.m.pendingJobs);
    this.m.pendingJobs = [];
    this.outstanding = true;
    this.activationCount++;
    return {
      runId: this.runId,
      timestampMs: this.m.currentTimeMs ?? 0,
      isReplaying: this.m.replaying || jobs.every((j) => j.kind === 'queryWorkflow'),
      historyLength: this.m.lastProcessedEventId,
      historySizeBytes: this.m.historySizeBytes,
      continueAsNewSuggested: this.m.continueAsNewSuggested,
      jobs,
    };
  }

  /**
   * Feeds back the completion of the activation last returned by {@link nextActivation}: its commands
   * join the task's, and history is applied further as far as they allow.
   *
   * @throws NondeterminismError when the commands do not match history
   */
  completeActivation(completion: SuccessfulCompletion): void {
    if (typeof completion !== 'object' || completion === null || !Array.isArray(completion.commands)) {
      throw new TypeError('completeActivation needs a successful completion { commands: WorkflowCommand[] }');
    }
    if (!this.outstanding) throw new WorkflowMachinesStateError('completeActivation called without an outstanding activation');
    this.outstanding = false;
    this.guarded(() => {
      this.m.activationNumber = this.activationCount;
      this.advance(orderCommands(this.m, completion.commands));
    });
  }

  /** Applies commands, then history as far as the workflow is waiting for nothing. */
  private advance(commands: Parameters<typeof applyCommands>[1]): void {
    applyCommands(this.m, commands, this.now);
    if (this.m.pendingJobs.length > 0) return;
    for (;;) {
      const consumed = this.m.applyNextSequence();
      if (consumed === 0 || !this.m.replaying || this.m.pendingJobs.length > 0) return;
    }
  }

  /**
   * The current task's response. The task ends; the next one comes with {@link addWorkflowTask}.
   *
   * @param options.localActivityHeartbeat answer the task while local activities still run (a workflow
   *   task "heartbeat": send it with `forceCreateNewWorkflowTask`); they stay tracked and resolve later
   */
  takeTaskResponse(options: { localActivityHeartbeat?: boolean } = {}): TaskResponse {
    if (this.outstanding) throw new WorkflowMachinesStateError('takeTaskResponse called while an activation is outstanding');
    if (this.m.pendingJobs.length > 0 && !this.broken) throw new WorkflowMachinesStateError('takeTaskResponse called while activations remain');
    if (this.m.localActivities.outstandingCount() > 0 && !this.broken && options.localActivityHeartbeat !== true) {
      throw new WorkflowMachinesStateError('takeTaskResponse called while local activities are running (pass localActivityHeartbeat to answer anyway)');
    }
    return this.guarded(() => {
      this.m.flags.writeAllKnown();
      const commands = this.m.outgoingCommands();
      const messages = this.m.messageOutbox;
      this.m.messageOutbox = [];
      this.taskOpen = false;
      return { commands, messages, closed: this.m.workflowClosing || this.m.haveSeenTerminalEvent, sdkMetadata: this.m.flags.gatherForCompletion() };
    });
  }

  /**
   * An activation with only query jobs, for the queries of a poll (or a legacy query, id
   * `'legacy_query'`). It does not change the machines; its completion is not fed back.
   */
  queryActivation(queries: ReadonlyArray<{ queryId: string; query: IWorkflowQuery }>): WorkflowActivation {
    if (!Array.isArray(queries) || queries.length === 0) throw new TypeError('queryActivation needs at least one { queryId, query }');
    return {
      runId: this.runId,
      timestampMs: this.m.currentTimeMs ?? 0,
      isReplaying: true,
      historyLength: this.m.lastProcessedEventId,
      historySizeBytes: this.m.historySizeBytes,
      continueAsNewSuggested: this.m.continueAsNewSuggested,
      jobs: queries.map(({ queryId, query }) => queryJob(queryId, query)),
    };
  }

  /** Local activities to start or stop, for the worker to execute; each start is reported back with {@link resolveLocalActivity}. */
  takeLocalActivityRequests(): LocalActivityRequest[] {
    return this.m.localActivities.takeRequests();
  }

  /**
   * Reports how a local activity ended (or that it retries after a backoff timer). Its resolution
   * becomes a job of the next activation and its marker a command of the task.
   */
  resolveLocalActivity(seq: number, resolution: LocalActivityResolution): void {
    if (this.outstanding) throw new WorkflowMachinesStateError('resolveLocalActivity called while an activation is outstanding');
    this.guarded(() => {
      const machine = this.m.machinesByCommandId.get(`localActivity:${seq}`);
      if (!(machine instanceof LocalActivityMachine)) throw new WorkflowMachinesStateError(`No local activity ${seq} in run ${this.runId}`);
      this.m.processResponses(machine, machine.resolve(resolution, false));
      this.m.localActivities.doneExecuting(seq);
      if (this.m.pendingJobs.length === 0) this.advance([]);
    });
  }
}
