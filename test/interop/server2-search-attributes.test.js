// Interop (server, second half): custom search attributes — registered through `createLocal`'s
// `searchAttributes` (→ `--search-attribute` flags) and through OperatorService.AddSearchAttributes —
// set on start, upserted from a workflow, decoded by describe(), and queried with the visibility
// query language, with the official @temporalio/client + @temporalio/worker.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import proto from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import * as activities from '../fixtures/interop2/activities.js';
import { bundle, createLocalEnv, rejection, uid, waitFor } from '../fixtures/interop2/helpers.js';

const IndexedValueType = proto.temporal.api.enums.v1.IndexedValueType;

const keys = {
  keyword: defineSearchAttributeKey('DfKeyword', SearchAttributeType.KEYWORD),
  text: defineSearchAttributeKey('DfText', SearchAttributeType.TEXT),
  int: defineSearchAttributeKey('DfInt', SearchAttributeType.INT),
  double: defineSearchAttributeKey('DfDouble', SearchAttributeType.DOUBLE),
  bool: defineSearchAttributeKey('DfBool', SearchAttributeType.BOOL),
  datetime: defineSearchAttributeKey('DfDatetime', SearchAttributeType.DATETIME),
  keywordList: defineSearchAttributeKey('DfKeywordList', SearchAttributeType.KEYWORD_LIST),
};

const A = {
  keyword: 'alpha-1',
  text: 'the quick brown fox',
  int: 10,
  double: 1.5,
  bool: true,
  datetime: new Date('2024-01-15T00:00:00Z'),
  keywordList: ['red', 'green'],
};
const B = {
  keyword: 'alpha-2',
  text: 'lazy dog sleeps',
  int: 20,
  double: 2.5,
  bool: false,
  datetime: new Date('2024-06-01T12:00:00Z'),
  keywordList: ['blue'],
};
const C_UPSERT = { int: 30, bool: true, datetime: '2024-09-30T08:30:00.123Z', keywordList: ['green', 'yellow'] };

/** The messages of an error and its causes (the client wraps the gRPC error in a ServiceError). */
function messages(err) {
  const parts = [];
  for (let e = err; e; e = e.cause) parts.push(e.message);
  return parts.join(' <- ');
}

/** The gRPC status code of an error or of one of its causes (3 = INVALID_ARGUMENT). */
function grpcCode(err) {
  for (let e = err; e; e = e.cause) if (typeof e.code === 'number') return e.code;
  return undefined;
}

function pairs(values) {
  return Object.entries(values).map(([name, value]) => ({ key: keys[name], value }));
}

