/**
 * A local activity: executed by the worker (not the server) and recorded as a `core_local_activity`
 * marker once it resolved. On replay it is resolved from the marker found by looking ahead in
 * history and is not executed again; the marker is then matched without a queued command. The marker
 * format (JSON data with snake_case fields, result payload, failure) is the one Core writes.
 *
 * @module
 */
import Long from 'long';
import { temporal, type ProtoTypes } from '../../../proto/index.js';
import type { Payload, ProtoFailure } from '../../../common/proto-types.js';
import type { ActivityResolution, ScheduleLocalActivityCommand } from '../../../workflow/runtime/protocol.js';
import { MachineMismatch } from '../errors.js';
import { CommandType, EventType, eventTypeOf, jsonPayloadValue, LOCAL_ACTIVITY_MARKER_NAME, type HistoryEvent } from '../history-events.js';
import { CoreFlag } from '../internal-flags.js';
import { plainFailure, plainPayload } from '../plain-values.js';
import { jsonPayload } from './patch-machine.js';
import { job, StateMachine, type EventContext, type ICommand, type MachineResponse } from './machine.js';

type LaState =
  | 'RequestSent'
  | 'WaitingMarkerLookahead'
  | 'ResolvedFromLookaheadWaitingMarker'
  | 'MarkerCommandCreated'
  | 'ResultNotified'
  | 'MarkerCommandRecorded';

/** How a local activity ended, as the worker reports it or a marker recorded it. */
export type LocalActivityOutcome =
  | { status: 'completed'; result?: Payload }
  | { status: 'failed'; failure: ProtoFailure }
  | { status: 'timedOut'; failure: ProtoFailure }
  | { status: 'cancelled'; failure: ProtoFailure };

/** A resolution of a local activity with its bookkeeping. */
export interface LocalActivityResolution {
  outcome: LocalActivityOutcome;
  attempt: number;
  /** Set when the activity retries after a durable backoff timer instead of a local retry. */
  backoffMs?: number;
  /** Workflow time when it completed (moves workflow time forward); by default the workflow time when it was scheduled plus `runtimeMs`. */
  completeTimeMs?: number;
  /** How long the activity ran (all attempts), for the default `completeTimeMs`. */
  runtimeMs?: number;
  originalScheduleTimeMs?: number;
}

/** The marker data Core writes (snake_case JSON). */
export interface LocalActivityMarkerData {
  seq: number;
  attempt: number;
  activityId: string;
  activityType: string;
  completeTimeMs?: number;
  backoffMs?: number;
  originalScheduleTimeMs?: number;
}

type JsonTime = { seconds?: number | string; nanos?: number } | null | undefined;
const msOfJson = (t: JsonTime): number | undefined => (t ? Number(t.seconds ?? 0) * 1000 + Math.trunc((t.nanos ?? 0) / 1e6) : undefined);
const jsonOfMs = (ms: number | undefined): { seconds: number; nanos: number } | null => {
  if (ms === undefined) return null;
  const seconds = Math.floor(ms / 1000);
  return { seconds, nanos: Math.round((ms - seconds * 1000) * 1e6) };
};

/** The data of a local activity marker event, or undefined when it is none or cannot be parsed. */
export function localActivityMarkerData(event: HistoryEvent): LocalActivityMarkerData | undefined {
  const attrs = event.markerRecordedEventAttributes;
  if (eventTypeOf(event) !== EventType.EVENT_TYPE_MARKER_RECORDED || attrs?.markerName !== LOCAL_ACTIVITY_MARKER_NAME) return undefined;
  const v = jsonPayloadValue(attrs.details?.['data']?.payloads?.[0]) as Record<string, unknown> | undefined;
  if (!v || typeof v['seq'] !== 'number') return undefined;
  const pick = (snake: string, camel: string): unknown => v[snake] ?? v[camel];
  return {
    seq: v['seq'],
    attempt: Number(v['attempt'] ?? 1),
    activityId: String(pick('activity_id', 'activityId') ?? ''),
    activityType: String(pick('activity_type', 'activityType') ?? ''),
    completeTimeMs: msOfJson(pick('complete_time', 'completeTime') as JsonTime),
    backoffMs: msOfJson(pick('backoff', 'backoff') as JsonTime),
    originalScheduleTimeMs: msOfJson(pick('original_schedule_time', 'originalScheduleTime') as JsonTime),
  };
}

function isCancellation(failure: ProtoFailure | null | undefined): boolean {
  return Boolean(failure?.canceledFailureInfo || failure?.cause?.canceledFailureInfo);
}

/** The resolution a marker recorded. */
export function resolutionFromMarker(event: HistoryEvent, data: LocalActivityMarkerData): LocalActivityResolution {
  const attrs = event.markerRecordedEventAttributes;
  const result = attrs?.details?.['result']?.payloads?.[0];
  let outcome: LocalActivityOutcome;
  if (attrs?.failure) {
    const failure = plainFailure(attrs.failure);
    outcome = isCancellation(failure) ? { status: 'cancelled', failure } : { status: 'failed', failure };
  } else {
    outcome = result ? { status: 'completed', result: plainPayload(result) } : { status: 'completed' };
  }
  return { outcome, attempt: data.attempt, backoffMs: data.backoffMs, completeTimeMs: data.completeTimeMs, originalScheduleTimeMs: data.originalScheduleTimeMs };
}

