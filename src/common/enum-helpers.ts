/**
 * Conversion between the SDK's string enums (`'START_TO_CLOSE'`) and protobuf enum numbers.
 *
 * @module
 */
import { describeValue } from './type-helpers.js';
import { ValueError } from './value-error.js';

/** Encoder from a string key (short or with the proto prefix) or a raw number to the proto number. */
export type EnumEncoder<K extends string> = (input: K | `${string}${K}` | number | null | undefined) => number | undefined;

/** Decoder from a proto number (or a proto enum name, as `toObject({ enums: String })` gives) to the key. */
export type EnumDecoder<K extends string> = (input: number | string | null | undefined) => K | undefined;

/**
 * Builds an encoder/decoder pair for a string enum whose proto values are given by `table`.
 *
 * Value 0 (`*_UNSPECIFIED`) decodes to `undefined`; an unknown number decodes to `unknown_<n>` rather
 * than throwing, because newer servers may send values this SDK does not know yet.
 *
 * @example
 * ```ts
 * const [encode, decode] = makeEnumConverters({ BENIGN: 1 }, 'APPLICATION_ERROR_CATEGORY_');
 * encode('BENIGN'); // 1
 * decode(1); // 'BENIGN'
 * ```
 */
export function makeEnumConverters<K extends string>(
  table: Readonly<Record<K, number>>,
  prefix: string
): [EnumEncoder<K>, EnumDecoder<K>] {
  const byNumber = new Map<number, K>();
  for (const key of Object.keys(table) as K[]) byNumber.set(table[key], key);
  const lookupKey = (name: string): K | undefined => {
    const short = name.startsWith(prefix) ? name.slice(prefix.length) : name;
    return Object.prototype.hasOwnProperty.call(table, short) ? (short as K) : undefined;
  };

  const encode: EnumEncoder<K> = (input) => {
    if (input === null || input === undefined) return undefined;
    if (typeof input === 'number') return input;
    if (typeof input === 'string') {
      const key = lookupKey(input);
      if (key !== undefined) return table[key];
      if (input === `${prefix}UNSPECIFIED` || input === 'UNSPECIFIED') return 0;
    }
    throw new ValueError(`Invalid enum value: ${describeValue(input)} (expected one of ${Object.keys(table).join(', ')})`);
  };

  const decode: EnumDecoder<K> = (input) => {
    if (input === null || input === undefined || input === 0) return undefined;
    if (typeof input === 'string') {
      if (input.endsWith('UNSPECIFIED')) return undefined;
      const key = lookupKey(input);
      if (key !== undefined) return key;
      throw new ValueError(`Invalid proto enum value: ${describeValue(input)}`);
    }
    if (typeof input !== 'number') throw new ValueError(`Invalid proto enum value: ${describeValue(input)}`);
    return byNumber.get(input) ?? (`unknown_${input}` as K);
  };

  return [encode, decode];
}
