/**
 * A workflow update: the request becomes a doUpdate job; the workflow's accept / reject / complete /
 * fail responses become protocol messages (Acceptance, Rejection, Response) and, for acceptance and
 * outcome, a PROTOCOL_MESSAGE command each, matched on replay with WorkflowExecutionUpdateAccepted and
 * WorkflowExecutionUpdateCompleted. Messages are sent only when not replaying.
 *
 * @module
 */
import type { Payload, ProtoFailure } from '../../../common/proto-types.js';
import type { UpdateResponseCommand } from '../../../workflow/runtime/protocol.js';
import { MachineMismatch } from '../errors.js';
import { CommandType, EventType, eventTypeOf } from '../history-events.js';
import { plainPayloadList, plainPayloadMap } from '../plain-values.js';
import { int64, packMessage, type IncomingUpdate } from '../protocol-messages.js';
import { job, StateMachine, type EventContext, type ICommand, type IMessage, type MachineResponse } from './machine.js';

type UpdateState =
  | 'RequestInitiated'
  | 'Accepted'
  | 'Rejected'
  | 'AcceptCommandCreated'
  | 'AcceptCommandRecorded'
  | 'Completed'
  | 'CompletedCommandCreated'
  | 'CompletedCommandRecorded'
  | 'CompletedImmediately'
  | 'CompletedImmediatelyAcceptCreated'
  | 'CompletedImmediatelyCompleteCreated';

/** After the outcome in each state that allows one. */
const AFTER_OUTCOME: Partial<Record<UpdateState, UpdateState>> = {
  Accepted: 'CompletedImmediately',
  AcceptCommandCreated: 'CompletedImmediatelyAcceptCreated',
  AcceptCommandRecorded: 'Completed',
};
/** After the next PROTOCOL_MESSAGE command leaves, in each state that has one queued. */
const AFTER_COMMAND: Partial<Record<UpdateState, UpdateState>> = {
  Accepted: 'AcceptCommandCreated',
  Completed: 'CompletedCommandCreated',
  CompletedImmediately: 'CompletedImmediatelyAcceptCreated',
  CompletedImmediatelyAcceptCreated: 'CompletedImmediatelyCompleteCreated',
};

/** State machine of one update, keyed by its protocol instance id. */
export class UpdateMachine extends StateMachine {
  readonly name = 'Update';
  protected current: UpdateState = 'RequestInitiated';

  constructor(private readonly update: IncomingUpdate) {
    super();
  }

  /** The doUpdate job for the request; the validator runs only when not replaying. */
  requestJob(replaying: boolean): MachineResponse {
    const { request } = this.update;
    return job({
      kind: 'doUpdate',
      id: request.meta?.updateId ?? '',
      protocolInstanceId: this.update.protocolInstanceId,
      name: request.input?.name ?? '',
      input: plainPayloadList(request.input?.args),
      headers: plainPayloadMap(request.input?.header?.fields),
      identity: request.meta?.identity ?? '',
      runValidator: !replaying,
    });
  }

  isFinal(): boolean {
    return this.current === 'Rejected' || this.current === 'CompletedCommandRecorded';
  }

  override handleCommand(commandType: number): MachineResponse[] {
    const next = AFTER_COMMAND[this.current];
    if (commandType !== CommandType.COMMAND_TYPE_PROTOCOL_MESSAGE || next === undefined) return super.handleCommand(commandType);
    this.current = next;
    return [];
  }

  protected override acceptsCommand(): boolean {
    return false;
  }

  handleEvent(ctx: EventContext): MachineResponse[] {
    const type = eventTypeOf(ctx.event);
    if (type === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED) {
      if (this.current === 'AcceptCommandCreated') this.current = 'AcceptCommandRecorded';
      else if (this.current === 'CompletedImmediatelyCompleteCreated') this.current = 'CompletedCommandCreated';
      else throw this.unexpected(ctx);
      return [];
    }
    if (type === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED && this.current === 'CompletedCommandCreated') {
      this.current = 'CompletedCommandRecorded';
      return [];
    }
    throw this.unexpected(ctx);
  }

  /** The workflow's response (accept, reject, complete or fail). */
  respond(response: UpdateResponseCommand): MachineResponse[] {
    if (response.accepted) {
      if (this.current !== 'RequestInitiated') throw this.invalidResponse('accept');
      this.current = 'Accepted';
      return this.withCommand(`${this.update.id}/accept`, 'Acceptance', {
        acceptedRequestMessageId: this.update.id,
        acceptedRequestSequencingEventId: int64(this.update.sequencingEventId ?? 0),
        acceptedRequest: this.update.request,
      });
    }
    const failure = response.rejected ?? response.failed;
    if (failure && this.current === 'RequestInitiated') {
      this.current = 'Rejected';
      return [{ kind: 'message', message: this.rejection(failure) }];
    }
    if (failure || response.completed) return this.outcome(response.completed, failure);
    throw new MachineMismatch('', '', `the response to update ${this.update.protocolInstanceId} has no accepted, rejected, completed or failed value`);
  }

  private outcome(completed: Payload | undefined, failure: ProtoFailure | undefined): MachineResponse[] {
    const next = AFTER_OUTCOME[this.current];
    if (next === undefined) throw this.invalidResponse(failure ? 'fail' : 'complete');
    this.current = next;
    const outcome = failure ? { failure } : { success: { payloads: completed ? [completed] : [] } };
    return this.withCommand(`${this.update.id}/complete`, 'Response', { meta: this.update.request.meta, outcome });
  }

  private rejection(failure: ProtoFailure): IMessage {
    return packMessage(`${this.update.id}/reject`, this.update.protocolInstanceId, 'Rejection', {
      rejectedRequestMessageId: this.update.id,
      rejectedRequestSequencingEventId: int64(this.update.sequencingEventId ?? 0),
      rejectedRequest: this.update.request,
      failure,
    });
  }

  private withCommand(messageId: string, type: 'Acceptance' | 'Response', body: object): MachineResponse[] {
    const command: ICommand = {
      commandType: CommandType.COMMAND_TYPE_PROTOCOL_MESSAGE,
      protocolMessageCommandAttributes: { messageId },
    };
    return [
      { kind: 'message', message: packMessage(messageId, this.update.protocolInstanceId, type, body) },
      { kind: 'command', command },
    ];
  }

  private invalidResponse(what: string): MachineMismatch {
    return new MachineMismatch('', '', `the workflow tried to ${what} update ${this.update.protocolInstanceId} in state ${this.current}`);
  }
}