const EMPTY_CANCEL: LocalActivityOutcome = { status: 'cancelled', failure: { message: 'Activity cancelled', canceledFailureInfo: {} } };

/** State machine of one local activity. */
export class LocalActivityMachine extends StateMachine {
  readonly name = 'LocalActivity';
  protected current: LaState;
  private resultType: 'completed' | 'failed' | 'cancelled' = 'completed';
  private replayingWhenInvoked: boolean;

  constructor(
    readonly request: ScheduleLocalActivityCommand,
    replaying: boolean,
    private readonly workflowTimeWhenScheduled: number | undefined
  ) {
    super();
    this.replayingWhenInvoked = replaying;
    this.current = replaying ? 'WaitingMarkerLookahead' : 'RequestSent';
  }

  /** What scheduling asks for: execution when not replaying (on replay the marker resolves it). */
  scheduleResponses(): MachineResponse[] {
    return this.replayingWhenInvoked ? [] : [{ kind: 'queueLocalActivity', request: this.request }];
  }

  get seq(): number {
    return this.request.seq;
  }

  isFinal(): boolean {
    return this.current === 'MarkerCommandRecorded';
  }

  /** Whether a peeked marker may resolve it (it waits for one). */
  willAcceptMarker(): boolean {
    return this.current === 'WaitingMarkerLookahead';
  }

  /** Whether its marker event is applied directly (resolved from lookahead) rather than matched with a queued command. */
  markerNeedsSpecialHandling(): boolean {
    if (this.current === 'ResultNotified') return false;
    if (this.current === 'ResolvedFromLookaheadWaitingMarker') return true;
    throw new MachineMismatch('', '', `local activity ${this.seq} in state ${this.current} cannot take its marker`);
  }

  override handleCommand(commandType: number): MachineResponse[] {
    if (commandType !== CommandType.COMMAND_TYPE_RECORD_MARKER || this.current !== 'MarkerCommandCreated') return super.handleCommand(commandType);
    this.current = 'ResultNotified';
    return [];
  }

  protected override acceptsCommand(): boolean {
    return false;
  }

  /** A workflow task that is not a replay started while the marker was awaited: run the activity after all. */
  encounteredNonReplayTask(): MachineResponse[] {
    if (this.current !== 'WaitingMarkerLookahead') return [];
    this.replayingWhenInvoked = false;
    this.current = 'RequestSent';
    return [{ kind: 'queueLocalActivity', request: this.request }];
  }

  /** The worker reports how the activity ended (`fromMarker` when the data comes from history). */
  resolve(resolution: LocalActivityResolution, fromMarker: boolean): MachineResponse[] {
    if (fromMarker) {
      if (this.current !== 'WaitingMarkerLookahead') throw new MachineMismatch('', '', `local activity ${this.seq} cannot be resolved from a marker in state ${this.current}`);
      this.current = 'ResolvedFromLookaheadWaitingMarker';
      return this.resolved(resolution);
    }
    if (this.current === 'MarkerCommandCreated' || this.current === 'ResultNotified' || this.current === 'MarkerCommandRecorded') return [];
    if (this.current !== 'RequestSent') throw new MachineMismatch('', '', `local activity ${this.seq} cannot be resolved in state ${this.current}`);
    this.resultType = resolution.outcome.status === 'completed' ? 'completed' : resolution.outcome.status === 'cancelled' ? 'cancelled' : 'failed';
    this.current = 'MarkerCommandCreated';
    const completeTimeMs =
      resolution.completeTimeMs ?? (this.workflowTimeWhenScheduled !== undefined && resolution.runtimeMs !== undefined ? this.workflowTimeWhenScheduled + resolution.runtimeMs : undefined);
    const originalScheduleTimeMs = resolution.originalScheduleTimeMs ?? this.request.originalScheduleTimeMs;
    return this.resolved({ ...resolution, completeTimeMs, originalScheduleTimeMs });
  }

  /** The workflow cancelled the local activity. */
  cancel(): MachineResponse[] {
    const noWait = this.request.cancellationType === 'TRY_CANCEL' || this.request.cancellationType === 'ABANDON';
    const requestCancel: MachineResponse = { kind: 'cancelLocalActivity', seq: this.seq };
    switch (this.current) {
      case 'RequestSent':
        if (!noWait) return [requestCancel];
        this.resultType = 'cancelled';
        this.current = 'MarkerCommandCreated';
        return [
          ...(this.request.cancellationType === 'TRY_CANCEL' ? [requestCancel] : []),
          ...this.resolved({ outcome: EMPTY_CANCEL, attempt: this.request.attempt, originalScheduleTimeMs: this.request.originalScheduleTimeMs }),
        ];
      case 'WaitingMarkerLookahead':
      case 'ResolvedFromLookaheadWaitingMarker':
        return [requestCancel];
      case 'MarkerCommandRecorded':
        return this.request.cancellationType === 'ABANDON' ? [] : [requestCancel];
      default:
        return [];
    }
  }

