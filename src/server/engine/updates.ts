/**
 * Workflow updates inside the engine: admission, delivery as protocol messages on workflow tasks,
 * acceptance / rejection / completion from the worker's messages, and failure when the run closes.
 */
import { int64, temporal } from '../../proto/index.js';
import { invalidArgument } from '../errors.js';
import { CommandType, EventType } from './enums.js';
import type { ICommand } from './proto-types.js';
import type { Run } from './run.js';
import type { UpdateState } from './state.js';
import type { ProtoTypes } from '../../proto/index.js';

type IMessage = ProtoTypes.temporal.api.protocol.v1.IMessage;
type IRequest = ProtoTypes.temporal.api.update.v1.IRequest;
type IOutcome = ProtoTypes.temporal.api.update.v1.IOutcome;

const { Request, Acceptance, Rejection, Response, Outcome } = temporal.api.update.v1;
const TYPE_PREFIX = 'type.googleapis.com/';
const pack = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');
const unpack = (b64: string): Buffer => Buffer.from(b64, 'base64');

export const decodeRequest = (u: UpdateState): IRequest => Request.decode(unpack(u.request));
export const decodeOutcome = (u: UpdateState): IOutcome | undefined => (u.outcome ? Outcome.decode(unpack(u.outcome)) : undefined);

/** Admits an update (or returns the existing one with the same id). */
export function admitUpdate(run: Run, request: IRequest): UpdateState {
  const id = request.meta?.updateId ?? '';
  const existing = run.state.updates[id];
  if (existing) return existing;
  const update: UpdateState = {
    phase: 'admitted',
    request: pack(Request.encode(request).finish()),
    sentWithStartedEventId: 0,
    acceptedEventId: 0,
    outcome: undefined,
  };
  run.state.updates[id] = update;
  run.tx.effects.runChanged(run.namespace, run.state.runId);
  return update;
}

/** Whether any admitted update still waits to be delivered on a task. */
export const hasUndeliveredUpdates = (run: Run): boolean =>
  Object.values(run.state.updates).some((u) => u.phase === 'admitted');

/** Protocol messages for the task being started: every admitted update's request. */
export function deliverUpdates(run: Run, startedEventId: number): IMessage[] {
  const messages: IMessage[] = [];
  for (const [id, u] of Object.entries(run.state.updates)) {
    if (u.phase !== 'admitted') continue;
    u.phase = 'sent';
    u.sentWithStartedEventId = startedEventId;
    messages.push({
      id: `${id}/request`,
      protocolInstanceId: id,
      eventId: int64(startedEventId - 1),
      body: { type_url: `${TYPE_PREFIX}temporal.api.update.v1.Request`, value: unpack(u.request) } as never,
    });
  }
  return messages;
}

/** A task carrying update requests failed or timed out: deliver them again with the next task. */
export function redeliverUpdates(run: Run): void {
  for (const u of Object.values(run.state.updates)) if (u.phase === 'sent') u.phase = 'admitted';
}

/**
 * Applies the worker's update messages: PROTOCOL_MESSAGE commands place Accepted / Completed events at
 * their position (called from the command loop); {@link finishUpdateMessages} handles the rest.
 */
export function applyProtocolMessageCommand(run: Run, c: ICommand, messages: Map<string, IMessage>): void {
  const messageId = c.protocolMessageCommandAttributes?.messageId ?? '';
  const message = messages.get(messageId);
  if (!message) throw invalidArgument(`ProtocolMessageCommand refers to message ${messageId}, which is not in the completion.`);
  messages.delete(messageId);
  applyMessage(run, message);
}

/** Messages with no command (rejections), then server-side rejection of requests the worker ignored. */
export function finishUpdateMessages(run: Run, messages: Map<string, IMessage>, identity: string): void {
  for (const message of messages.values()) applyMessage(run, message);
  for (const [id, u] of Object.entries(run.state.updates)) {
    if (u.phase !== 'sent') continue;
    complete(run, id, u, { failure: { message: 'Workflow Update was not processed by the workflow task and was rejected.', source: identity } });
  }
}

function applyMessage(run: Run, message: IMessage): void {
  const id = message.protocolInstanceId ?? '';
  const u = run.state.updates[id];
  const body = message.body as { type_url?: string; value?: Uint8Array } | null | undefined;
  const type = (body?.type_url ?? '').replace(TYPE_PREFIX, '');
  const value = body?.value ?? new Uint8Array();
  if (!u) throw invalidArgument(`Protocol message ${message.id ?? ''} refers to unknown update ${id}.`);
  switch (type) {
    case 'temporal.api.update.v1.Acceptance': {
      const a = Acceptance.decode(value);
      if (u.phase !== 'sent') throw invalidArgument(`Update ${id} cannot be accepted: it is ${u.phase}.`);
      u.phase = 'accepted';
      u.acceptedEventId = run.addEvent(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED, {
        protocolInstanceId: id,
        acceptedRequestMessageId: a.acceptedRequestMessageId || `${id}/request`,
        acceptedRequestSequencingEventId: a.acceptedRequestSequencingEventId,
        acceptedRequest: a.acceptedRequest ?? decodeRequest(u),
      });
      run.tx.effects.runChanged(run.namespace, run.state.runId);
      return;
    }
    case 'temporal.api.update.v1.Rejection': {
      if (u.phase !== 'sent') throw invalidArgument(`Update ${id} cannot be rejected: it is ${u.phase}.`);
      complete(run, id, u, { failure: Rejection.decode(value).failure });
      return;
    }
    case 'temporal.api.update.v1.Response': {
      const r = Response.decode(value);
      if (u.phase !== 'accepted') throw invalidArgument(`Update ${id} cannot complete: it is ${u.phase}.`);
      run.addEvent(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED, {
        meta: r.meta ?? { updateId: id },
        acceptedEventId: u.acceptedEventId,
        outcome: r.outcome,
      });
      complete(run, id, u, r.outcome ?? {});
      return;
    }
    default:
      throw invalidArgument(`Protocol message ${message.id ?? ''} has an unsupported body type "${type}".`);
  }
}

function complete(run: Run, _id: string, u: UpdateState, outcome: IOutcome): void {
  u.phase = 'completed';
  u.outcome = pack(Outcome.encode(outcome).finish());
  run.tx.effects.runChanged(run.namespace, run.state.runId);
}

/** The run closed: accepted updates fail; ones never accepted are dropped (their callers get NOT_FOUND). */
export function failUpdatesOnClose(run: Run): void {
  for (const [id, u] of Object.entries(run.state.updates)) {
    if (u.phase === 'accepted') {
      complete(run, id, u, {
        failure: {
          message: 'Workflow Update failed because the Workflow completed before the Update completed.',
          source: 'Server',
          applicationFailureInfo: { type: 'AcceptedUpdateCompletedWorkflow', nonRetryable: true },
        },
      });
    } else if (u.phase !== 'completed') {
      delete run.state.updates[id];
    }
  }
}

/** Splits a completion's messages by id. */
export function messagesById(messages: readonly IMessage[] | null | undefined): Map<string, IMessage> {
  return new Map((messages ?? []).map((m) => [m.id ?? '', m]));
}

export const isProtocolMessageCommand = (c: ICommand): boolean => c.commandType === CommandType.COMMAND_TYPE_PROTOCOL_MESSAGE;
