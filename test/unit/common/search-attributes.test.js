// Typed search attributes: payloads identical to the official encoder's, decoding of official payloads.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as official from '@temporalio/common';
import * as officialSA from '@temporalio/common/lib/converter/payload-search-attributes.js';
import {
  decodeSearchAttributes,
  decodeTypedSearchAttributes,
  defineSearchAttributeKey,
  encodeSearchAttributeIndexedValueType,
  encodeUnifiedSearchAttributes,
  SearchAttributeType,
  TypedSearchAttributes,
  ValueError,
} from '../../../dist/common/index.js';

const text = new TextDecoder();

function keys(lib) {
  const T = lib.SearchAttributeType;
  return {
    title: lib.defineSearchAttributeKey('Title', T.TEXT),
    customer: lib.defineSearchAttributeKey('CustomerId', T.KEYWORD),
    count: lib.defineSearchAttributeKey('Count', T.INT),
    score: lib.defineSearchAttributeKey('Score', T.DOUBLE),
    vip: lib.defineSearchAttributeKey('Vip', T.BOOL),
    at: lib.defineSearchAttributeKey('At', T.DATETIME),
    tags: lib.defineSearchAttributeKey('Tags', T.KEYWORD_LIST),
  };
}

const AT = new Date(Date.UTC(2024, 5, 1, 8, 30, 0, 123));

function pairs(lib) {
  const k = keys(lib);
  return [
    { key: k.title, value: 'Hello wörld 👋' },
    { key: k.customer, value: 'c-42' },
    { key: k.count, value: 12345678901 },
    { key: k.score, value: 0.75 },
    { key: k.vip, value: false },
    { key: k.at, value: AT },
    { key: k.tags, value: ['a', 'b', 'ç'] },
  ];
}

function assertSamePayloadMap(actual, expected) {
  assert.deepEqual(Object.keys(actual), Object.keys(expected));
  for (const name of Object.keys(expected)) {
    const a = actual[name];
    const e = expected[name];
    assert.deepEqual(Object.keys(a.metadata), Object.keys(e.metadata), `${name} metadata keys`);
    for (const m of Object.keys(e.metadata)) {
      assert.equal(text.decode(a.metadata[m]), text.decode(e.metadata[m]), `${name} metadata ${m}`);
      assert.ok(Buffer.from(a.metadata[m]).equals(Buffer.from(e.metadata[m])));
    }
    assert.ok(Buffer.from(a.data).equals(Buffer.from(e.data)), `${name} data: ${text.decode(a.data)} vs ${text.decode(e.data)}`);
  }
}

describe('encodeUnifiedSearchAttributes matches the official encoder', () => {
  it('every type, from a TypedSearchAttributes', () => {
    const ours = encodeUnifiedSearchAttributes(undefined, new TypedSearchAttributes(pairs({ SearchAttributeType, defineSearchAttributeKey })));
    const theirs = officialSA.encodeUnifiedSearchAttributes(undefined, new official.TypedSearchAttributes(pairs(official)));
    assertSamePayloadMap(ours, theirs);
    assert.equal(text.decode(ours.At.metadata.type), 'Datetime');
    assert.equal(text.decode(ours.At.data), JSON.stringify(AT.toISOString()));
    assert.equal(text.decode(ours.Tags.metadata.type), 'KeywordList');
  });

  it('update pairs including removals (null, no type metadata)', () => {
    const k = keys({ SearchAttributeType, defineSearchAttributeKey });
    const updates = [{ key: k.customer, value: null }, { key: k.count, value: 3 }];
    const ok = keys(official);
    const theirUpdates = [{ key: ok.customer, value: null }, { key: ok.count, value: 3 }];
    const ours = encodeUnifiedSearchAttributes(undefined, updates);
    assertSamePayloadMap(ours, officialSA.encodeUnifiedSearchAttributes(undefined, theirUpdates));
    assert.deepEqual(Object.keys(ours.CustomerId.metadata), ['encoding']);
    assert.equal(text.decode(ours.CustomerId.data), 'null');
  });

  it('legacy untyped attributes, merged with typed ones (typed win)', () => {
    const legacy = { Legacy: ['x', 'y'], When: [AT], CustomerId: ['old'] };
    const k = keys({ SearchAttributeType, defineSearchAttributeKey });
    const ours = encodeUnifiedSearchAttributes(legacy, [{ key: k.customer, value: 'new' }]);
    const theirs = officialSA.encodeUnifiedSearchAttributes(legacy, [{ key: keys(official).customer, value: 'new' }]);
    assertSamePayloadMap(ours, theirs);
  });

  it('rejects values that do not fit the key type, naming value and type', () => {
    const k = keys({ SearchAttributeType, defineSearchAttributeKey });
    assert.throws(
      () => encodeUnifiedSearchAttributes(undefined, [{ key: k.count, value: 1.5 }]),
      (err) => err instanceof ValueError && /Invalid search attribute value 1.5 for given type INT/.test(err.message)
    );
    assert.throws(() => encodeUnifiedSearchAttributes({ Bad: 'not an array' }), /must be an array/);
    assert.throws(() => encodeUnifiedSearchAttributes({ Mixed: ['a', 1] }), /same type/);
  });
});

