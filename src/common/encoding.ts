/**
 * UTF-8 and base64 without Node's `Buffer`. Uses the host's `TextEncoder`/`TextDecoder` when the
 * global scope has them (Node, browsers, a Compartment endowed with them) and a pure-JS fallback
 * otherwise (a bare SES Compartment only has the ECMAScript intrinsics).
 *
 * @module
 */

interface Utf8Codec {
  encode(text: string): Uint8Array;
  decode(bytes: Uint8Array): string;
}

interface HostTextApis {
  TextEncoder?: new () => { encode(text: string): Uint8Array };
  TextDecoder?: new () => { decode(bytes: Uint8Array): string };
}

let codec: Utf8Codec | undefined;

function hostCodec(): Utf8Codec {
  if (codec !== undefined) return codec;
  const host = globalThis as HostTextApis;
  if (typeof host.TextEncoder === 'function' && typeof host.TextDecoder === 'function') {
    const encoder = new host.TextEncoder();
    const decoder = new host.TextDecoder();
    codec = { encode: (text) => encoder.encode(text), decode: (bytes) => decoder.decode(bytes) };
  } else {
    codec = { encode: encodeUtf8Fallback, decode: decodeUtf8Fallback };
  }
  return codec;
}

/**
 * Encodes a string as UTF-8 (lone surrogates become U+FFFD, as with `TextEncoder`).
 *
 * @example
 * ```ts
 * encodeUtf8('json/plain'); // Uint8Array [106, 115, ...]
 * ```
 */
export function encodeUtf8(text: string): Uint8Array {
  return hostCodec().encode(text);
}

/** Decodes UTF-8 bytes (malformed sequences become U+FFFD, as with `TextDecoder`). */
export function decodeUtf8(bytes: Uint8Array): string {
  return hostCodec().decode(bytes);
}

/** @internal Pure-JS UTF-8 encoder, exported for tests. */
export function encodeUtf8Fallback(text: string): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) {
    let cp = text.charCodeAt(i);
    if (cp >= 0xd800 && cp <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        cp = 0x10000 + ((cp - 0xd800) << 10) + (next - 0xdc00);
        i++;
      } else {
        cp = 0xfffd;
      }
    } else if (cp >= 0xdc00 && cp <= 0xdfff) {
      cp = 0xfffd;
    }
    pushCodePoint(out, cp);
  }
  return Uint8Array.from(out);
}

function pushCodePoint(out: number[], cp: number): void {
  if (cp < 0x80) {
    out.push(cp);
  } else if (cp < 0x800) {
    out.push(0xc0 | (cp >> 6), 0x80 | (cp & 0x3f));
  } else if (cp < 0x10000) {
    out.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
  } else {
    out.push(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 0x3f), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
  }
}

/** Bounds of the second byte for a lead byte (WHATWG UTF-8 decoder), or undefined for an invalid lead. */
function sequenceShape(lead: number): { length: number; low: number; high: number } | undefined {
  if (lead >= 0xc2 && lead <= 0xdf) return { length: 2, low: 0x80, high: 0xbf };
  if (lead === 0xe0) return { length: 3, low: 0xa0, high: 0xbf };
  if (lead === 0xed) return { length: 3, low: 0x80, high: 0x9f };
  if (lead >= 0xe1 && lead <= 0xef) return { length: 3, low: 0x80, high: 0xbf };
  if (lead === 0xf0) return { length: 4, low: 0x90, high: 0xbf };
  if (lead === 0xf4) return { length: 4, low: 0x80, high: 0x8f };
  if (lead >= 0xf1 && lead <= 0xf3) return { length: 4, low: 0x80, high: 0xbf };
  return undefined;
}

/** @internal Pure-JS UTF-8 decoder with WHATWG replacement semantics, exported for tests. */
export function decodeUtf8Fallback(bytes: Uint8Array): string {
  const units: number[] = [];
  let text = '';
  let i = 0;
  while (i < bytes.length) {
    const lead = bytes[i] ?? 0;
    i++;
    if (lead < 0x80) {
      units.push(lead);
    } else {
      const shape = sequenceShape(lead);
      let cp = 0xfffd;
      if (shape !== undefined) {
        let value = lead & (0xff >> (shape.length + 1));
        let k = 1;
        for (; k < shape.length; k++) {
          const byte = bytes[i];
          const low = k === 1 ? shape.low : 0x80;
          const high = k === 1 ? shape.high : 0xbf;
          if (byte === undefined || byte < low || byte > high) break;
          value = (value << 6) | (byte & 0x3f);
          i++;
        }
        if (k === shape.length) cp = value;
      }
      if (cp >= 0x10000) {
        units.push(0xd800 + ((cp - 0x10000) >> 10), 0xdc00 + ((cp - 0x10000) & 0x3ff));
      } else {
        units.push(cp);
      }
    }
    if (units.length >= 8192) {
      text += String.fromCharCode(...units);
      units.length = 0;
    }
  }
  return text + String.fromCharCode(...units);
}

const BASE64_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Standard base64 with padding (RFC 4648 §4), as used by ProtoJSON for `bytes`. */
export function encodeBase64(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i] ?? 0;
    const b = bytes[i + 1];
    const c = bytes[i + 2];
    const triple = (a << 16) | ((b ?? 0) << 8) | (c ?? 0);
    out += BASE64_ALPHABET[(triple >> 18) & 63];
    out += BASE64_ALPHABET[(triple >> 12) & 63];
    out += b === undefined ? '=' : BASE64_ALPHABET[(triple >> 6) & 63];
    out += c === undefined ? '=' : BASE64_ALPHABET[triple & 63];
  }
  return out;
}

/**
 * Decodes standard or URL-safe base64, with or without padding.
 *
 * @throws TypeError naming the input when it contains a character outside the alphabet
 */
export function decodeBase64(text: string): Uint8Array {
  const clean = text.replace(/=+$/, '').replace(/-/g, '+').replace(/_/g, '/');
  const out = new Uint8Array(Math.floor((clean.length * 3) / 4));
  let bits = 0;
  let acc = 0;
  let n = 0;
  for (const ch of clean) {
    const v = BASE64_ALPHABET.indexOf(ch);
    if (v < 0) throw new TypeError(`Invalid base64 string: ${JSON.stringify(text.slice(0, 40))}`);
    acc = ((acc << 6) | v) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[n++] = (acc >> bits) & 0xff;
    }
  }
  return out.subarray(0, n);
}
