import type { Type, Writer } from 'protobufjs';
import type * as P from '@temporalio/proto';

const HISTORY_TYPE = '.temporal.api.history.v1.History';
/** `History.events` is field 1, length-delimited: tag (1 << 3) | 2. */
const EVENTS_TAG = 10;

/**
 * A `History` whose events are already encoded `HistoryEvent` messages, e.g. rows a server stored:
 * a response holding one in its `history` field is serialized by splicing the bytes in, with no
 * decode and re-encode of every event. Only the serializers of `serviceDefinition` know it;
 * anything else encoding it would see an empty history.
 *
 * @example
 * ```ts
 * const response = { taskToken, history: new EncodedHistory(rows.map((r) => r.data)) };
 * ```
 */
export class EncodedHistory implements P.temporal.api.history.v1.IHistory {
  /** Always absent: the events are in {@link encodedEvents}. */
  readonly events?: undefined;

  constructor(readonly encodedEvents: readonly Uint8Array[]) {}
}

/** The field number of a message type's top-level `history` field of type History, if it has one. */
export function historyFieldId(type: Type): number | undefined {
  const field = type.fields.history;
  if (field === undefined) return undefined;
  field.resolve();
  return field.resolvedType?.fullName === HISTORY_TYPE ? field.id : undefined;
}

/**
 * Encodes `value` as `type`; when its `history` (field `fieldId`) is an {@link EncodedHistory}, the
 * other fields are encoded as usual and the history is appended as one length-delimited field
 * (protobuf parsers accept fields in any order, and this is the same wire form the events would have
 * had if encoded here).
 */
export function encodeWithHistory(type: Type, fieldId: number, value: object): Uint8Array {
  const history = (value as { history?: unknown }).history;
  if (!(history instanceof EncodedHistory)) return type.encode(value).finish();
  const { history: _, ...rest } = value as { history: unknown };
  const writer: Writer = type.encode(rest);
  writer.uint32((fieldId << 3) | 2).fork();
  for (const event of history.encodedEvents) writer.uint32(EVENTS_TAG).bytes(event);
  return writer.ldelim().finish();
}
