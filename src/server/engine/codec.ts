/** base64 encoding of protobuf messages kept inside the JSON mutable state. */
import { temporal } from '../../proto/index.js';
import type { IFailure, IHeader, IHistoryEvent, IMemo, IPayloads, ISearchAttributes } from './proto-types.js';

const { Payloads, Memo, SearchAttributes, Header } = temporal.api.common.v1;
const { Failure } = temporal.api.failure.v1;
const { HistoryEvent } = temporal.api.history.v1;

/** A json/plain payload, as Temporal servers encode the strings they write themselves. */
export function jsonPayload(value: unknown): { metadata: Record<string, Uint8Array>; data: Uint8Array } {
  return { metadata: { encoding: Buffer.from('json/plain') }, data: Buffer.from(JSON.stringify(value)) };
}

interface Codec<T> {
  encode(message: T): { finish(): Uint8Array };
  decode(bytes: Uint8Array): T;
}

function make<T>(type: Codec<T>) {
  return {
    pack(value: T | null | undefined): string | undefined {
      return value === null || value === undefined ? undefined : Buffer.from(type.encode(value).finish()).toString('base64');
    },
    unpack(value: string | undefined): T | undefined {
      return value === undefined ? undefined : type.decode(Buffer.from(value, 'base64'));
    },
  };
}

export const payloadsCodec = make<IPayloads>(Payloads as unknown as Codec<IPayloads>);
export const failureCodec = make<IFailure>(Failure as unknown as Codec<IFailure>);
export const memoCodec = make<IMemo>(Memo as unknown as Codec<IMemo>);
export const searchAttributesCodec = make<ISearchAttributes>(SearchAttributes as unknown as Codec<ISearchAttributes>);
export const eventCodec = make<IHistoryEvent>(HistoryEvent as unknown as Codec<IHistoryEvent>);
export const headerCodec = make<IHeader>(Header as unknown as Codec<IHeader>);
