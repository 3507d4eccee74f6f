// Protobuf payload converters against a user-supplied protobufjs root: payloads identical to the
// official json/protobuf and binary/protobuf converters, and decoding in both directions.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import protobuf from 'protobufjs';
import temporalRoot from '@temporalio/proto';
import * as officialProtobufs from '@temporalio/common/lib/protobufs.js';
import {
  DefaultPayloadConverterWithProtobufs,
  messageFromProtoJson,
  messageToProtoJson,
  PayloadConverterError,
  ProtobufBinaryPayloadConverter,
  ProtobufJsonPayloadConverter,
  ValueError,
} from '../../../dist/common/index.js';

const SOURCE = `
syntax = "proto3";
package demo;
import "google/protobuf/struct.proto";
import "google/protobuf/timestamp.proto";
import "google/protobuf/duration.proto";
import "google/protobuf/wrappers.proto";
import "google/protobuf/any.proto";
import "google/protobuf/field_mask.proto";
import "google/protobuf/empty.proto";
enum Color { COLOR_UNSPECIFIED = 0; RED = 1; BLUE = 2; }
message Inner { string name = 1; repeated int64 ids = 2; }
message Everything {
  int32 i32 = 1; int64 i64 = 2; uint64 u64 = 3; double d = 4; float f = 5; bool b = 6; string s = 7; bytes by = 8;
  Color color = 9; repeated Color colors = 10; Inner inner = 11; repeated Inner inners = 12;
  map<string, Inner> by_name = 13; map<int32, string> by_num = 14;
  google.protobuf.Timestamp at = 15; google.protobuf.Duration took = 16;
  google.protobuf.Struct st = 17; google.protobuf.Value val = 18; google.protobuf.ListValue lv = 19;
  google.protobuf.StringValue sw = 20; google.protobuf.Int64Value iw = 21; google.protobuf.BoolValue bw = 22;
  google.protobuf.FieldMask mask = 23; google.protobuf.Any any = 24; google.protobuf.Empty empty = 25;
  optional int32 maybe = 26;
  oneof choice { string left = 27; int32 right = 28; }
  sint64 s64 = 29; fixed64 fx = 30; double special = 31;
}`;

function buildRoot() {
  const parsed = protobuf.parse(SOURCE, { keepCase: false });
  for (const name of parsed.imports) parsed.root.addJSON(protobuf.common.get(name).nested);
  parsed.root.resolveAll();
  return parsed.root;
}

const root = buildRoot();
const Everything = root.lookupType('demo.Everything');
const Inner = root.lookupType('demo.Inner');

