// Interop: duraflow's client ↔ the official @temporalio/worker on duraflow's dev server. For a
// table of values, our start arguments are byte-identical to what the official converter writes,
// the official workflow echoes them, and our client decodes the official worker's result; the
// payloads in history are checked byte for byte in both directions. Failures (cause chains, stack
// traces, details) decode exactly as the official failure converter decodes them.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { WorkflowFailedError } from 'duraflow/client';
import { defaultPayloadConverter as ours, ValueError } from 'duraflow/common';
import {
  ActivityFailure as OfficialActivityFailure,
  DefaultFailureConverter as OfficialFailureConverter,
  defaultPayloadConverter as official,
} from '@temporalio/common';
import proto from '@temporalio/proto';
import { startEnv, uid } from '../fixtures/client/env.js';

const EventType = proto.temporal.api.enums.v1.EventType;
const T = { timeout: 60_000 };

function largeObject() {
  const items = [];
  for (let i = 0; i < 12_000; i++) items.push({ i, name: `item-${i}`, tags: ['a', 'ü', '𝄞'], price: i / 7 });
  return { items };
}

/** [label, value] rows: what JSON can and cannot express, binary, and a ~1 MB object. */
const TABLE = [
  ['undefined', undefined],
  ['null', null],
  ['empty string', ''],
  ['ascii', 'plain text'],
  ['unicode (BMP)', 'ünïcødé ✓ 中文 עברית'],
  ['unicode (astral, ZWJ)', '𝄞 🚀 👩‍👩‍👧 𠜎'],
  ['lone surrogate', 'a\uD800b'],
  ['control characters', 'tab\tnewline\nquote"backslash\\nul\u0000'],
  ['zero', 0],
  ['negative zero', -0],
  ['float', 1.5],
  ['negative integer', -42],
  ['1e21', 1e21],
  ['smallest denormal', 5e-324],
  ['max safe integer', Number.MAX_SAFE_INTEGER],
  ['NaN (→ null)', NaN],
  ['Infinity (→ null)', Infinity],
  ['true', true],
  ['false', false],
  ['nested object', { a: { b: [1, { c: null }] }, 'key with spaces': 1, '': 'empty key', ü: '✓' }],
  ['object with undefined members', { dropped: undefined, kept: 1 }],
  ['array', [1, 'two', null, undefined, [3, [4]], { five: 5 }]],
  ['empty array and object', [[], {}]],
  ['Uint8Array', new Uint8Array([0, 1, 2, 127, 128, 255])],
  ['empty Uint8Array', new Uint8Array()],
  ['Buffer', Buffer.from('buffer ✓')],
  ['Date (→ ISO string)', new Date(Date.UTC(2024, 1, 29, 12, 34, 56, 789))],
  ['Map (→ {})', new Map([['k', 'v']])],
  ['toJSON', { toJSON: () => ({ custom: 'json' }) }],
  ['~1 MB object', largeObject()],
];

const bytes = (u8) => Buffer.from(u8 ?? []);
function assertSamePayload(actual, expected, label) {
  const metadata = (p) => Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, bytes(v).toString('latin1')]));
  assert.deepEqual(metadata(actual), metadata(expected), `${label}: metadata`);
  assert.ok(bytes(actual.data).equals(bytes(expected.data)), `${label}: data bytes differ`);
}

/** The fields of an error (and its causes) that must survive decoding. */
function shape(err) {
  if (!err) return undefined;
  return {
    class: err.constructor?.name,
    name: err.name,
    message: err.message,
    type: err.type,
    nonRetryable: err.nonRetryable,
    details: err.details,
    stack: err.stack,
    activityType: err.activityType,
    activityId: err.activityId,
    retryState: err.retryState,
    cause: shape(err.cause),
  };
}

describe('interop: duraflow client ↔ official worker — payload bytes and failures', () => {
  let env;
  before(async () => {
    env = await startEnv();
  });
  after(async () => {
    await env?.stop();
  });

  it('the payload converters agree byte for byte on every value of the table', () => {
    for (const [label, value] of TABLE) assertSamePayload(ours.toPayload(value), official.toPayload(value), label);
    // Neither can encode a BigInt; ours says so with a ValueError before anything is sent.
    assert.throws(() => ours.toPayload(10n), ValueError);
    assert.throws(() => official.toPayload(10n));
  });

  for (const [label, value] of TABLE) {
    it(`round trip through the official worker: ${label}`, T, async () => {
      const handle = await env.client.workflow.start('echo', { taskQueue: env.taskQueue, workflowId: uid('echo'), args: [value] });
      const result = await handle.result();
      const expected = official.fromPayload(official.toPayload(value));
      assert.deepEqual(result, expected);
      if (value instanceof Uint8Array) assert.ok(result instanceof Uint8Array, 'binary comes back as a Uint8Array');

      const { events } = await handle.fetchHistory();
      const started = events.find((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED);
      const [input] = started.workflowExecutionStartedEventAttributes.input.payloads;
      assertSamePayload(input, official.toPayload(value), `${label} (our start input vs the official converter)`);
      const completed = events.find((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED);
      const [output] = completed.workflowExecutionCompletedEventAttributes.result.payloads;
      assertSamePayload(output, ours.toPayload(expected), `${label} (the official worker's result vs our converter)`);
    });
  }

  it('a BigInt argument fails before any RPC with a clear error', async () => {
    await assert.rejects(
      env.client.workflow.start('echo', { taskQueue: env.taskQueue, workflowId: uid('bigint'), args: [1n] }),
      (err) => err instanceof ValueError && /Unable to convert 1n to payload/.test(err.message),
    );
  });

  /** Our client's error vs the official failure converter's decoding of the same history failure. */
  async function compareFailure(type, args = []) {
    const handle = await env.client.workflow.start(type, { taskQueue: env.taskQueue, workflowId: uid(type), args });
    const ourError = await handle.result().then(
      () => assert.fail('expected the workflow to fail'),
      (err) => err,
    );
    assert.ok(ourError instanceof WorkflowFailedError, String(ourError));
    const { events } = await handle.fetchHistory();
    const failed = events.find((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_FAILED);
    const officialError = new OfficialFailureConverter().failureToError(failed.workflowExecutionFailedEventAttributes.failure, official);
    assert.deepEqual(shape(ourError.cause), shape(officialError));
    return { ours: ourError.cause, official: officialError };
  }

  it('a cause chain (ApplicationFailure → ApplicationFailure → Error) with details and stack traces', T, async () => {
    const { ours: err } = await compareFailure('failWithCauseChain');
    assert.equal(err.message, 'outer');
    assert.equal(err.type, 'OuterError');
    assert.equal(err.nonRetryable, true);
    assert.deepEqual(err.details, [{ level: 1 }]);
    assert.match(err.stack, /failWithCauseChain/);
    assert.equal(err.cause.message, 'middle');
    assert.deepEqual(err.cause.details, ['m', 2]);
    assert.equal(err.cause.cause.message, 'root cause');
    assert.match(err.cause.cause.stack, /root cause/);
  });

  it('an ActivityFailure wrapping the activity’s ApplicationFailure', T, async () => {
    const { ours: err, official: theirs } = await compareFailure('failingActivity');
    assert.ok(theirs instanceof OfficialActivityFailure);
    assert.equal(err.activityType, 'failNonRetryable');
    assert.equal(err.cause.type, 'BadInputError');
    assert.deepEqual(err.cause.details, [{ reason: 'bad input' }]);
    assert.match(err.cause.stack, /failNonRetryable/);
  });
});
