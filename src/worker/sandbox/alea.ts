/**
 * The workflow PRNG: Johannes Baagøe's Alea generator with the seeding the official TypeScript SDK
 * uses, so `Math.random()` in a run yields exactly the numbers the official SDK yields for the same
 * `randomnessSeed`. The seed is the 64-bit value's 8 bytes, most significant first (what
 * `Long#toBytes()` returns), mashed into the generator's three state words.
 *
 * Runs inside the sandbox threads; no imports.
 *
 * @module
 */

/** 2^-32. */
const INV_2_32 = 2.3283064365386963e-10;
const TWO_32 = 0x100000000;
const U64_MAX = 0xffffffffffffffffn;

/** Baagøe's "Mash" hash: each call folds more numbers into its state and returns a number in [0, 1). */
function createMash(): (data: readonly number[]) => number {
  let state = 0xefc8249d;
  return (data) => {
    for (const value of data) {
      state += value;
      let h = 0.02519603282416938 * state;
      state = h >>> 0;
      h -= state;
      h *= state;
      state = h >>> 0;
      h -= state;
      state += h * TWO_32;
    }
    return (state >>> 0) * INV_2_32;
  };
}

/**
 * An Alea generator seeded with `seed` (numbers, typically bytes): returns numbers in [0, 1).
 *
 * @example
 * ```ts
 * const random = alea(seedToBytes('12345'));
 * random(); // the same first number the official SDK's Math.random() gives for seed 12345
 * ```
 */
export function alea(seed: readonly number[]): () => number {
  const mash = createMash();
  let s0 = mash([32]);
  let s1 = mash([32]);
  let s2 = mash([32]);
  s0 -= mash(seed);
  if (s0 < 0) s0 += 1;
  s1 -= mash(seed);
  if (s1 < 0) s1 += 1;
  s2 -= mash(seed);
  if (s2 < 0) s2 += 1;
  let carry = 1;
  return function random(): number {
    const t = 2091639 * s0 + carry * INV_2_32;
    s0 = s1;
    s1 = s2;
    carry = t | 0;
    s2 = t - carry;
    return s2;
  };
}

/**
 * The 8 big-endian bytes of an unsigned 64-bit seed given in decimal (the protocol's
 * `randomnessSeed`).
 *
 * @throws TypeError when `seed` is not a decimal integer in [0, 2^64).
 */
export function seedToBytes(seed: string): number[] {
  if (typeof seed !== 'string' || !/^\d{1,20}$/.test(seed) || BigInt(seed) > U64_MAX) {
    throw new TypeError(`randomnessSeed must be a decimal unsigned 64-bit integer, got ${JSON.stringify(seed)}`);
  }
  let value = BigInt(seed);
  const bytes = new Array<number>(8);
  for (let i = 7; i >= 0; i--) {
    bytes[i] = Number(value & 0xffn);
    value >>= 8n;
  }
  return bytes;
}
