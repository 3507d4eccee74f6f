/**
 * The orchestrator of one run's state machines: applies history one workflow-task sequence at a
 * time, routes each event to the machine it belongs to, matches command events with the commands the
 * workflow produced (in order), and collects the jobs, commands and protocol messages the machines
 * produce. Follows the structure of Temporal Core's `WorkflowMachines`.
 *
 * @module
 */
import type { ActivationJob } from '../../workflow/runtime/protocol.js';
import { MachineMismatch, NondeterminismError, InvalidHistoryError } from './errors.js';
import { cancelJob, initializeWorkflowJob, signalJob, type RunIdentity } from './event-jobs.js';
import {
  EventType,
  eventIdOf,
  eventTypeName,
  eventTypeOf,
  hasAttributes,
  initialCommandEventId,
  isCommandEvent,
  isFinalEvent,
  isIgnorable,
  type HistoryEvent,
} from './history-events.js';
import { describeCommand, describeEvent } from './describe.js';
import { InternalFlags } from './internal-flags.js';
import type { EventContext, ICommand, IMessage, MachineResponse, StateMachine } from './machines/machine.js';
import { WorkflowTaskMachine } from './machines/workflow-task-machine.js';
import { msOf, plainPayloadMap } from './plain-values.js';
import { processableAfter, updateFromAcceptedEvent, updateFromAdmittedEvent, type IncomingUpdate } from './protocol-messages.js';
import { randomnessSeedFromRunId } from './randomness-seed.js';
import { HistoryCursor } from './wft-sequence.js';
import { UpdateMachine } from './machines/update-machine.js';
import { matchCommandEvent, type QueuedCommand } from './command-events.js';
import type { Payload, ProtoRetryPolicy } from '../../common/proto-types.js';
import { LocalActivityTracker } from './local-activities.js';
import { LocalActivityMachine, localActivityMarkerData, resolutionFromMarker } from './machines/local-activity-machine.js';
import { CommandType, patchMarkerDetails, isLocalActivityMarker } from './history-events.js';
import { CancelExternalMachine } from './machines/cancel-external-machine.js';
import { PropertiesMachine } from './machines/properties-machine.js';

/** What the run's start event said that later commands default to (continue-as-new). */
export interface StartedInfo {
  memo: Record<string, Payload>;
  searchAttributes: Record<string, Payload>;
  retryPolicy?: ProtoRetryPolicy;
}

/** One run's machines and the history they have consumed. */
export class WorkflowMachines {
  readonly history = new HistoryCursor();
  readonly flags: InternalFlags;
  /** Jobs for the next activation, in the order the machines produced them. */
  pendingJobs: ActivationJob[] = [];
  /** Commands sent (or about to be sent) and not yet matched with their events. */
  commands: QueuedCommand[] = [];
  /** Commands of the activation being completed, before they join {@link commands}. */
  currentTaskCommands: QueuedCommand[] = [];
  messageOutbox: IMessage[] = [];
  pendingUpdates: IncomingUpdate[] = [];
  // The maps below are made on first use: a cached run that never needs one does not keep an empty
  // hash table (≈170 bytes each in V8).
  #byEventId: Map<number, StateMachine> | undefined;
  #byCommandId: Map<string, StateMachine> | undefined;
  #updateMachines: Map<string, UpdateMachine> | undefined;
  #coreCreated: WeakSet<StateMachine> | undefined;
  #encounteredPatches: Map<string, boolean> | undefined;
  readonly localActivities = new LocalActivityTracker();
  /** Number of the activation whose completion is being applied (commands carry it as their origin). */
  activationNumber = 0;
  startedInfo: StartedInfo | undefined;
  searchAttributeUpdates: Record<string, Payload> = {};

  currentStartedEventId = 0;
  nextStartedEventId = 0;
  lastProcessedEventId = 0;
  previousStartedEventId = 0;
  replaying = false;
  haveSeenTerminalEvent = false;
  /** A command that closes the run has been issued. */
  workflowClosing = false;
  currentTimeMs: number | undefined;
  historySizeBytes = 0;
  continueAsNewSuggested = false;
  /** Set at a WorkflowTaskCompleted: the commands of that task must all be matched before the next task is scheduled. */
  private commandBlockOpen = false;
  /** Whether the sequence being applied reaches the end of the known history. */
  private sequenceHasFinalEvent = false;

