/** The client's use of a data converter: values → payloads → codecs on send, the reverse on receive. */
import { createRequire } from 'node:module';
import {
  arrayFromPayloads,
  decodeMapPayloads,
  decodeOptionalFailure,
  decodePayloads,
  defaultDataConverter,
  encodeMapPayloads,
  encodePayloads,
  fromPayloadsAtIndex,
  mapFromPayloads,
  mapToPayloads,
  toPayloads,
  type DataConverter,
  type LoadedDataConverter,
  type Payload,
  type ProtoFailure,
} from '../common/index.js';

/**
 * Loads a {@link DataConverter}: converters named by path are loaded with `require` (CommonJS
 * modules exporting `payloadConverter` / `failureConverter`), like the official client does.
 */
export function loadDataConverter(dataConverter: DataConverter | undefined): LoadedDataConverter {
  if (dataConverter === undefined) return defaultDataConverter;
  const load = (path: string, name: 'payloadConverter' | 'failureConverter'): unknown => {
    const mod = createRequire(import.meta.url)(path) as Record<string, unknown>;
    if (mod[name] === undefined) throw new TypeError(`Module ${path} does not export '${name}'`);
    return mod[name];
  };
  return {
    payloadConverter: dataConverter.payloadConverterPath
      ? (load(dataConverter.payloadConverterPath, 'payloadConverter') as LoadedDataConverter['payloadConverter'])
      : defaultDataConverter.payloadConverter,
    failureConverter: dataConverter.failureConverterPath
      ? (load(dataConverter.failureConverterPath, 'failureConverter') as LoadedDataConverter['failureConverter'])
      : defaultDataConverter.failureConverter,
    payloadCodecs: dataConverter.payloadCodecs ?? [],
  };
}

/** Encodes and decodes the client's payloads with one loaded data converter. */
export class ClientDataConverter {
  constructor(readonly loaded: LoadedDataConverter) {}

  /** Arguments → encoded payloads; `undefined` when there are none. */
  async encodeArgs(args: readonly unknown[] | undefined): Promise<Payload[] | undefined> {
    const payloads = toPayloads(this.loaded.payloadConverter, ...(args ?? []));
    return payloads === undefined ? undefined : encodePayloads(this.loaded.payloadCodecs, payloads);
  }

  /** A record of values → encoded payloads (memo). */
  async encodeMap(map: Record<string, unknown> | undefined): Promise<Record<string, Payload> | undefined> {
    if (map === undefined) return undefined;
    const encoded = await encodeMapPayloads(this.loaded.payloadCodecs, mapToPayloads(this.loaded.payloadConverter, map));
    return encoded ?? undefined;
  }

  /** The first decoded value of `payloads` (a workflow, query or update result). */
  async decodeFirst<T>(payloads: Payload[] | null | undefined): Promise<T> {
    const decoded = await decodePayloads(this.loaded.payloadCodecs, payloads ?? []);
    return fromPayloadsAtIndex<T>(this.loaded.payloadConverter, 0, decoded);
  }

  /** Every decoded value of `payloads`. */
  async decodeAll(payloads: Payload[] | null | undefined): Promise<unknown[]> {
    const decoded = await decodePayloads(this.loaded.payloadCodecs, payloads ?? []);
    return arrayFromPayloads(this.loaded.payloadConverter, decoded);
  }

  /** A decoded record of payloads (memo); `undefined` when absent. */
  async decodeMap(map: Record<string, Payload> | null | undefined): Promise<Record<string, unknown> | undefined> {
    if (map === null || map === undefined) return undefined;
    const decoded = await decodeMapPayloads(this.loaded.payloadCodecs, map);
    return mapFromPayloads(this.loaded.payloadConverter, decoded);
  }

  /** A failure from the wire → the error it describes (codecs, then the failure converter). */
  async decodeFailure(failure: ProtoFailure | null | undefined): Promise<Error | undefined> {
    const decoded = await decodeOptionalFailure(this.loaded.payloadCodecs, failure);
    if (decoded === null || decoded === undefined) return undefined;
    return this.loaded.failureConverter.failureToError(decoded, this.loaded.payloadConverter);
  }
}
