// Payload conversion: byte-identity with @temporalio/common's DefaultPayloadConverter, round trips in
// both directions, helpers and error messages.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as official from '@temporalio/common';
import {
  arrayFromPayloads,
  BinaryPayloadConverter,
  CompositePayloadConverter,
  convertOptionalToPayload,
  DefaultPayloadConverter,
  defaultPayloadConverter,
  encodingKeys,
  encodingTypes,
  fromPayloadsAtIndex,
  JsonPayloadConverter,
  mapFromPayloads,
  mapToPayloads,
  METADATA_ENCODING_KEY,
  PayloadConverterError,
  RawValue,
  toPayloads,
  UndefinedPayloadConverter,
  ValueError,
} from '../../../dist/common/index.js';

const theirs = official.defaultPayloadConverter;

function bigObject() {
  const items = [];
  for (let i = 0; items.length < 12_000; i++) {
    items.push({ id: i, name: `item-${i} ✓ 🚀`, tags: ['a', 'b', String(i % 7)], price: i * 1.25, ok: i % 2 === 0 });
  }
  return { items };
}

const VALUES = [
  ['undefined', undefined],
  ['null', null],
  ['true', true],
  ['false', false],
  ['zero', 0],
  ['negative zero', -0],
  ['negative float', -1.5],
  ['MAX_SAFE_INTEGER', Number.MAX_SAFE_INTEGER],
  ['large int beyond 2^53', 2 ** 60],
  ['tiny float', 5e-324],
  ['NaN (JSON null)', Number.NaN],
  ['empty string', ''],
  ['unicode string', 'héllo wörld — 日本語 — Ω'],
  ['emoji string', '👩‍👩‍👧‍👦 family 🇫🇷 flag 😀'],
  ['lone surrogate', 'x\ud800y\udc00'],
  ['control characters', 'tab\tnewline\n\u0000nul "quoted" \\back'],
  ['nested object', { a: { b: { c: [1, { d: 'e' }] } }, 'key with spaces': true, 'ключ': 'значение' }],
  ['array with holes and undefined', [1, undefined, null, , 'x']],
  ['object with undefined field', { a: undefined, b: 1 }],
  ['empty object', {}],
  ['empty array', []],
  ['Uint8Array (binary/plain)', new Uint8Array([0, 1, 2, 250, 255])],
  ['empty Uint8Array', new Uint8Array(0)],
  ['Date (JSON string)', new Date(Date.UTC(2024, 1, 29, 12, 34, 56, 789))],
  ['object with toJSON', { toJSON: () => ({ replaced: ['by', 'toJSON'] }) }],
  ['Map (serializes as {})', new Map([['a', 1]])],
  ['~1 MB object', bigObject()],
];

function assertSamePayload(ours, expected, label) {
  assert.deepEqual(Object.keys(ours.metadata), Object.keys(expected.metadata), `${label}: metadata keys`);
  for (const key of Object.keys(expected.metadata)) {
    assert.deepEqual(
      Buffer.from(ours.metadata[key]),
      Buffer.from(expected.metadata[key]),
      `${label}: metadata ${key} bytes`
    );
  }
  assert.equal(ours.data === undefined, expected.data === undefined, `${label}: data presence`);
  if (expected.data !== undefined) {
    assert.ok(Buffer.from(ours.data).equals(Buffer.from(expected.data)), `${label}: data bytes`);
  }
}

describe('DefaultPayloadConverter byte identity with @temporalio/common', () => {
  for (const [label, value] of VALUES) {
    it(`toPayload(${label}) matches byte for byte`, () => {
      assertSamePayload(defaultPayloadConverter.toPayload(value), theirs.toPayload(value), label);
    });

    it(`fromPayload round-trips ${label} in both directions`, () => {
      const expected = theirs.fromPayload(theirs.toPayload(value));
      // theirs -> ours
      assert.deepStrictEqual(defaultPayloadConverter.fromPayload(theirs.toPayload(value)), expected);
      // ours -> theirs
      assert.deepStrictEqual(theirs.fromPayload(defaultPayloadConverter.toPayload(value)), expected);
    });
  }

  it('the 1 MB case really is about 1 MB', () => {
    const size = defaultPayloadConverter.toPayload(VALUES.at(-1)[1]).data.length;
    assert.ok(size > 900_000 && size < 1_400_000, `size ${size}`);
  });

  it('exposes the same encoding constants', () => {
    assert.equal(METADATA_ENCODING_KEY, official.METADATA_ENCODING_KEY);
    assert.deepEqual({ ...encodingTypes }, { ...official.encodingTypes });
    for (const key of Object.keys(official.encodingKeys)) {
      assert.deepEqual(Buffer.from(encodingKeys[key]), Buffer.from(official.encodingKeys[key]));
    }
  });

  it('decodes binary/plain into a plain Uint8Array view (not a Buffer)', () => {
    const payload = { metadata: { encoding: Buffer.from('binary/plain') }, data: Buffer.from([1, 2, 3]) };
    const value = defaultPayloadConverter.fromPayload(payload);
    assert.equal(value.constructor, Uint8Array);
    assert.deepEqual([...value], [1, 2, 3]);
  });
});