  constructor(
    readonly run: RunIdentity,
    canWriteSdkMetadata: boolean
  ) {
    this.flags = new InternalFlags(canWriteSdkMetadata);
  }

  /** Machines by the id of the event that initiated them. */
  get machinesByEventId(): Map<number, StateMachine> {
    return (this.#byEventId ??= new Map());
  }

  /** Machines by command id (`activity:<seq>`, `localActivity:<seq>`, …). */
  get machinesByCommandId(): Map<string, StateMachine> {
    return (this.#byCommandId ??= new Map());
  }

  /** Update machines by protocol instance id. */
  get updateMachines(): Map<string, UpdateMachine> {
    return (this.#updateMachines ??= new Map());
  }

  /** Patch ids seen in history lookahead or used by the workflow; true once the workflow issued its marker. */
  get encounteredPatches(): Map<string, boolean> {
    return (this.#encounteredPatches ??= new Map());
  }

  /** Moves workflow time forward (never back). */
  setCurrentTime(ms: number): void {
    if (this.currentTimeMs === undefined || this.currentTimeMs < ms) this.currentTimeMs = ms;
  }

  /**
   * Applies the next unapplied workflow-task sequence of history. Returns how many events it applied
   * (0 when history has nothing more to apply).
   */
  applyNextSequence(): number {
    if (this.haveSeenTerminalEvent) {
      this.replaying = false;
      return 0;
    }
    const lastHandledStarted = this.currentStartedEventId;
    const taken = this.history.takeNextSequence(lastHandledStarted);
    const events = (taken?.events ?? []).filter((e) => eventIdOf(e) > this.lastProcessedEventId);
    const hasFinalEvent = taken?.hasFinalEvent ?? true;
    this.sequenceHasFinalEvent = hasFinalEvent;
    this.learnFlags(events);
    if (events.length === 0) this.replaying = false;
    const last = events[events.length - 1];
    if (last && eventTypeOf(last) === EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED) this.nextStartedEventId = eventIdOf(last);
    const admitted = this.applyEvents(events, hasFinalEvent);
    this.lookAhead(lastHandledStarted, admitted);
    if (hasFinalEvent && this.commandBlockOpen) this.checkNoCommandsLeft(undefined);
    return events.length;
  }

  private learnFlags(events: readonly HistoryEvent[]): void {
    for (const [i, e] of events.entries()) {
      if (e.workflowTaskCompletedEventAttributes) this.flags.addFromCompleted(e.workflowTaskCompletedEventAttributes);
      if (i === events.length - 1) this.flags.addFromCompleted(this.history.peekNextCompleted(eventIdOf(e)));
    }
  }

  /** The event loop of one sequence; returns update requests found in admitted events while replaying. */
  private applyEvents(events: readonly HistoryEvent[], hasFinalEvent: boolean): Map<string, IncomingUpdate> {
    const admitted = new Map<string, IncomingUpdate>();
    let skipNext = false;
    for (const [i, event] of events.entries()) {
      const eventId = eventIdOf(event);
      if (eventId !== this.lastProcessedEventId + 1) {
        throw new InvalidHistoryError(`History is out of order: last processed event ${this.lastProcessedEventId}, then event ${eventId}`);
      }
      const type = eventTypeOf(event);
      if (this.replaying && hasFinalEvent && eventId > this.previousStartedEventId && type !== EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED && !isCommandEvent(event)) {
        this.replaying = false; // the first event never seen by a worker before: replay is over
      }
      let handle = !skipNext;
      skipNext = false;
      if (type === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ADMITTED) {
        const update = updateFromAdmittedEvent(event);
        if (this.replaying) admitted.set(update.protocolInstanceId, update);
        else this.pendingUpdates.push(update);
        handle = false;
      }
      this.processUpdatesUpTo(eventId - 1);
      if (handle) skipNext = this.handleEvent(event, events[i + 1], hasFinalEvent) === 'skipNext';
      this.lastProcessedEventId = eventId;
    }
    return admitted;
  }

  /** Handles the pending update requests sequenced at or before `eventId`. */
  processUpdatesUpTo(eventId: number): void {
    const ready: IncomingUpdate[] = [];
    this.pendingUpdates = this.pendingUpdates.filter((u) => {
      const after = processableAfter(u);
      if (after !== undefined && after <= eventId) ready.push(u);
      return !ready.includes(u);
    });
    for (const update of ready) this.handleUpdateRequest(update);
  }

  /** Creates the update machine of a request and queues its doUpdate job. */
  handleUpdateRequest(update: IncomingUpdate): void {
    if (update.sequencingEventId === undefined) {
      throw new InvalidHistoryError(`Update request message ${update.id} has no sequencing event id (a server bug)`);
    }
    const machine = new UpdateMachine(update);
    this.updateMachines.set(update.protocolInstanceId, machine);
    this.processResponses(machine, [machine.requestJob(this.replaying)]);
  }

  /** Handles one event; 'skipNext' asks the loop to skip the following event (a patch's upsert). */
  private handleEvent(event: HistoryEvent, next: HistoryEvent | undefined, hasFinalEvent: boolean): 'normal' | 'skipNext' {
    const type = eventTypeOf(event);
    const eventId = eventIdOf(event);
    if (isFinalEvent(event)) this.haveSeenTerminalEvent = true;
    if (isIgnorable(event)) return 'normal';
    if (type === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED || type === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TIMED_OUT) {
      if (next !== undefined || !hasFinalEvent) throw new InvalidHistoryError(`History has events after event ${eventId} (${eventTypeName(type)})`);
      return 'normal';
    }
    if (type === EventType.EVENT_TYPE_UNSPECIFIED || !hasAttributes(event)) {
      if (event.workerMayIgnore) return 'normal';
      throw new InvalidHistoryError(`Event ${eventId} has an unspecified type or no attributes`);
    }
    if (isCommandEvent(event)) return matchCommandEvent(this, event, next);
    if (this.commandBlockOpen && type === EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED) this.checkNoCommandsLeft(event);
    if (type === EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED) this.commandBlockOpen = true;
    const started = event.workflowTaskStartedEventAttributes;
    if (started) {
      this.historySizeBytes = Number(started.historySizeBytes ?? 0);
      this.continueAsNewSuggested = started.suggestContinueAsNew === true;
    }
    const initialId = initialCommandEventId(event);
    if (initialId !== undefined) {
      const machine = this.machinesByEventId.get(initialId);
      if (!machine) {
        throw new NondeterminismError({
          eventId,
          eventType: eventTypeName(type),
          expected: describeEvent(event),
          actual: 'nothing',
          detail: `history has ${eventTypeName(type)} for event ${initialId}, but the workflow code has no command for that event`,
        });
      }
      this.feed(machine, event);
    } else {
      this.handleNonStatefulEvent(event);
    }
    return 'normal';
  }

  private handleNonStatefulEvent(event: HistoryEvent): void {
    const eventId = eventIdOf(event);
    switch (eventTypeOf(event)) {
      case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED: {
        const time = msOf(event.eventTime);
        if (time !== undefined) this.setCurrentTime(time);
        const a = event.workflowExecutionStartedEventAttributes;
        this.startedInfo = {
          memo: plainPayloadMap(a?.memo?.fields),
          searchAttributes: plainPayloadMap(a?.searchAttributes?.indexedFields),
          retryPolicy: a?.retryPolicy ?? undefined,
        };
        this.pendingJobs.push(initializeWorkflowJob(event, this.run));
        return;
      }
      case EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED: {
        const machine = new WorkflowTaskMachine(this.nextStartedEventId);
        this.feed(machine, event);
        this.machinesByEventId.set(eventId, machine);
        return;
      }
      case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED:
        this.pendingJobs.push(signalJob(event));
        return;
      case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCEL_REQUESTED:
        this.pendingJobs.push(cancelJob(event));
        return;
      default:
        throw new InvalidHistoryError(`Event ${eventId} (${eventTypeName(eventTypeOf(event))}) belongs to no command of the workflow`);
    }
  }

  /** Applies an event to a machine, turning a mismatch into a nondeterminism error that names the event. */
  feed(machine: StateMachine, event: HistoryEvent, queued?: QueuedCommand): void {
    const ctx: EventContext = {
      event,
      eventId: eventIdOf(event),
      replaying: this.replaying,
      lastTaskInHistory: this.sequenceHasFinalEvent,
      flags: this.flags,
    };
    let responses: MachineResponse[];
    try {
      responses = machine.handleEvent(ctx);
    } catch (error) {
      if (!(error instanceof MachineMismatch)) throw error;
      throw this.nondeterminism(event, error, queued);
    }
    this.processResponses(machine, responses);
  }

  /** A nondeterminism error about `event`, from a machine's mismatch or a command of the wrong kind. */
  nondeterminism(event: HistoryEvent | undefined, mismatch: MachineMismatch | undefined, queued?: QueuedCommand): NondeterminismError {
    const expected = mismatch?.expected || (event ? describeEvent(event) : 'no further command');
    const actual = mismatch?.actual || (queued ? describeCommand(queued.command) : 'no command');
    return new NondeterminismError({
      eventId: event ? eventIdOf(event) : 0,
      eventType: event ? eventTypeName(eventTypeOf(event)) : 'none',
      expected,
      actual,
      commandIndex: queued?.origin !== undefined && queued.origin.activation === this.activationNumber ? queued.origin.index : undefined,
      detail: mismatch?.detail,
    });
  }

  /**
   * Every command of the workflow task just completed must have met its event by the time the next
   * task is scheduled (or history ends): one left over is a command history does not have.
   */
  private checkNoCommandsLeft(event: HistoryEvent | undefined): void {
    this.commandBlockOpen = false;
    const leftover = this.commands.find((c) => !c.machine.wasCancelledBeforeSent() && !c.machine.isFinal());
    if (!leftover) return;
    const error = this.nondeterminism(event, undefined, leftover);
    throw new NondeterminismError({
      eventId: error.eventId,
      eventType: error.eventType,
      expected: 'no further command',
      actual: error.actual,
      commandIndex: error.commandIndex,
      detail: `history has no event for the command ${error.actual} the workflow code produced`,
    });
  }

  /** Acts on what a machine asked for. */
  processResponses(machine: StateMachine, responses: readonly MachineResponse[], origin?: QueuedCommand['origin']): void {
    for (const r of responses) {
      switch (r.kind) {
        case 'job':
          if (!this.#coreCreated?.has(machine)) this.pendingJobs.push(r.job);
          break;
        case 'command':
          this.currentTaskCommands.push({ command: r.command, machine, origin });
          break;
        case 'message':
          if (!this.replaying) this.messageOutbox.push(r.message);
          break;
        case 'taskStarted':
          this.taskStarted(r.startedEventId, r.timeMs);
          break;
        case 'runIdReset':
          this.pendingJobs.push({ kind: 'updateRandomSeed', randomnessSeed: randomnessSeedFromRunId(r.runId) });
          break;
        case 'workflowTime':
          this.setCurrentTime(r.timeMs);
          break;
        case 'coreCommand':
          this.addMachineIssuedCommand(r.command, origin);
          break;
        default:
          this.localActivityResponse(machine, r);
      }
    }
  }

  /**
   * A command the machines issue on the workflow's behalf, with a machine of its own: cancelling a
   * started child (its resolution is the child's business, not the workflow's) or upserting
   * TemporalChangeVersion for a patch.
   */
  private addMachineIssuedCommand(command: ICommand, origin: QueuedCommand['origin']): void {
    let machine: StateMachine;
    if (command.commandType === CommandType.COMMAND_TYPE_REQUEST_CANCEL_EXTERNAL_WORKFLOW_EXECUTION) {
      machine = new CancelExternalMachine(0);
      // Created by the machines themselves: their jobs are not the workflow's business.
      (this.#coreCreated ??= new WeakSet()).add(machine);
    } else {
      machine = new PropertiesMachine('upsertSearchAttributes');
    }
    this.currentTaskCommands.push({ command, machine, origin });
  }

  private localActivityResponse(machine: StateMachine, r: MachineResponse): void {
    if (r.kind === 'queueLocalActivity') {
      this.localActivities.enqueue(r.request);
    } else if (r.kind === 'abandonLocalActivity') {
      this.localActivities.doneExecuting(r.seq);
    } else if (r.kind === 'cancelLocalActivity' && machine instanceof LocalActivityMachine) {
      const known = this.localActivities.takePreresolution(r.seq);
      const queued = known ? undefined : this.localActivities.removeFromQueue(r.seq);
      if (known) {
        this.processResponses(machine, machine.resolve(known, true));
      } else if (queued) {
        const outcome = { status: 'cancelled', failure: { message: 'Activity cancelled', canceledFailureInfo: {} } } as const;
        this.processResponses(machine, machine.resolve({ outcome, attempt: queued.attempt, originalScheduleTimeMs: queued.originalScheduleTimeMs }, false));
      } else {
        this.localActivities.enqueueCancel(r.seq);
      }
    }
  }

  private taskStarted(startedEventId: number, timeMs: number): void {
    this.currentStartedEventId = startedEventId;
    this.setCurrentTime(timeMs);
    if (this.replaying) return;
    // A task that is not a replay: local activities still waiting for a marker must run after all.
    for (const machine of this.#byCommandId?.values() ?? []) {
      if (machine instanceof LocalActivityMachine) this.processResponses(machine, machine.encounteredNonReplayTask());
    }
  }

  /** Pre-resolves what the next sequence already shows: patches, local activity markers, accepted updates. */
  private lookAhead(lastHandledStarted: number, admitted: Map<string, IncomingUpdate>): void {
    const delayed: Array<() => void> = [];
    for (const e of this.history.peekNextSequence(lastHandledStarted)) {
      const patch = patchMarkerDetails(e);
      const accepted = e.workflowExecutionUpdateAcceptedEventAttributes;
      if (patch) {
        this.encounteredPatches.set(patch.patchId, false);
        this.pendingJobs.push({ kind: 'notifyHasPatch', patchId: patch.patchId });
      } else if (isLocalActivityMarker(e)) {
        const data = localActivityMarkerData(e);
        if (!data) throw new InvalidHistoryError(`Local activity marker ${eventIdOf(e)} cannot be parsed`);
        delayed.push(() => this.peekedLocalActivityMarker(data.seq, resolutionFromMarker(e, data)));
      } else if (accepted) {
        const update = admitted.get(accepted.protocolInstanceId ?? '') ?? updateFromAcceptedEvent(e);
        admitted.delete(accepted.protocolInstanceId ?? '');
        delayed.push(() => this.handleUpdateRequest(update));
      }
    }
    for (const action of delayed) action();
  }

  private peekedLocalActivityMarker(seq: number, resolution: Parameters<LocalActivityMachine['resolve']>[0]): void {
    const machine = this.machinesByCommandId.get(`localActivity:${seq}`);
    if (machine instanceof LocalActivityMachine && !machine.willAcceptMarker()) return;
    this.localActivities.insertPeeked(seq, resolution);
    this.applyPeekedLocalActivityResolutions();
  }

  /** Resolves, in marker order, the local activities the workflow has scheduled whose markers were peeked. */
  applyPeekedLocalActivityResolutions(): void {
    for (let seq = this.localActivities.peekPreresolutionSeq(); seq !== undefined; seq = this.localActivities.peekPreresolutionSeq()) {
      const machine = this.machinesByCommandId.get(`localActivity:${seq}`);
      if (!(machine instanceof LocalActivityMachine)) return;
      const resolution = this.localActivities.takePreresolution(seq);
      if (resolution) this.processResponses(machine, machine.resolve(resolution, true));
    }
  }

  /** Commands to send with the task's response: queued, not cancelled before sending, machine not finished. */
  outgoingCommands(): ICommand[] {
    return this.commands.filter((c) => !c.machine.isFinal() && !c.machine.wasCancelledBeforeSent()).map((c) => c.command);
  }
}