const MESSAGES = {
  'all fields set': () =>
    Everything.create({
      i32: -7,
      i64: protobuf.util.Long.fromString('-9007199254740993'),
      u64: protobuf.util.Long.fromString('18446744073709551615', true),
      d: 3.14159,
      f: 1.5,
      b: true,
      s: 'héllo 👋',
      by: new Uint8Array([0, 1, 2, 254, 255]),
      color: 2,
      colors: [1, 2, 0],
      inner: Inner.create({ name: 'in', ids: [1, 2] }),
      inners: [Inner.create({ name: 'a' }), Inner.create({})],
      byName: { x: Inner.create({ name: 'x' }) },
      byNum: { 3: 'three', [-1]: 'minus one' },
      at: { seconds: 1_700_000_000, nanos: 123_000_000 },
      took: { seconds: 90, nanos: 500 },
      st: { fields: { a: { numberValue: 1 }, b: { listValue: { values: [{ stringValue: 's' }, { nullValue: 0 }] } }, c: { structValue: { fields: { d: { boolValue: true } } } } } },
      val: { stringValue: 'v' },
      lv: { values: [{ numberValue: 2 }, { boolValue: false }] },
      sw: { value: 'wrapped' },
      iw: { value: 42 },
      bw: { value: false },
      mask: { paths: ['by_name', 'inner.ids'] },
      any: { type_url: 'type.googleapis.com/demo.Inner', value: Inner.encode({ name: 'packed', ids: [9] }).finish() },
      empty: {},
      maybe: 0,
      right: 0,
      s64: -5,
      fx: 77,
      special: Number.NEGATIVE_INFINITY,
    }),
  'defaults only': () => Everything.create({}),
  'explicit defaults (omitted except optional/oneof)': () => Everything.create({ i32: 0, s: '', b: false, colors: [], maybe: 0, left: '' }),
  'negative duration and pre-epoch timestamp': () => Everything.create({ took: { seconds: -3, nanos: -250_000_000 }, at: { seconds: -1, nanos: 999_999_999 } }),
  'Any holding a well-known type': () =>
    Everything.create({ any: { type_url: 'type.googleapis.com/google.protobuf.Duration', value: root.lookupType('google.protobuf.Duration').encode({ seconds: 5 }).finish() } }),
  'temporal RetryPolicy from @temporalio/proto': () =>
    temporalRoot.temporal.api.common.v1.RetryPolicy.create({ initialInterval: { seconds: 1, nanos: 5 }, backoffCoefficient: 2, nonRetryableErrorTypes: ['a'] }),
  'temporal HistoryEvent (enum, int64, Timestamp, oneof)': () =>
    temporalRoot.temporal.api.history.v1.HistoryEvent.create({
      eventId: 3,
      eventTime: { seconds: 1_700_000_000 },
      eventType: 10,
      timerFiredEventAttributes: { timerId: 't1', startedEventId: 2 },
    }),
};

const text = new TextDecoder();
const rootFor = (message) => (message.$type.root === root ? root : temporalRoot);

function assertSamePayload(ours, theirs) {
  assert.deepEqual(Object.keys(ours.metadata), Object.keys(theirs.metadata));
  for (const key of Object.keys(theirs.metadata)) assert.equal(text.decode(ours.metadata[key]), text.decode(theirs.metadata[key]));
  assert.equal(ours.data === undefined, theirs.data === undefined);
  if (theirs.data === undefined) return;
  assert.equal(text.decode(ours.data), text.decode(theirs.data));
  assert.ok(Buffer.from(ours.data).equals(Buffer.from(theirs.data)));
}

/** Comparable form of a message: its binary encoding. */
const wire = (message) => Buffer.from(message.$type.encode(message).finish()).toString('hex');

describe('DefaultPayloadConverterWithProtobufs matches the official converter', () => {
  for (const [name, make] of Object.entries(MESSAGES)) {
    it(`json/protobuf: ${name}`, () => {
      const message = make();
      const r = rootFor(message);
      const ours = new DefaultPayloadConverterWithProtobufs({ protobufRoot: r });
      const theirs = new officialProtobufs.DefaultPayloadConverterWithProtobufs({ protobufRoot: r });
      const ourPayload = ours.toPayload(message);
      const theirPayload = theirs.toPayload(message);
      assertSamePayload(ourPayload, theirPayload);
      // Decode each other's payloads into equal messages.
      const a = ours.fromPayload(theirPayload);
      const b = theirs.fromPayload(ourPayload);
      assert.equal(wire(a), wire(b));
      assert.equal(wire(a), wire(message.$type.decode(message.$type.encode(message).finish())));
    });

    it(`binary/protobuf: ${name}`, () => {
      const message = make();
      const r = rootFor(message);
      const ours = new ProtobufBinaryPayloadConverter(r);
      const theirs = new officialProtobufs.ProtobufBinaryPayloadConverter(r);
      assertSamePayload(ours.toPayload(message), theirs.toPayload(message));
      const decoded = ours.fromPayload(theirs.toPayload(message));
      assert.equal(wire(decoded), wire(message));
    });
  }

  it('plain values still go through json/plain and binary/plain', () => {
    const ours = new DefaultPayloadConverterWithProtobufs({ protobufRoot: root });
    const theirs = new officialProtobufs.DefaultPayloadConverterWithProtobufs({ protobufRoot: root });
    for (const value of [undefined, { a: 1 }, new Uint8Array([1]), 'x']) assertSamePayload(ours.toPayload(value), theirs.toPayload(value));
    assert.deepEqual(ours.converters.map((c) => c.encodingType), ['binary/null', 'binary/plain', 'json/protobuf', 'binary/protobuf', 'json/plain']);
  });

  it('decoded bytes fields are plain Uint8Arrays, not Buffers', () => {
    const ours = new DefaultPayloadConverterWithProtobufs({ protobufRoot: root });
    const message = ours.fromPayload(ours.toPayload(MESSAGES['all fields set']()));
    assert.equal(message.by.constructor, Uint8Array);
    const binary = new ProtobufBinaryPayloadConverter(root).fromPayload(new ProtobufBinaryPayloadConverter(root).toPayload(Everything.create({ by: new Uint8Array([5]) })));
    assert.equal(binary.by.constructor, Uint8Array);
  });

  it('accepts an injected ProtoJSON implementation', async () => {
    const protojson = (await import('protobufjs/ext/protojson.js')).default;
    const ours = new ProtobufJsonPayloadConverter(root, { protojson });
    const message = MESSAGES['all fields set']();
    assertSamePayload(ours.toPayload(message), new officialProtobufs.ProtobufJsonPayloadConverter(root).toPayload(message));
  });
});