describe('payload converter errors', () => {
  it('rejects values JSON cannot represent with a ValueError naming the value', () => {
    for (const value of [10n, () => 1, Symbol('s'), { toJSON: () => undefined }]) {
      assert.throws(() => defaultPayloadConverter.toPayload(value), (err) => {
        assert.ok(err instanceof ValueError);
        assert.match(err.message, /^Unable to convert .+ to payload$/);
        return true;
      });
    }
    const cyclic = {};
    cyclic.self = cyclic;
    assert.throws(() => defaultPayloadConverter.toPayload(cyclic), /Unable to convert/);
  });

  it('rejects payloads without metadata, without encoding, or with an unknown encoding', () => {
    assert.throws(() => defaultPayloadConverter.fromPayload({}), { name: 'ValueError', message: 'Missing payload metadata' });
    assert.throws(() => defaultPayloadConverter.fromPayload({ metadata: {} }), /Missing payload metadata 'encoding'/);
    const unknown = { metadata: { encoding: new TextEncoder().encode('weird/x') }, data: new Uint8Array() };
    assert.throws(() => defaultPayloadConverter.fromPayload(unknown), { message: 'Unknown encoding: weird/x' });
  });

  it('rejects json/plain without data or with invalid JSON', () => {
    const meta = { encoding: new TextEncoder().encode('json/plain') };
    assert.throws(() => defaultPayloadConverter.fromPayload({ metadata: meta }), { message: 'Got payload with no data' });
    assert.throws(
      () => defaultPayloadConverter.fromPayload({ metadata: meta, data: new TextEncoder().encode('{oops') }),
      (err) => err instanceof ValueError && /Invalid JSON in json\/plain payload/.test(err.message)
    );
  });

  it('CompositePayloadConverter needs at least one converter', () => {
    assert.throws(() => new CompositePayloadConverter(), (err) => err instanceof PayloadConverterError);
  });
});

describe('payload helpers', () => {
  it('toPayloads returns undefined for no values, like the official helper', () => {
    assert.equal(toPayloads(defaultPayloadConverter), undefined);
    assert.equal(official.toPayloads(theirs), undefined);
    const ours = toPayloads(defaultPayloadConverter, 1, 'a', undefined);
    const expected = official.toPayloads(theirs, 1, 'a', undefined);
    ours.forEach((p, i) => assertSamePayload(p, expected[i], `arg ${i}`));
  });

  it('fromPayloadsAtIndex tolerates missing payloads', () => {
    const payloads = toPayloads(defaultPayloadConverter, 'x', 2);
    assert.equal(fromPayloadsAtIndex(defaultPayloadConverter, 1, payloads), 2);
    assert.equal(fromPayloadsAtIndex(defaultPayloadConverter, 5, payloads), undefined);
    assert.equal(fromPayloadsAtIndex(defaultPayloadConverter, 0, null), undefined);
    assert.equal(fromPayloadsAtIndex(defaultPayloadConverter, 0, undefined), undefined);
  });

  it('arrayFromPayloads, mapToPayloads and mapFromPayloads', () => {
    assert.deepEqual(arrayFromPayloads(defaultPayloadConverter, null), []);
    assert.deepEqual(arrayFromPayloads(defaultPayloadConverter, toPayloads(defaultPayloadConverter, 1, 'b')), [1, 'b']);
    const map = { a: 1, b: { c: [true] }, __proto__x: 'y' };
    const encoded = mapToPayloads(defaultPayloadConverter, map);
    const expected = official.mapToPayloads(theirs, map);
    for (const key of Object.keys(expected)) assertSamePayload(encoded[key], expected[key], key);
    assert.deepEqual(mapFromPayloads(defaultPayloadConverter, encoded), map);
    assert.equal(mapFromPayloads(defaultPayloadConverter, undefined), undefined);
    const proto = mapToPayloads(defaultPayloadConverter, JSON.parse('{"__proto__": 1}'));
    assert.ok(Object.prototype.hasOwnProperty.call(proto, '__proto__'), '__proto__ stays an own key');
  });

  it('convertOptionalToPayload passes null and undefined through', () => {
    assert.equal(convertOptionalToPayload(defaultPayloadConverter, null), null);
    assert.equal(convertOptionalToPayload(defaultPayloadConverter, undefined), undefined);
    assert.ok(convertOptionalToPayload(defaultPayloadConverter, 0).data);
  });

  it('RawValue payloads pass through untouched', () => {
    const raw = RawValue.fromPayload({ metadata: { encoding: new TextEncoder().encode('custom/x') }, data: new Uint8Array([9]) });
    assert.equal(defaultPayloadConverter.toPayload(raw), raw.payload);
    const wrapped = new RawValue({ a: 1 });
    assert.deepEqual(defaultPayloadConverter.fromPayload(wrapped.payload), { a: 1 });
  });

  it('individual converters report what they handle', () => {
    assert.equal(new UndefinedPayloadConverter().toPayload(null), undefined);
    assert.equal(new BinaryPayloadConverter().toPayload('x'), undefined);
    assert.equal(new JsonPayloadConverter().toPayload(undefined), undefined);
    assert.equal(new DefaultPayloadConverter().converters.length, 3);
    assert.deepEqual(
      new DefaultPayloadConverter().converters.map((c) => c.encodingType),
      ['binary/null', 'binary/plain', 'json/plain']
    );
  });

  it('a custom composite converter decodes payloads written by the official one', () => {
    const composite = new CompositePayloadConverter(new UndefinedPayloadConverter(), new JsonPayloadConverter());
    assert.deepEqual(composite.fromPayload(theirs.toPayload({ z: [1] })), { z: [1] });
    assert.throws(() => composite.toPayload(Symbol('nope')), ValueError);
  });
});
