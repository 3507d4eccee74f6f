// duraflow client data converters: a payload converter given by path (payloadConverterPath) is
// loaded with a dynamic import (ESM or CommonJS) and used for arguments and results; bad paths and
// modules fail with errors naming them.
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { Client, Connection } from 'duraflow/client';
import { decodeUtf8 } from 'duraflow/common';
import proto from '@temporalio/proto';
import { startEnv, uid } from '../fixtures/client/env.js';

const T = { timeout: 20_000 };
const EventType = proto.temporal.api.enums.v1.EventType;
const fixture = (name) => fileURLToPath(new URL(`../fixtures/client/${name}`, import.meta.url));

describe('duraflow client: payloadConverterPath', () => {
  let env;
  const opts = (prefix, args) => ({ taskQueue: env.taskQueue, workflowId: uid(prefix), args });

  before(async () => {
    env = await startEnv();
  });
  after(async () => {
    await env?.stop();
  });

  it('an ESM converter module encodes the arguments and decodes the result', T, async () => {
    const client = env.makeClient({ dataConverter: { payloadConverterPath: fixture('date-payload-converter.js') } });
    const when = new Date(Date.UTC(2030, 0, 2, 3, 4, 5, 6));
    const handle = await client.workflow.start('echo', opts('date', [{ when, label: 'x' }]));
    const result = await handle.result();
    assert.ok(result.when instanceof Date, 'the converter revived the Date');
    assert.equal(result.when.getTime(), when.getTime());
    assert.equal(result.label, 'x');

    const { events } = await handle.fetchHistory();
    const started = events.find((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED);
    const [input] = started.workflowExecutionStartedEventAttributes.input.payloads;
    assert.equal(decodeUtf8(input.metadata['x-dates']), 'tagged');
    assert.equal(decodeUtf8(input.data), '{"when":{"$date":"2030-01-02T03:04:05.006Z"},"label":"x"}');

    // The default converter sees the tagged form: the loaded converter made the difference.
    assert.deepEqual(await env.client.workflow.result(handle.workflowId), { when: { $date: '2030-01-02T03:04:05.006Z' }, label: 'x' });
  });

  it('a CommonJS converter module works too (also for schedules and memo decoding)', T, async () => {
    const client = env.makeClient({ dataConverter: { payloadConverterPath: fixture('upper-payload-converter.cjs') } });
    assert.equal(await client.workflow.execute('greet', opts('cjs', ['ada'])), 'HELLO, ADA!');
    const handle = await client.workflow.start('greet', { ...opts('cjs-memo', ['b']), memo: { note: 'quiet' } });
    await handle.result();
    assert.deepEqual((await handle.describe()).memo, { note: 'QUIET' });
  });

  it('a missing module or export fails the first call with an error naming the path', T, async () => {
    const missing = env.makeClient({ dataConverter: { payloadConverterPath: fixture('no-such-converter.js') } });
    await assert.rejects(missing.workflow.start('greet', opts('missing', ['x'])), (err) => {
      assert.ok(err instanceof TypeError, String(err));
      assert.match(err.message, /Failed to load payloadConverter module '.*no-such-converter\.js'/);
      assert.ok(err.cause);
      return true;
    });
    const noExport = env.makeClient({ dataConverter: { payloadConverterPath: fixture('not-a-converter.js') } });
    await assert.rejects(noExport.workflow.start('greet', opts('no-export', ['x'])), /Module '.*not-a-converter\.js' does not export 'payloadConverter'/);
  });
});

describe('duraflow client: dataConverter validation', () => {
  const connection = Connection.lazy({ address: '127.0.0.1:1', interceptors: [] });

  it('rejects malformed options when the client is made', () => {
    assert.throws(() => new Client({ connection, dataConverter: { payloadConverterPath: '' } }), /dataConverter\.payloadConverterPath must be a non-empty string/);
    assert.throws(() => new Client({ connection, dataConverter: { payloadCodecs: {} } }), /dataConverter\.payloadCodecs must be an array/);
    assert.throws(() => new Client({ connection, dataConverter: { payloadCodecs: [{ encode() {} }] } }), /payloadCodecs\[0\] must be an object with encode and decode methods/);
    assert.throws(() => new Client({ connection, dataConverter: 'json' }), /dataConverter must be an object/);
  });
});
