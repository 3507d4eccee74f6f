/**
 * Update requests as the machines receive them: protocol messages of a poll response, or recreated
 * from history (WorkflowExecutionUpdateAdmitted events live, WorkflowExecutionUpdateAccepted events
 * on replay), plus packing of the messages the worker sends back.
 *
 * @module
 */
import Long from 'long';
import { int64ToNumber } from '../../common/duration.js';
import { temporal, type ProtoTypes } from '../../proto/index.js';
import { InvalidHistoryError } from './errors.js';
import { eventIdOf, type HistoryEvent } from './history-events.js';

type IMessage = ProtoTypes.temporal.api.protocol.v1.IMessage;
export type UpdateRequest = ProtoTypes.temporal.api.update.v1.IRequest;

const TYPE_PREFIX = 'type.googleapis.com/';
const REQUEST_TYPE = 'temporal.api.update.v1.Request';

/** An update request to hand to an update machine. */
export interface IncomingUpdate {
  /** The request message's id (`<updateId>/request` as servers send it). */
  id: string;
  protocolInstanceId: string;
  /** The event after which the request applies; undefined when the message has no event sequencing. */
  sequencingEventId: number | undefined;
  /** False when the message is sequenced by command index, which never applies to history events. */
  sequencedByEvent: boolean;
  request: UpdateRequest;
}

function validRequest(request: UpdateRequest | null | undefined, where: string): UpdateRequest {
  if (!request) throw new InvalidHistoryError(`${where} has no update request`);
  if (!request.input) throw new InvalidHistoryError(`${where}: the update request has no input`);
  if (!request.meta) throw new InvalidHistoryError(`${where}: the update request has no meta`);
  return request;
}

/** An update request message from a poll response. */
export function updateFromMessage(message: IMessage): IncomingUpdate {
  const where = `Protocol message ${message.id ?? ''}`;
  const body = message.body as { type_url?: string | null; value?: Uint8Array | null } | null | undefined;
  if (!body) throw new InvalidHistoryError(`${where} has no body`);
  const type = (body.type_url ?? '').replace(TYPE_PREFIX, '');
  if (type !== REQUEST_TYPE) throw new InvalidHistoryError(`${where} has a body of type "${type}"; only ${REQUEST_TYPE} is understood`);
  const request = validRequest(temporal.api.update.v1.Request.decode(body.value ?? new Uint8Array()), where);
  const eventId = message.eventId;
  const byCommand = message.commandIndex !== undefined && message.commandIndex !== null && (eventId === undefined || eventId === null);
  return {
    id: message.id ?? '',
    protocolInstanceId: message.protocolInstanceId ?? '',
    sequencingEventId: eventId === undefined || eventId === null ? undefined : int64ToNumber(eventId),
    sequencedByEvent: !byCommand,
    request,
  };
}

/** The request a durable WorkflowExecutionUpdateAdmitted event carries (sequenced at the event itself). */
export function updateFromAdmittedEvent(event: HistoryEvent): IncomingUpdate {
  const where = `WorkflowExecutionUpdateAdmitted event ${eventIdOf(event)}`;
  const request = validRequest(event.workflowExecutionUpdateAdmittedEventAttributes?.request, where);
  const updateId = request.meta?.updateId ?? '';
  return { id: `${updateId}/request`, protocolInstanceId: updateId, sequencingEventId: eventIdOf(event), sequencedByEvent: true, request };
}

/** The request a WorkflowExecutionUpdateAccepted event recorded, as it was first delivered. */
export function updateFromAcceptedEvent(event: HistoryEvent): IncomingUpdate {
  const attrs = event.workflowExecutionUpdateAcceptedEventAttributes;
  const request = validRequest(attrs?.acceptedRequest, `WorkflowExecutionUpdateAccepted event ${eventIdOf(event)}`);
  return {
    id: attrs?.acceptedRequestMessageId ?? '',
    protocolInstanceId: attrs?.protocolInstanceId ?? '',
    sequencingEventId: int64ToNumber(attrs?.acceptedRequestSequencingEventId),
    sequencedByEvent: true,
    request,
  };
}

/** The event id after which the message may be processed (0 for unsequenced), or undefined for never. */
export function processableAfter(update: IncomingUpdate): number | undefined {
  if (!update.sequencedByEvent) return undefined;
  return update.sequencingEventId ?? 0;
}

/** A protocol message with `body` packed as an Any of the given update message type. */
export function packMessage(
  id: string,
  protocolInstanceId: string,
  typeName: 'Acceptance' | 'Rejection' | 'Response',
  body: object
): IMessage {
  const type = temporal.api.update.v1[typeName] as unknown as { encode(m: object): { finish(): Uint8Array } };
  return {
    id,
    protocolInstanceId,
    body: { type_url: `${TYPE_PREFIX}temporal.api.update.v1.${typeName}`, value: type.encode(body).finish() },
  };
}

/** A number as an int64 field value. */
export const int64 = (value: number): Long => Long.fromNumber(value);
