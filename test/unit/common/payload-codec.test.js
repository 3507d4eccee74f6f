// Payload codec chains: encode in order, decode in reverse, failures walked down their cause chain.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  decodeFailure,
  decodeMapPayloads,
  decodeOptionalFailure,
  decodeOptionalSingle,
  decodePayloads,
  DefaultFailureConverter,
  defaultPayloadConverter,
  encodeFailure,
  encodeMapPayloads,
  encodeOptionalFailure,
  encodeOptionalSingle,
  encodePayloads,
  ApplicationFailure,
  CancelledFailure,
  TimeoutFailure,
} from '../../../dist/common/index.js';

const enc = new TextEncoder();
const dec = new TextDecoder();

/** A codec that wraps each payload in a `tag/<name>` envelope, logging calls. */
function taggingCodec(name, log) {
  return {
    async encode(payloads) {
      log.push(`encode:${name}`);
      return payloads.map((p) => ({
        metadata: { encoding: enc.encode(`tag/${name}`) },
        data: enc.encode(JSON.stringify({ m: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, dec.decode(v)])), d: p.data ? [...p.data] : null })),
      }));
    },
    async decode(payloads) {
      log.push(`decode:${name}`);
      return payloads.map((p) => {
        if (dec.decode(p.metadata.encoding) !== `tag/${name}`) throw new Error(`${name} got ${dec.decode(p.metadata.encoding)}`);
        const { m, d } = JSON.parse(dec.decode(p.data));
        return { metadata: Object.fromEntries(Object.entries(m).map(([k, v]) => [k, enc.encode(v)])), data: d ? Uint8Array.from(d) : d };
      });
    },
  };
}

describe('codec chains', () => {
  it('encode runs first→last, decode last→first, and round-trips', async () => {
    const log = [];
    const codecs = [taggingCodec('compress', log), taggingCodec('encrypt', log)];
    const payloads = [defaultPayloadConverter.toPayload({ a: 1 }), defaultPayloadConverter.toPayload(undefined)];
    const wire = await encodePayloads(codecs, payloads);
    assert.equal(dec.decode(wire[0].metadata.encoding), 'tag/encrypt');
    const back = await decodePayloads(codecs, wire);
    assert.deepEqual(log, ['encode:compress', 'encode:encrypt', 'decode:encrypt', 'decode:compress']);
    assert.deepEqual(defaultPayloadConverter.fromPayload(back[0]), { a: 1 });
    assert.equal(defaultPayloadConverter.fromPayload(back[1]), undefined);
  });

  it('no codecs is the identity', async () => {
    const payloads = [defaultPayloadConverter.toPayload('x')];
    assert.equal(await encodePayloads([], payloads), payloads);
    assert.equal(await decodePayloads([], payloads), payloads);
  });

  it('optional single payloads and payload maps', async () => {
    const codecs = [taggingCodec('c', [])];
    assert.equal(await encodeOptionalSingle(codecs, null), null);
    assert.equal(await decodeOptionalSingle(codecs, undefined), undefined);
    const one = await encodeOptionalSingle(codecs, defaultPayloadConverter.toPayload(5));
    assert.equal(defaultPayloadConverter.fromPayload(await decodeOptionalSingle(codecs, one)), 5);
    const memo = { a: defaultPayloadConverter.toPayload('A'), b: defaultPayloadConverter.toPayload(['B']) };
    const encoded = await encodeMapPayloads(codecs, memo);
    assert.deepEqual(Object.keys(encoded), ['a', 'b']);
    const decoded = await decodeMapPayloads(codecs, encoded);
    assert.deepEqual(defaultPayloadConverter.fromPayload(decoded.b), ['B']);
    assert.equal(await encodeMapPayloads(codecs, undefined), undefined);
  });
});

describe('failure codec walking', () => {
  it('encodes details, heartbeat details and encoded attributes down the cause chain without mutating', async () => {
    const codecs = [taggingCodec('x', [])];
    const conv = new DefaultFailureConverter({ encodeCommonAttributes: true });
    const err = ApplicationFailure.create({
      message: 'top',
      details: ['d1'],
      cause: new CancelledFailure('mid', ['d2'], new TimeoutFailure('low', { beat: 1 }, 'HEARTBEAT')),
    });
    const failure = conv.errorToFailure(err, defaultPayloadConverter);
    const snapshot = JSON.stringify(failure);
    const wire = await encodeFailure(codecs, failure);
    assert.equal(JSON.stringify(failure), snapshot, 'input not mutated');
    const tag = (p) => dec.decode(p.metadata.encoding);
    assert.equal(tag(wire.encodedAttributes), 'tag/x');
    assert.equal(tag(wire.applicationFailureInfo.details.payloads[0]), 'tag/x');
    assert.equal(tag(wire.cause.canceledFailureInfo.details.payloads[0]), 'tag/x');
    assert.equal(tag(wire.cause.cause.timeoutFailureInfo.lastHeartbeatDetails.payloads[0]), 'tag/x');
    assert.equal(tag(wire.cause.cause.encodedAttributes), 'tag/x');

    const back = conv.failureToError(await decodeFailure(codecs, wire), defaultPayloadConverter);
    assert.equal(back.message, 'top');
    assert.deepEqual(back.details, ['d1']);
    assert.deepEqual(back.cause.details, ['d2']);
    assert.deepEqual(back.cause.cause.lastHeartbeatDetails, { beat: 1 });
    assert.equal(back.cause.cause.message, 'low');
  });

  it('optional failures pass null/undefined through', async () => {
    assert.equal(await encodeOptionalFailure([], undefined), undefined);
    assert.equal(await decodeOptionalFailure([], null), null);
    const f = { message: 'm', resetWorkflowFailureInfo: { lastHeartbeatDetails: { payloads: [defaultPayloadConverter.toPayload(1)] } } };
    const out = await encodeOptionalFailure([taggingCodec('r', [])], f);
    assert.equal(dec.decode(out.resetWorkflowFailureInfo.lastHeartbeatDetails.payloads[0].metadata.encoding), 'tag/r');
  });
});
