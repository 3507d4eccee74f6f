/**
 * The data converter: the payload converter, failure converter and payload codecs used together
 * by clients and workers.
 *
 * @module
 */
import { defaultFailureConverter } from './failure-converter.js';
import type { FailureConverter } from './failure-converter.js';
import type { PayloadCodec } from './payload-codec.js';
import { defaultPayloadConverter } from './payload-converter.js';
import type { PayloadConverter } from './payload-converter.js';

/**
 * How user data is converted for the wire, as given to clients and workers. Converters that must
 * also run inside the workflow sandbox are given by module path, so the worker can bundle them.
 *
 * @example
 * ```ts
 * const dataConverter: DataConverter = {
 *   payloadConverterPath: require.resolve('./payload-converter'),
 *   payloadCodecs: [new EncryptionCodec(key)],
 * };
 * ```
 */
export interface DataConverter {
  /** Path of a module exporting `payloadConverter` (a {@link PayloadConverter}). */
  payloadConverterPath?: string;
  /** Path of a module exporting `failureConverter` (a {@link FailureConverter}). */
  failureConverterPath?: string;
  /** Codecs applied in order when encoding, in reverse order when decoding. */
  payloadCodecs?: PayloadCodec[];
}

/** A {@link DataConverter} with its converter modules loaded. */
export interface LoadedDataConverter {
  payloadConverter: PayloadConverter;
  failureConverter: FailureConverter;
  payloadCodecs: PayloadCodec[];
}

/**
 * The default converters and no codecs.
 *
 * @example
 * ```ts
 * const { payloadConverter } = defaultDataConverter;
 * ```
 */
export const defaultDataConverter: LoadedDataConverter = {
  payloadConverter: defaultPayloadConverter,
  failureConverter: defaultFailureConverter,
  payloadCodecs: [],
};
