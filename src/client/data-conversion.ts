/** The client's use of a data converter: values → payloads → codecs on send, the reverse on receive. */
import { pathToFileURL } from 'node:url';
import {
  arrayFromPayloads,
  decodeMapPayloads,
  decodeOptionalFailure,
  decodePayloads,
  defaultDataConverter,
  encodeFailure,
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

type ConverterExport = 'payloadConverter' | 'failureConverter';

/** Loads the module at `path` (ESM or CommonJS) and returns its `name` export. */
async function loadExport(path: string, name: ConverterExport): Promise<unknown> {
  const url = /^[a-z][a-z0-9+.-]*:/i.test(path) && !/^[a-z]:[\\/]/i.test(path) ? path : pathToFileURL(path).href;
  let mod: Record<string, unknown>;
  try {
    mod = (await import(url)) as Record<string, unknown>;
  } catch (error) {
    throw new TypeError(`Failed to load ${name} module '${path}': ${(error as Error).message}`, { cause: error });
  }
  const value = mod[name] ?? (mod.default as Record<string, unknown> | undefined)?.[name];
  if (value === undefined) throw new TypeError(`Module '${path}' does not export '${name}'`);
  return value;
}

function checkConverter(value: unknown, methods: string[], what: string): void {
  if (typeof value !== 'object' || value === null || methods.some((m) => typeof (value as Record<string, unknown>)[m] !== 'function')) {
    throw new TypeError(`${what} must be an object with ${methods.join(' and ')} methods`);
  }
}

/** Throws a TypeError naming the first invalid field of a {@link DataConverter}. */
export function validateDataConverter(dataConverter: DataConverter | undefined): void {
  if (dataConverter === undefined) return;
  if (typeof dataConverter !== 'object' || dataConverter === null) throw new TypeError('dataConverter must be an object');
  for (const key of ['payloadConverterPath', 'failureConverterPath'] as const) {
    const path = dataConverter[key];
    if (path !== undefined && (typeof path !== 'string' || path.length === 0)) throw new TypeError(`dataConverter.${key} must be a non-empty string`);
  }
  const codecs = dataConverter.payloadCodecs;
  if (codecs !== undefined && !Array.isArray(codecs)) throw new TypeError('dataConverter.payloadCodecs must be an array');
  codecs?.forEach((codec, i) => checkConverter(codec, ['encode', 'decode'], `dataConverter.payloadCodecs[${i}]`));
}

/**
 * Loads a {@link DataConverter}: converters named by path are loaded with a dynamic `import()`
 * (ESM or CommonJS modules exporting `payloadConverter` / `failureConverter`).
 */
export async function loadDataConverter(dataConverter: DataConverter | undefined): Promise<LoadedDataConverter> {
  validateDataConverter(dataConverter);
  if (dataConverter === undefined) return defaultDataConverter;
  const { payloadConverterPath, failureConverterPath } = dataConverter;
  const payloadConverter = payloadConverterPath
    ? ((await loadExport(payloadConverterPath, 'payloadConverter')) as LoadedDataConverter['payloadConverter'])
    : defaultDataConverter.payloadConverter;
  checkConverter(payloadConverter, ['toPayload', 'fromPayload'], `payloadConverter of '${payloadConverterPath}'`);
  const failureConverter = failureConverterPath
    ? ((await loadExport(failureConverterPath, 'failureConverter')) as LoadedDataConverter['failureConverter'])
    : defaultDataConverter.failureConverter;
  checkConverter(failureConverter, ['errorToFailure', 'failureToError'], `failureConverter of '${failureConverterPath}'`);
  return { payloadConverter, failureConverter, payloadCodecs: dataConverter.payloadCodecs ?? [] };
}

/**
 * Encodes and decodes the client's payloads with one data converter. Converter modules named by
 * path are loaded on first use (the constructor validates the option's shape only).
 */
export class ClientDataConverter {
  private loading: Promise<LoadedDataConverter> | undefined;

  constructor(private readonly dataConverter: DataConverter | undefined) {
    validateDataConverter(dataConverter);
  }

  /** The loaded converters (loading them on the first call). */
  loaded(): Promise<LoadedDataConverter> {
    this.loading ??= loadDataConverter(this.dataConverter);
    return this.loading;
  }

  /** Arguments → encoded payloads; `undefined` when there are none. */
  async encodeArgs(args: readonly unknown[] | undefined): Promise<Payload[] | undefined> {
    const { payloadConverter, payloadCodecs } = await this.loaded();
    const payloads = toPayloads(payloadConverter, ...(args ?? []));
    return payloads === undefined ? undefined : encodePayloads(payloadCodecs, payloads);
  }

  /** A record of values → encoded payloads (memo). */
  async encodeMap(map: Record<string, unknown> | undefined): Promise<Record<string, Payload> | undefined> {
    if (map === undefined) return undefined;
    const { payloadConverter, payloadCodecs } = await this.loaded();
    const encoded = await encodeMapPayloads(payloadCodecs, mapToPayloads(payloadConverter, map));
    return encoded ?? undefined;
  }

  /** An error → a failure for the wire (failure converter, then codecs). */
  async encodeError(error: unknown): Promise<ProtoFailure> {
    const { payloadConverter, failureConverter, payloadCodecs } = await this.loaded();
    return encodeFailure(payloadCodecs, failureConverter.errorToFailure(error, payloadConverter));
  }

  /** The first decoded value of `payloads` (a workflow, query or update result). */
  async decodeFirst<T>(payloads: Payload[] | null | undefined): Promise<T> {
    const { payloadConverter, payloadCodecs } = await this.loaded();
    return fromPayloadsAtIndex<T>(payloadConverter, 0, await decodePayloads(payloadCodecs, payloads ?? []));
  }

  /** Every decoded value of `payloads`. */
  async decodeAll(payloads: Payload[] | null | undefined): Promise<unknown[]> {
    const { payloadConverter, payloadCodecs } = await this.loaded();
    return arrayFromPayloads(payloadConverter, await decodePayloads(payloadCodecs, payloads ?? []));
  }

  /** A decoded record of payloads (memo); `undefined` when absent. */
  async decodeMap(map: Record<string, Payload> | null | undefined): Promise<Record<string, unknown> | undefined> {
    if (map === null || map === undefined) return undefined;
    const { payloadConverter, payloadCodecs } = await this.loaded();
    return mapFromPayloads(payloadConverter, await decodeMapPayloads(payloadCodecs, map));
  }

  /** A failure from the wire → the error it describes (codecs, then the failure converter). */
  async decodeFailure(failure: ProtoFailure | null | undefined): Promise<Error | undefined> {
    const { payloadConverter, failureConverter, payloadCodecs } = await this.loaded();
    const decoded = await decodeOptionalFailure(payloadCodecs, failure);
    if (decoded === null || decoded === undefined) return undefined;
    return failureConverter.failureToError(decoded, payloadConverter);
  }
}
