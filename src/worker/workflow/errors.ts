/**
 * Errors raised by the history state machines: a nondeterminism (workflow code and history disagree),
 * an invalid history (the events themselves are malformed), and misuse of the machines' API.
 *
 * @module
 */
import { DeterminismViolationError, IllegalStateError, markErrorClass } from '../../common/index.js';

/** Where a nondeterminism was found and what disagreed. */
export interface NondeterminismDetails {
  /** The history event that did not fit (0 when history ended before the mismatch showed). */
  eventId: number;
  /** Its type, as the `EVENT_TYPE_*` name. */
  eventType: string;
  /** What history recorded, e.g. `StartTimer(timerId=1, 10s)`. */
  expected: string;
  /** What the workflow code produced, e.g. `ScheduleActivityTask(activityType=greet, activityId=1)`. */
  actual: string;
  /**
   * Index, in the completion of the activation last completed, of the command involved; undefined
   * when no command of that completion is involved (the command came from an earlier activation, or
   * history has an event the code produced nothing for).
   */
  commandIndex?: number;
  /** Replaces the "history expects ... but ..." sentence when the mismatch is not between two commands. */
  detail?: string;
}

/**
 * The commands workflow code produced do not match the command events history recorded (or the
 * history has events the code's state cannot accept).
 *
 * @example
 * ```ts
 * try { machine.completeActivation(completion); }
 * catch (e) { if (e instanceof NondeterminismError) console.log(e.eventId, e.expected, e.actual); }
 * ```
 */
export class NondeterminismError extends DeterminismViolationError {
  /** What it was made from (plain data: the same error can be made again from it in another thread). */
  readonly details: Readonly<NondeterminismDetails>;

  constructor(details: NondeterminismDetails) {
    const where = details.eventId > 0 ? `event ${details.eventId} (${details.eventType})` : `the end of history`;
    const what = details.detail ?? `history expects ${details.expected} but the workflow code produced ${details.actual}`;
    super(`Nondeterminism at ${where}: ${what}`);
    this.details = { ...details };
  }

  get eventId(): number {
    return this.details.eventId;
  }

  get eventType(): string {
    return this.details.eventType;
  }

  get expected(): string {
    return this.details.expected;
  }

  get actual(): string {
    return this.details.actual;
  }

  get commandIndex(): number | undefined {
    return this.details.commandIndex;
  }
}
markErrorClass(NondeterminismError, 'NondeterminismError');

/** The history given to the machines is malformed (out of order, missing required attributes, ...). */
export class InvalidHistoryError extends Error {}
markErrorClass(InvalidHistoryError, 'InvalidHistoryError');

/** The machines were driven against their contract (e.g. a completion without an outstanding activation). */
export class WorkflowMachinesStateError extends IllegalStateError {}
markErrorClass(WorkflowMachinesStateError, 'WorkflowMachinesStateError');

/**
 * Raised inside a state machine when an event does not fit; the orchestrator turns it into a
 * {@link NondeterminismError} naming the event and the command involved.
 *
 * @internal
 */
export class MachineMismatch extends Error {
  constructor(
    /** What history has, described as the command it implies (or as the event). */
    readonly expected: string,
    /** What the machine's command was. */
    readonly actual: string,
    /** A full sentence replacing "history expects ... but ...", when the two do not describe it well. */
    readonly detail?: string
  ) {
    super(detail ?? `history expects ${expected} but the workflow code produced ${actual}`);
  }
}
