/**
 * A durable timer: StartTimer ↔ TimerStarted, then TimerFired (resolves the workflow's sleep) or
 * CancelTimer ↔ TimerCanceled. Cancelling a timer whose StartTimer was never sent drops both.
 *
 * @module
 */
import type { StartTimerCommand } from '../../../workflow/runtime/protocol.js';
import { MachineMismatch } from '../errors.js';
import { CommandType, EventType, eventTypeOf } from '../history-events.js';
import { durationOf } from '../plain-values.js';
import { job, StateMachine, type EventContext, type ICommand, type IUserMetadata, type MachineResponse } from './machine.js';

type TimerState =
  | 'StartCommandCreated'
  | 'StartCommandRecorded'
  | 'CancelTimerCommandCreated'
  | 'CancelTimerCommandSent'
  | 'Fired'
  | 'Canceled';

/** The StartTimer command for the workflow's `startTimer` (timer id = the seq as a string). */
export function startTimerCommand(cmd: StartTimerCommand): ICommand {
  const userMetadata: IUserMetadata | undefined = cmd.summary ? { summary: cmd.summary } : undefined;
  return {
    commandType: CommandType.COMMAND_TYPE_START_TIMER,
    startTimerCommandAttributes: { timerId: String(cmd.seq), startToFireTimeout: durationOf(cmd.startToFireTimeoutMs) },
    userMetadata,
  };
}

/** State machine of one timer. */
export class TimerMachine extends StateMachine {
  readonly name = 'Timer';
  protected current: TimerState = 'StartCommandCreated';

  constructor(readonly seq: number) {
    super();
  }

  isFinal(): boolean {
    return this.current === 'Fired' || this.current === 'Canceled';
  }


  override handleCommand(commandType: number): MachineResponse[] {
    if (commandType === CommandType.COMMAND_TYPE_CANCEL_TIMER && this.current === 'CancelTimerCommandCreated') {
      this.current = 'CancelTimerCommandSent';
      return [];
    }
    return super.handleCommand(commandType);
  }

  protected override acceptsCommand(commandType: number): boolean {
    return commandType === CommandType.COMMAND_TYPE_START_TIMER && this.current === 'StartCommandCreated';
  }

  handleEvent(ctx: EventContext): MachineResponse[] {
    const type = eventTypeOf(ctx.event);
    if (type === EventType.EVENT_TYPE_TIMER_STARTED && this.current === 'StartCommandCreated') {
      this.current = 'StartCommandRecorded';
      return [];
    }
    if (type === EventType.EVENT_TYPE_TIMER_FIRED && this.current === 'StartCommandRecorded') {
      const timerId = ctx.event.timerFiredEventAttributes?.timerId ?? '';
      if (timerId !== String(this.seq)) {
        throw new MachineMismatch(`TimerFired(timerId=${timerId})`, `timer ${this.seq}`, `history fires timer ${timerId} where the workflow code has timer ${this.seq}`);
      }
      this.current = 'Fired';
      return [job({ kind: 'fireTimer', seq: this.seq })];
    }
    if (type === EventType.EVENT_TYPE_TIMER_CANCELED && this.current === 'CancelTimerCommandSent') {
      this.current = 'Canceled';
      return [];
    }
    throw this.unexpected(ctx);
  }

  /** The workflow cancelled the timer: a CancelTimer command if it was started, nothing otherwise. */
  cancel(): MachineResponse[] {
    switch (this.current) {
      case 'StartCommandCreated':
        this.cancelledBeforeSent = true;
        this.current = 'Canceled';
        return [];
      case 'StartCommandRecorded':
        this.current = 'CancelTimerCommandCreated';
        return [{ kind: 'command', command: { commandType: CommandType.COMMAND_TYPE_CANCEL_TIMER, cancelTimerCommandAttributes: { timerId: String(this.seq) } } }];
      default:
        // Already cancelling, cancelled or fired: nothing more to do.
        return [];
    }
  }
}
