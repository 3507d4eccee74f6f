/**
 * The workflow's randomness seed, derived from a run id exactly as Temporal's Core SDK derives it, so
 * that `Math.random()` and `uuid4()` in a workflow replayed here produce the same values as under the
 * official SDKs: SipHash-1-3 with a zero key over the UTF-8 bytes of the run id followed by one 0xff
 * byte (how Rust's `Hash` feeds a `str` to a hasher).
 *
 * @module
 */

const MASK = (1n << 64n) - 1n;

function rotl(x: bigint, b: bigint): bigint {
  return ((x << b) | (x >> (64n - b))) & MASK;
}

/** One SipHash round over the four state words, in place. */
function sipRound(v: [bigint, bigint, bigint, bigint]): void {
  v[0] = (v[0] + v[1]) & MASK;
  v[1] = rotl(v[1], 13n) ^ v[0];
  v[0] = rotl(v[0], 32n);
  v[2] = (v[2] + v[3]) & MASK;
  v[3] = rotl(v[3], 16n) ^ v[2];
  v[0] = (v[0] + v[3]) & MASK;
  v[3] = rotl(v[3], 21n) ^ v[0];
  v[2] = (v[2] + v[1]) & MASK;
  v[1] = rotl(v[1], 17n) ^ v[2];
  v[2] = rotl(v[2], 32n);
}

function littleEndianWord(bytes: Uint8Array, offset: number, length: number): bigint {
  let word = 0n;
  for (let i = length - 1; i >= 0; i--) word = (word << 8n) | BigInt(bytes[offset + i] ?? 0);
  return word;
}

/**
 * SipHash-1-3 (one compression round, three finalization rounds) of `bytes` under the 128-bit key
 * `k0, k1`, as an unsigned 64-bit integer.
 *
 * @example
 * ```ts
 * sipHash13(new TextEncoder().encode('hello')); // a bigint in [0, 2^64)
 * ```
 */
export function sipHash13(bytes: Uint8Array, k0 = 0n, k1 = 0n): bigint {
  const v: [bigint, bigint, bigint, bigint] = [
    k0 ^ 0x736f6d6570736575n,
    k1 ^ 0x646f72616e646f6dn,
    k0 ^ 0x6c7967656e657261n,
    k1 ^ 0x7465646279746573n,
  ];
  const whole = bytes.length - (bytes.length % 8);
  for (let offset = 0; offset < whole; offset += 8) {
    const m = littleEndianWord(bytes, offset, 8);
    v[3] ^= m;
    sipRound(v);
    v[0] ^= m;
  }
  const last = (BigInt(bytes.length & 0xff) << 56n) | littleEndianWord(bytes, whole, bytes.length - whole);
  v[3] ^= last;
  sipRound(v);
  v[0] ^= last;
  v[2] ^= 0xffn;
  sipRound(v);
  sipRound(v);
  sipRound(v);
  return (v[0] ^ v[1] ^ v[2] ^ v[3]) & MASK;
}

/**
 * The randomness seed of a run, as the decimal string of an unsigned 64-bit integer: what
 * `InitializeWorkflowJob.randomnessSeed` and `UpdateRandomSeedJob.randomnessSeed` carry. Derived from
 * the WorkflowExecutionStarted event's `originalExecutionRunId` (or, after a reset, the new run id).
 *
 * @example
 * ```ts
 * const seed = randomnessSeedFromRunId('bc761765-7fca-4d3e-89ff-0fa49379dc7a');
 * ```
 */
export function randomnessSeedFromRunId(runId: string): string {
  if (typeof runId !== 'string') throw new TypeError(`Expected a run id string, got ${typeof runId}`);
  const utf8 = new TextEncoder().encode(runId);
  const input = new Uint8Array(utf8.length + 1);
  input.set(utf8);
  input[utf8.length] = 0xff;
  return sipHash13(input).toString();
}
