// Data conversion on duraflow's worker against the dev server, with duraflow's client: a custom
// payload converter loaded into the sandbox by path (`dataConverter.payloadConverterPath` on Worker
// and Client) carries Dates and BigInts through arguments, activities, memo, queries, signals,
// updates, results and failure details; a payload codec (base64-wrapping) runs on the worker's main
// thread, so history holds encoded payloads while the workflow sees decoded values. Search
// attributes are never encoded.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client, WorkflowFailedError } from 'duraflow/client';
import { base64Codec, isWrapped, unwrap } from '../fixtures/worker-api/base64-codec.js';
import { fixturePath, startServer, startWorker } from '../fixtures/worker-api/env.js';
import { eventsOf, metadataOf, ofType, summarize, T, uid } from '../fixtures/worker-api/helpers.js';

const dataConverter = { payloadConverterPath: fixturePath('tagged-payload-converter.cjs'), payloadCodecs: [base64Codec] };
const DAY = 86_400_000;

/** The inner (converter) encoding and text of a codec-wrapped payload. */
function inner(payload) {
  assert.ok(isWrapped(payload), `expected an encoded payload, got ${JSON.stringify(metadataOf(payload))}`);
  const p = unwrap(payload);
  return { encoding: metadataOf(p).encoding, text: Buffer.from(p.data).toString('utf8') };
}

describe('custom payload converter and codec on our worker', () => {
  let base;
  let worker;
  let client;
  before(async () => {
    base = await startServer();
    worker = await startWorker(base.connection, { workflowsPath: fixturePath('converter-workflows.js'), dataConverter });
    client = new Client({ connection: base.connection, dataConverter });
  });
  after(async () => {
    await worker?.stop();
    await base?.connection.close();
    await base?.server.stop();
  });

  it('round-trips values only the custom converter can carry, through every path', T, async () => {
    const date = new Date('2024-05-06T07:08:09.010Z');
    const handle = await client.workflow.start('converted', { taskQueue: worker.taskQueue, workflowId: uid('converted'), args: [date, 21n] });
    const last = await handle.query('last');
    assert.ok(last instanceof Date && last.getTime() === date.getTime(), `query answer ${last}`);
    const updated = await handle.executeUpdate('addDays', { args: [2] });
    assert.ok(updated instanceof Date && updated.getTime() === date.getTime() + 2 * DAY);
    const signalled = new Date('2030-01-01T00:00:00.000Z');
    await handle.signal('proceed', signalled);
    const result = await handle.result();
    assert.deepEqual(result, { isDate: true, isBigInt: true, echoedIsDate: true, next: new Date(date.getTime() + DAY), doubled: 42n, last: signalled });
    const desc = await handle.describe();
    assert.deepEqual(desc.memo, { when: date, big: 21n });
    assert.deepEqual(desc.searchAttributes.ApiKeyword, ['tagged']);

    const events = await eventsOf(handle);
    const started = events[0].workflowExecutionStartedEventAttributes;
    assert.deepEqual(started.input.payloads.map(inner), [
      { encoding: 'json/tagged', text: '{"$date":"2024-05-06T07:08:09.010Z"}' },
      { encoding: 'json/tagged', text: '{"$bigint":"21"}' },
    ]);
    const [scheduled] = ofType(events, 'ACTIVITY_TASK_SCHEDULED');
    assert.equal(inner(scheduled.activityTaskScheduledEventAttributes.input.payloads[0]).text, '{"date":{"$date":"2024-05-06T07:08:09.010Z"},"big":{"$bigint":"21"}}');
    const [activityDone] = ofType(events, 'ACTIVITY_TASK_COMPLETED');
    assert.equal(inner(activityDone.activityTaskCompletedEventAttributes.result.payloads[0]).encoding, 'json/tagged');
    const [modified] = ofType(events, 'WORKFLOW_PROPERTIES_MODIFIED');
    assert.equal(inner(modified.workflowPropertiesModifiedEventAttributes.upsertedMemo.fields.big).text, '{"$bigint":"21"}');
    const [upserted] = ofType(events, 'UPSERT_WORKFLOW_SEARCH_ATTRIBUTES');
    assert.deepEqual(metadataOf(upserted.upsertWorkflowSearchAttributesEventAttributes.searchAttributes.indexedFields.ApiKeyword).encoding, 'json/plain', 'search attributes are not encoded');
    const [signal] = ofType(events, 'WORKFLOW_EXECUTION_SIGNALED');
    assert.equal(inner(signal.workflowExecutionSignaledEventAttributes.input.payloads[0]).text, '{"$date":"2030-01-01T00:00:00.000Z"}');
    const [accepted] = ofType(events, 'WORKFLOW_EXECUTION_UPDATE_ACCEPTED');
    assert.equal(inner(accepted.workflowExecutionUpdateAcceptedEventAttributes.acceptedRequest.input.args.payloads[0]).text, '2');
    const [updateDone] = ofType(events, 'WORKFLOW_EXECUTION_UPDATE_COMPLETED');
    assert.equal(inner(updateDone.workflowExecutionUpdateCompletedEventAttributes.outcome.success.payloads[0]).encoding, 'json/tagged');
    const [completed] = ofType(events, 'WORKFLOW_EXECUTION_COMPLETED');
    assert.match(inner(completed.workflowExecutionCompletedEventAttributes.result.payloads[0]).text, /"doubled":\{"\$bigint":"42"\}/, summarize(events));
  });

  it('encodes failure details and decodes them for the client', T, async () => {
    const date = new Date('2024-01-01T00:00:00.000Z');
    const handle = await client.workflow.start('failsWithDate', { taskQueue: worker.taskQueue, workflowId: uid('fails'), args: [date] });
    await assert.rejects(handle.result(), (err) => {
      assert.ok(err instanceof WorkflowFailedError);
      assert.equal(err.cause.type, 'Dated');
      assert.deepEqual(err.cause.details, [date, 7n]);
      return true;
    });
    const events = await eventsOf(handle);
    const [failed] = ofType(events, 'WORKFLOW_EXECUTION_FAILED');
    const details = failed.workflowExecutionFailedEventAttributes.failure.applicationFailureInfo.details.payloads;
    assert.deepEqual(details.map((p) => inner(p).text), ['{"$date":"2024-01-01T00:00:00.000Z"}', '{"$bigint":"7"}']);
  });

  it('answers the built-in queries through the codec, encoded by the default converter', T, async () => {
    const handle = await client.workflow.start('converted', { taskQueue: worker.taskQueue, workflowId: uid('stack'), args: [new Date(0), 1n] });
    const trace = await handle.query('__stack_trace');
    assert.match(trace, /at converted \(.*converter-workflows\.js:\d+:\d+\)/);
    const metadata = await handle.query('__temporal_workflow_metadata');
    assert.equal(metadata.definition.type, 'converted');
    await handle.terminate();
  });

  it('a client without the codec sees encoded payloads', T, async () => {
    const plain = new Client({ connection: base.connection });
    const handle = await client.workflow.start('converted', { taskQueue: worker.taskQueue, workflowId: uid('plain'), args: [new Date(0), 1n] });
    await assert.rejects(plain.workflow.getHandle(handle.workflowId).query('last'), 'the default converter cannot read the wrapped payload');
    await handle.terminate();
  });
});