  handleEvent(ctx: EventContext): MachineResponse[] {
    const data = localActivityMarkerData(ctx.event);
    if (!data) throw this.unexpected(ctx);
    if (this.current === 'ResultNotified') {
      const failedInHistory = ctx.event.markerRecordedEventAttributes?.failure != null;
      if (this.resultType === 'completed' && failedInHistory) throw new MachineMismatch('', '', `local activity ${this.seq} completed, but history says it failed`);
      if (this.resultType === 'failed' && !failedInHistory) throw new MachineMismatch('', '', `local activity ${this.seq} failed, but history says it completed`);
    } else if (this.current !== 'ResolvedFromLookaheadWaitingMarker') {
      throw this.unexpected(ctx);
    }
    this.verifyMarker(ctx, data);
    this.current = 'MarkerCommandRecorded';
    return [];
  }

  private verifyMarker(ctx: EventContext, data: LocalActivityMarkerData): void {
    const mine = `local activity (seq=${this.seq}, activityType=${this.request.activityType}, activityId=${this.request.activityId})`;
    const theirs = `local activity (seq=${data.seq}, activityType=${data.activityType}, activityId=${data.activityId})`;
    if (data.seq !== this.seq) throw new MachineMismatch(theirs, mine);
    if (ctx.flags.tryUse(CoreFlag.IdAndTypeDeterminismChecks, !this.replayingWhenInvoked)) {
      if (data.activityId !== this.request.activityId || data.activityType !== this.request.activityType) throw new MachineMismatch(theirs, mine);
    }
  }

  /** Jobs, workflow time and (when not replaying) the marker command for a resolution. */
  private resolved(r: LocalActivityResolution): MachineResponse[] {
    const out: MachineResponse[] = [job({ kind: 'resolveActivity', seq: this.seq, isLocal: true, result: this.activityResolution(r) })];
    if (r.completeTimeMs !== undefined) out.push({ kind: 'workflowTime', timeMs: r.completeTimeMs });
    const final = r.outcome.status === 'cancelled' || r.outcome.status === 'timedOut';
    if (final && this.request.cancellationType === 'ABANDON') out.push({ kind: 'abandonLocalActivity', seq: this.seq });
    if (!this.replayingWhenInvoked) out.push({ kind: 'command', command: this.markerCommand(r) });
    return out;
  }

  private activityResolution(r: LocalActivityResolution): ActivityResolution {
    if (r.backoffMs !== undefined) {
      return { status: 'backoff', attempt: r.attempt + 1, backoffMs: r.backoffMs, originalScheduleTimeMs: r.originalScheduleTimeMs ?? 0 };
    }
    const o = r.outcome;
    switch (o.status) {
      case 'completed':
        return o.result ? { status: 'completed', result: o.result } : { status: 'completed' };
      case 'failed':
        return { status: 'failed', failure: o.failure };
      case 'timedOut':
        return { status: 'failed', failure: o.failure.timeoutFailureInfo ? this.wrap('Local Activity timed out', o.failure) : o.failure };
      default:
        return { status: 'cancelled', failure: o.failure.canceledFailureInfo ? this.wrap('Local Activity cancelled', o.failure) : o.failure };
    }
  }

  private wrap(message: string, cause: ProtoFailure): ProtoFailure {
    return plainFailure({
      message,
      cause: cause as ProtoTypes.temporal.api.failure.v1.IFailure,
      activityFailureInfo: {
        activityType: { name: this.request.activityType },
        activityId: this.request.activityId,
        retryState: temporal.api.enums.v1.RetryState.RETRY_STATE_CANCEL_REQUESTED,
        startedEventId: Long.ZERO,
        scheduledEventId: Long.ZERO,
      },
    });
  }

  private markerCommand(r: LocalActivityResolution): ICommand {
    const data = {
      seq: this.seq,
      attempt: r.attempt,
      activity_id: this.request.activityId,
      activity_type: this.request.activityType,
      complete_time: jsonOfMs(r.completeTimeMs),
      backoff: jsonOfMs(r.backoffMs),
      original_schedule_time: jsonOfMs(r.originalScheduleTimeMs),
    };
    const details: Record<string, { payloads: Payload[] }> = { data: { payloads: [jsonPayload(data)] } };
    const o = r.outcome;
    if (o.status === 'completed' && o.result) details['result'] = { payloads: [o.result] };
    return {
      commandType: CommandType.COMMAND_TYPE_RECORD_MARKER,
      recordMarkerCommandAttributes: { markerName: LOCAL_ACTIVITY_MARKER_NAME, details, failure: o.status === 'completed' ? undefined : o.failure },
      userMetadata: this.request.summary ? { summary: jsonPayload(this.request.summary) } : undefined,
    };
  }
}
