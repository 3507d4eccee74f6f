/**
 * Deterministic UUIDs for workflow code.
 *
 * @module
 */

function hex(byte: number): string {
  return (byte < 16 ? '0' : '') + byte.toString(16);
}

/**
 * A version 4 UUID from `random` (numbers in [0, 1)): four 32-bit words, big-endian, with the
 * version and variant bits set. Given the same random stream, the same output as the official SDK.
 */
export function uuid4FromRandom(random: () => number): string {
  const bytes: number[] = [];
  for (let word = 0; word < 4; word++) {
    const value = (random() * 0x100000000) >>> 0;
    bytes.push(value >>> 24, (value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff);
  }
  bytes[6] = ((bytes[6] as number) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] as number) & 0x3f) | 0x80;
  const h = bytes.map(hex).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/**
 * An RFC 4122 version 4 UUID drawn from the workflow's deterministic `Math.random` (seeded per run by
 * the worker), so replays produce the same ids. Not cryptographically secure.
 *
 * @example
 * ```ts
 * const requestId = uuid4();
 * ```
 */
export function uuid4(): string {
  return uuid4FromRandom(() => Math.random());
}