describe('interop server2: custom search attributes and visibility queries', () => {
  let env;
  let taskQueue;
  const ids = {};
  let startedBefore;

  before(async () => {
    let workflowBundle;
    [env, workflowBundle] = await Promise.all([
      // Four attributes through the command-line flags of `server start-dev`...
      createLocalEnv({ searchAttributes: [keys.keyword, keys.text, keys.int, keys.double] }),
      bundle(),
    ]);
    // ...and three through the OperatorService.
    await env.connection.operatorService.addSearchAttributes({
      namespace: 'default',
      searchAttributes: {
        DfBool: IndexedValueType.INDEXED_VALUE_TYPE_BOOL,
        DfDatetime: IndexedValueType.INDEXED_VALUE_TYPE_DATETIME,
        DfKeywordList: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST,
      },
    });

    taskQueue = uid('tq-sa');
    ids.A = uid('sa-A');
    ids.B = uid('sa-B');
    ids.C = uid('sa-C');
    ids.D = uid('sa-D');
    startedBefore = new Date(Date.now() - 1000);
    const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle, activities });
    await worker.runUntil(async () => {
      const client = env.client.workflow;
      const a = await client.start('searchAttributeHolder', {
        taskQueue,
        workflowId: ids.A,
        args: [null, false],
        typedSearchAttributes: pairs(A),
      });
      await client.start('searchAttributeHolder', {
        taskQueue,
        workflowId: ids.B,
        args: [null, true],
        typedSearchAttributes: pairs(B),
      });
      const c = await client.start('searchAttributeHolder', {
        taskQueue,
        workflowId: ids.C,
        args: [C_UPSERT, true],
        typedSearchAttributes: pairs({ keyword: 'beta-1' }),
      });
      const d = await client.start('searchAttributeHolder', { taskQueue, workflowId: ids.D, args: [null, false] });
      // The workflow sees its start attributes.
      assert.deepEqual(await a.result(), { keyword: 'alpha-1', int: 10 });
      assert.deepEqual(await d.result(), { keyword: null, int: null });
      // Wait until C's upsert is recorded.
      await waitFor('the upsert from workflow C', async () => {
        const description = await c.describe();
        return description.typedSearchAttributes.get(keys.int) === 30;
      });
    });
  });

  after(async () => {
    await env?.teardown();
  });

  async function idsFor(query) {
    const found = [];
    for await (const wf of env.client.workflow.list({ query: `TaskQueue = '${taskQueue}' AND (${query})` })) {
      found.push(Object.keys(ids).find((k) => ids[k] === wf.workflowId) ?? wf.workflowId);
    }
    return found.sort();
  }

  async function assertQuery(query, expected) {
    assert.deepEqual(await idsFor(query), expected, `query: ${query}`);
  }

  it('the registered attributes are listed with their types', async () => {
    const { customAttributes } = await env.connection.operatorService.listSearchAttributes({ namespace: 'default' });
    assert.equal(customAttributes.DfKeyword, IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
    assert.equal(customAttributes.DfText, IndexedValueType.INDEXED_VALUE_TYPE_TEXT);
    assert.equal(customAttributes.DfInt, IndexedValueType.INDEXED_VALUE_TYPE_INT);
    assert.equal(customAttributes.DfDouble, IndexedValueType.INDEXED_VALUE_TYPE_DOUBLE);
    assert.equal(customAttributes.DfBool, IndexedValueType.INDEXED_VALUE_TYPE_BOOL);
    assert.equal(customAttributes.DfDatetime, IndexedValueType.INDEXED_VALUE_TYPE_DATETIME);
    assert.equal(customAttributes.DfKeywordList, IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST);
  });

  it('describe() returns typedSearchAttributes decoded to their types (start and upsert)', async () => {
    const a = (await env.client.workflow.getHandle(ids.A).describe()).typedSearchAttributes;
    assert.equal(a.get(keys.keyword), A.keyword);
    assert.equal(a.get(keys.text), A.text);
    assert.equal(a.get(keys.int), A.int);
    assert.equal(a.get(keys.double), A.double);
    assert.equal(a.get(keys.bool), A.bool);
    assert.ok(a.get(keys.datetime) instanceof Date, `Datetime decoded as ${a.get(keys.datetime)}`);
    assert.equal(a.get(keys.datetime).getTime(), A.datetime.getTime());
    assert.deepEqual(a.get(keys.keywordList), A.keywordList);

    const c = (await env.client.workflow.getHandle(ids.C).describe()).typedSearchAttributes;
    assert.equal(c.get(keys.keyword), 'beta-1', 'a start attribute survives the upsert (merge)');
    assert.equal(c.get(keys.int), 30);
    assert.equal(c.get(keys.bool), true);
    assert.equal(c.get(keys.datetime)?.getTime(), new Date(C_UPSERT.datetime).getTime());
    assert.deepEqual(c.get(keys.keywordList), C_UPSERT.keywordList);
    assert.equal(c.get(keys.text), undefined);

    const d = (await env.client.workflow.getHandle(ids.D).describe()).typedSearchAttributes;
    assert.equal(d.get(keys.keyword), undefined);
  });

  it('list() results carry decoded typedSearchAttributes too', async () => {
    const found = [];
    for await (const wf of env.client.workflow.list({ query: `WorkflowId = '${ids.C}'` })) found.push(wf);
    assert.equal(found.length, 1);
    assert.equal(found[0].typedSearchAttributes.get(keys.int), 30);
    assert.deepEqual(found[0].typedSearchAttributes.get(keys.keywordList), C_UPSERT.keywordList);
    assert.equal(found[0].status.name, 'RUNNING');
  });

  it('= on Keyword, Double, Bool; OR and parentheses', async () => {
    await assertQuery(`DfKeyword = 'alpha-1'`, ['A']);
    await assertQuery(`DfDouble >= 2.0`, ['B']);
    await assertQuery(`DfBool = true`, ['A', 'C']);
    await assertQuery(`DfBool = false`, ['B']);
    await assertQuery(`DfKeyword = 'alpha-1' OR DfInt = 30`, ['A', 'C']);
    await assertQuery(`WorkflowId = '${ids.D}'`, ['D']);
  });

  it('KeywordList = means "contains"; IN on KeywordList', async () => {
    await assertQuery(`DfKeywordList = 'green'`, ['A', 'C']);
    await assertQuery(`DfKeywordList = 'blue'`, ['B']);
    await assertQuery(`DfKeywordList IN ('blue', 'yellow')`, ['B', 'C']);
  });

  it('Text = is a token match', async () => {
    await assertQuery(`DfText = 'quick'`, ['A']);
    await assertQuery(`DfText = 'dog'`, ['B']);
    await assertQuery(`DfText = 'cat'`, []);
  });

  it('STARTS_WITH, BETWEEN (Int and Datetime), IN', async () => {
    await assertQuery(`DfKeyword STARTS_WITH 'alpha'`, ['A', 'B']);
    await assertQuery(`DfKeyword STARTS_WITH 'beta'`, ['C']);
    await assertQuery(`DfInt BETWEEN 15 AND 35`, ['B', 'C']);
    await assertQuery(`DfInt BETWEEN 10 AND 20`, ['A', 'B']);
    await assertQuery(`DfDatetime BETWEEN '2024-01-01T00:00:00Z' AND '2024-03-01T00:00:00Z'`, ['A']);
    await assertQuery(`DfKeyword IN ('alpha-2', 'beta-1')`, ['B', 'C']);
  });

  it('IS NULL / IS NOT NULL', async () => {
    await assertQuery(`DfText IS NULL`, ['C', 'D']);
    await assertQuery(`DfInt IS NOT NULL`, ['A', 'B', 'C']);
    await assertQuery(`DfDatetime IS NULL`, ['D']);
  });

  it('NOT', async () => {
    await assertQuery(`NOT (ExecutionStatus = 'Running')`, ['A', 'D']);
    await assertQuery(`DfInt IS NOT NULL AND NOT (DfInt > 15)`, ['A']);
    await assertQuery(`DfKeyword IS NOT NULL AND NOT DfKeyword STARTS_WITH 'alpha'`, ['C']);
  });

  it('back-quoted names and ExecutionStatus names', async () => {
    await assertQuery('`DfKeyword` = \'alpha-2\'', ['B']);
    await assertQuery(`ExecutionStatus = 'Running'`, ['B', 'C']);
    await assertQuery(`ExecutionStatus = 'Completed'`, ['A', 'D']);
    await assertQuery('`ExecutionStatus` = \'Completed\' AND `DfInt` = 10', ['A']);
  });

  it('datetime literals: RFC 3339 (with nanoseconds) and epoch nanoseconds', async () => {
    await assertQuery(`DfDatetime > '2024-03-01T00:00:00.000000000Z'`, ['B', 'C']);
    await assertQuery(`DfDatetime = '2024-09-30T08:30:00.123Z'`, ['C']);
    await assertQuery(`DfDatetime < 1709251200000000000`, ['A']);
    await assertQuery(`StartTime >= '${startedBefore.toISOString()}'`, ['A', 'B', 'C', 'D']);
    await assertQuery(`StartTime < '${startedBefore.toISOString()}'`, []);
  });

  it('count() agrees with list()', async () => {
    const { count } = await env.client.workflow.count(`TaskQueue = '${taskQueue}' AND DfKeywordList = 'green'`);
    assert.equal(count, 2);
  });

  it('unsupported queries are rejected with a message naming the problem', async () => {
    const list = async (query) => {
      const found = [];
      for await (const wf of env.client.workflow.list({ query })) found.push(wf);
      return found;
    };
    const orderBy = await rejection(list(`DfInt > 0 ORDER BY StartTime`));
    assert.match(messages(orderBy), /order by/i);
    assert.equal(grpcCode(orderBy), 3, messages(orderBy));
    const like = await rejection(list(`WorkflowId LIKE 'x%'`));
    assert.match(messages(like), /like/i);
    assert.equal(grpcCode(like), 3, messages(like));
    const unknown = await rejection(list(`NoSuchAttribute = 'x'`));
    assert.match(messages(unknown), /NoSuchAttribute/);
    assert.match(messages(unknown), /not a valid search attribute/i);
  });

  it('starting a workflow with an unregistered search attribute is rejected', async () => {
    const err = await rejection(
      env.client.workflow.start('searchAttributeHolder', {
        taskQueue,
        workflowId: uid('sa-unregistered'),
        args: [null, false],
        typedSearchAttributes: [
          { key: defineSearchAttributeKey('NotRegisteredAttr', SearchAttributeType.KEYWORD), value: 'x' },
        ],
      }),
    );
    assert.match(messages(err), /NotRegisteredAttr/);
    assert.equal(grpcCode(err), 3, messages(err));
  });
});