describe('decoding official payloads', () => {
  it('decodeTypedSearchAttributes reads every type from the official encoder', () => {
    const encoded = officialSA.encodeUnifiedSearchAttributes(undefined, new official.TypedSearchAttributes(pairs(official)));
    const decoded = decodeTypedSearchAttributes(encoded);
    const k = keys({ SearchAttributeType, defineSearchAttributeKey });
    assert.equal(decoded.get(k.title), 'Hello wörld 👋');
    assert.equal(decoded.get(k.count), 12345678901);
    assert.equal(decoded.get(k.vip), false);
    assert.ok(decoded.get(k.at) instanceof Date);
    assert.equal(decoded.get(k.at).getTime(), AT.getTime());
    assert.deepEqual(decoded.get(k.tags), ['a', 'b', 'ç']);
    const theirs = officialSA.decodeTypedSearchAttributes(encoded);
    assert.deepEqual(JSON.parse(JSON.stringify(decoded)), JSON.parse(JSON.stringify(theirs)));
  });

  it('matches the official decoder on edge cases', () => {
    const enc = (type, json) => ({
      metadata: { encoding: Buffer.from('json/plain'), ...(type ? { type: Buffer.from(type) } : {}) },
      data: Buffer.from(json),
    });
    const fields = {
      NoType: enc(undefined, '"x"'),
      UnknownType: enc('Weird', '"x"'),
      LegacyList: enc('Keyword', '["only"]'),
      TooMany: enc('Keyword', '["a","b"]'),
      Screaming: enc('INDEXED_VALUE_TYPE_INT', '7'),
      WrongType: enc('Int', '"seven"'),
      Date: enc('Datetime', '["2024-01-02T03:04:05.000Z"]'),
    };
    const ours = decodeTypedSearchAttributes(fields);
    const theirs = officialSA.decodeTypedSearchAttributes(fields);
    assert.deepEqual(JSON.parse(JSON.stringify(ours)), JSON.parse(JSON.stringify(theirs)));
    assert.deepEqual(ours.getAll().map((p) => p.key.name), ['LegacyList', 'Screaming', 'Date']);
  });

  it('decodeSearchAttributes (legacy) matches the official decoder', () => {
    const encoded = officialSA.encodeUnifiedSearchAttributes({ A: ['x'], Empty: [] }, new official.TypedSearchAttributes(pairs(official)));
    const ours = decodeSearchAttributes(encoded);
    const theirs = officialSA.decodeSearchAttributes(encoded);
    assert.deepEqual(ours, theirs);
    assert.ok(ours.At[0] instanceof Date);
    assert.equal('Empty' in ours, false);
    assert.deepEqual(decodeSearchAttributes(null), {});
  });
});

describe('TypedSearchAttributes', () => {
  const k = keys({ SearchAttributeType, defineSearchAttributeKey });

  it('get returns undefined for absent keys and type mismatches', () => {
    const attrs = new TypedSearchAttributes([{ key: k.customer, value: 'c-1' }]);
    assert.equal(attrs.get(k.customer), 'c-1');
    assert.equal(attrs.get(defineSearchAttributeKey('CustomerId', SearchAttributeType.INT)), undefined);
    assert.equal(attrs.get(k.title), undefined);
  });

  it('an empty set answers like one with attributes, and its copies are independent', () => {
    const empty = new TypedSearchAttributes();
    assert.equal(empty.get(k.customer), undefined);
    assert.deepEqual(empty.getAll(), []);
    assert.equal(JSON.stringify(empty), '[]');
    const copy = empty.copy();
    const next = empty.updateCopy([{ key: k.customer, value: 'c-1' }, { key: k.count, value: null }]);
    assert.equal(next.get(k.customer), 'c-1');
    assert.deepEqual(empty.getAll(), [], 'the original stays empty');
    assert.deepEqual(copy.getAll(), []);
  });

  it('rejects duplicate keys', () => {
    assert.throws(() => new TypedSearchAttributes([{ key: k.customer, value: 'a' }, { key: k.customer, value: 'b' }]), /Duplicate search attribute key: CustomerId/);
  });

  it('updateCopy sets and removes without touching the original', () => {
    const original = new TypedSearchAttributes([{ key: k.customer, value: 'a' }, { key: k.tags, value: ['x'] }]);
    const next = original.updateCopy([{ key: k.customer, value: null }, { key: k.count, value: 2 }]);
    assert.equal(original.get(k.customer), 'a');
    assert.equal(next.get(k.customer), undefined);
    assert.equal(next.get(k.count), 2);
    next.get(k.tags).push('mutated');
    assert.deepEqual(original.get(k.tags), ['x'], 'lists are copied');
    const typeMismatch = original.updateCopy([{ key: defineSearchAttributeKey('CustomerId', SearchAttributeType.TEXT), value: null }]);
    assert.equal(typeMismatch.get(k.customer), 'a', 'removal only when the type matches');
  });

  it('getAll, toJSON and the static helpers match the official class', () => {
    const ours = new TypedSearchAttributes(pairs({ SearchAttributeType, defineSearchAttributeKey }));
    const theirs = new official.TypedSearchAttributes(pairs(official));
    assert.equal(JSON.stringify(ours), JSON.stringify(theirs));
    for (const t of Object.values(SearchAttributeType)) {
      assert.equal(TypedSearchAttributes.toMetadataType(t), official.TypedSearchAttributes.toMetadataType(t));
      assert.equal(TypedSearchAttributes.toSearchAttributeType(`INDEXED_VALUE_TYPE_${t}`), t);
    }
    for (const value of [['x'], [1], [1.5], [true], [AT], ['2024-01-01T00:00:00.000Z'], ['a', 'b'], [{}]]) {
      assert.deepEqual(TypedSearchAttributes.getKeyFromUntyped('K', value), official.TypedSearchAttributes.getKeyFromUntyped('K', value));
    }
    assert.equal(encodeSearchAttributeIndexedValueType('KEYWORD_LIST'), 7);
  });
});