describe('ProtoJSON reader edge cases', () => {
  it('accepts original field names, enum numbers, numeric int64 and URL-safe base64; skips unknown fields', () => {
    const msg = messageFromProtoJson(Everything, { by_name: { k: { name: 'n' } }, color: 1, i64: 5, by: '-_8', extra: 1 }, { ignoreUnknownFields: true });
    assert.equal(msg.byName.k.name, 'n');
    assert.equal(msg.color, 1);
    assert.equal(String(msg.i64), '5');
    assert.deepEqual([...msg.by], [251, 255]);
    assert.throws(() => messageFromProtoJson(Everything, { nope: 1 }), (err) => err instanceof ValueError && /unknown field/.test(err.message));
    assert.throws(() => messageFromProtoJson(Everything, { took: '5 minutes' }), /duration string/);
    assert.throws(() => messageFromProtoJson(Everything, { i32: 1.5 }), /expected an integer/);
  });

  it('writer and reader round-trip through JSON text', () => {
    const message = MESSAGES['all fields set']();
    const json = JSON.parse(JSON.stringify(messageToProtoJson(Everything, message)));
    assert.equal(wire(messageFromProtoJson(Everything, json)), wire(Everything.decode(Everything.encode(message).finish())));
  });
});

describe('protobuf converter errors', () => {
  it('validates the root and the payload', () => {
    assert.throws(() => new ProtobufJsonPayloadConverter({ not: 'a root' }), { name: 'TypeError', message: 'root must be an instance of a protobufjs Root' });
    const conv = new ProtobufJsonPayloadConverter(root);
    const payload = conv.toPayload(Inner.create({ name: 'x' }));
    assert.throws(() => conv.fromPayload({ metadata: payload.metadata }), { message: 'Got payload with no data' });
    assert.throws(() => conv.fromPayload({ metadata: { encoding: payload.metadata.encoding }, data: payload.data }), /without metadata\.messageType/);
    assert.throws(() => new ProtobufJsonPayloadConverter().fromPayload(payload), (err) => err instanceof PayloadConverterError && /without `root`/.test(err.message));
    const unknown = { metadata: { ...payload.metadata, messageType: new TextEncoder().encode('demo.Missing') }, data: payload.data };
    assert.throws(() => conv.fromPayload(unknown), (err) => err instanceof PayloadConverterError && /demo\.Missing/.test(err.message));
    assert.equal(conv.toPayload({ name: 'plain object' }), undefined);
  });
});
