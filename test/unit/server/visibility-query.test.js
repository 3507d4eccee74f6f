// Visibility query language: every operator and type, compiled to SQL and run against a real
// in-memory SQLite `visibility` table.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import {
  PREDEFINED_SEARCH_ATTRIBUTES,
  SYSTEM_SEARCH_ATTRIBUTES,
  compileVisibilityQuery,
  toStoredSearchAttributeValue,
} from '../../../dist/server/visibility/index.js';

const NAMESPACE = 'default';
const T0 = Date.UTC(2024, 0, 1); // 2024-01-01T00:00:00Z
const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const CUSTOM = new Map([
  ['CustomKeywordField', 'Keyword'],
  ['CustomIntField', 'Int'],
  ['CustomDoubleField', 'Double'],
  ['CustomBoolField', 'Bool'],
  ['CustomDatetimeField', 'Datetime'],
  ['Tags', 'KeywordList'],
  ['Desc', 'Text'],
  ['Order', 'Keyword'],
]);
const REGISTERED = new Map([...PREDEFINED_SEARCH_ATTRIBUTES, ...CUSTOM]);

// prettier-ignore
const ROWS = [
  { id: 'r01', wf: 'order-1', type: 'OrderWorkflow', tq: 'orders', status: 1, start: T0 + 1 * HOUR, close: null,
    sa: { CustomKeywordField: 'alpha', CustomIntField: 1, CustomDoubleField: 1.5, CustomBoolField: true, CustomDatetimeField: '2024-01-01T00:00:00Z',
      Tags: ['red', 'blue'], Desc: 'Hello World, from Duraflow', BuildIds: ['b1'], Order: 'first' } },
  { id: 'r02', wf: 'order-2', type: 'OrderWorkflow', tq: 'orders', status: 2, start: T0 + 2 * HOUR, close: T0 + 2 * HOUR + 3 * SECOND,
    parent: ['order-1', 'r01'], root: ['order-1', 'r01'],
    sa: { CustomKeywordField: 'beta', CustomIntField: 5, CustomDoubleField: 2, CustomBoolField: false,
      CustomDatetimeField: '2024-01-02T00:00:00.500+01:00', Tags: 'red', Desc: 'hello-there general' } },
  { id: 'r03', wf: 'pre%fix_1', type: 'SpecialWorkflow', tq: 'special', status: 3, start: T0 + 3 * HOUR, close: T0 + 3 * HOUR + 10 * SECOND,
    sa: { CustomKeywordField: "it's", Tags: ['green'], Desc: 'GENERAL Kenobi' } },
  { id: 'r04', wf: 'preXfixY1', type: 'SpecialWorkflow', tq: 'special', status: 4, start: T0 + 4 * HOUR, close: T0 + 4 * HOUR + 5 * SECOND,
    sa: { CustomKeywordField: 'gamma', CustomIntField: 10 }, rawSa: { Tags: [] } },
  { id: 'r05', wf: 'PRE%FIX_2', type: 'SpecialWorkflow', tq: 'special', status: 5, start: T0 + 5 * HOUR, close: T0 + 5 * HOUR + MINUTE,
    sa: { CustomBoolField: [true], CustomIntField: -3, CustomKeywordField: 'say "hi"' } },
  { id: 'r06', wf: 'child-1', type: 'ChildWorkflow', tq: 'children', status: 6, start: T0 + 6 * HOUR, close: T0 + 6 * HOUR + 500,
    parent: ['order-2', 'r02'], root: ['order-1', 'r01'], sa: { Tags: ['blue', 'yellow'], Desc: 'the quick brown fox' } },
  { id: 'r07', wf: 'child-2', type: 'ChildWorkflow', tq: 'children', status: 7, start: T0 + 7 * HOUR, close: T0 + 8 * HOUR,
    sa: { CustomDoubleField: 0.25 } },
  { id: 'r08', wf: 'batch-1', type: 'BatchWorkflow', tq: 'batch', status: 1, start: T0 + 8 * HOUR, close: null,
    sa: { CustomKeywordField: 'alpha', BuildIds: ['b2', 'b1'] } },
  { id: 'r09', wf: 'batch-2', type: 'BatchWorkflow', tq: 'batch', status: 2, start: T0 + 9 * HOUR, close: T0 + 9 * HOUR + 5 * SECOND,
    execution: T0 + 10 * HOUR, sa: { CustomDatetimeField: new Date(T0 + 10 * DAY) } },
  { id: 'r10', wf: "quote'd", type: 'BatchWorkflow', tq: 'batch', status: 2, start: T0 - HOUR, close: T0, sa: {} },
];
const ALL = ROWS.map((r) => r.id);

function storedAttributes(row) {
  const stored = { ...row.rawSa };
  for (const [name, value] of Object.entries(row.sa)) {
    stored[name] = toStoredSearchAttributeValue(name, REGISTERED.get(name), value);
  }
  return JSON.stringify(stored);
}

function createDb() {
  const db = new Database(':memory:');
  db.exec(`CREATE TABLE visibility (
    namespace TEXT NOT NULL, run_id TEXT NOT NULL, workflow_id TEXT NOT NULL, workflow_type TEXT NOT NULL,
    task_queue TEXT NOT NULL, status INTEGER NOT NULL, start_time INTEGER NOT NULL, execution_time INTEGER NOT NULL,
    close_time INTEGER, execution_duration INTEGER, history_length INTEGER NOT NULL, history_size_bytes INTEGER NOT NULL,
    parent_workflow_id TEXT, parent_run_id TEXT, root_workflow_id TEXT, root_run_id TEXT,
    search_attributes TEXT NOT NULL DEFAULT '{}', memo BLOB, PRIMARY KEY (namespace, run_id))`);
  const insert = db.prepare(`INSERT INTO visibility VALUES (@namespace, @id, @wf, @type, @tq, @status, @start, @execution, @close,
    @duration, @historyLength, @historySize, @parentWf, @parentRun, @rootWf, @rootRun, @sa, NULL)`);
  ROWS.forEach((row, i) => {
    insert.run({
      namespace: NAMESPACE,
      ...row,
      execution: row.execution ?? row.start,
      duration: row.close === null ? null : row.close - row.start,
      historyLength: [5, 10, 20, 7, 3, 4, 8, 1, 12, 2][i],
      historySize: (i + 1) * 1000,
      parentWf: row.parent?.[0] ?? null,
      parentRun: row.parent?.[1] ?? null,
      rootWf: row.root?.[0] ?? null,
      rootRun: row.root?.[1] ?? null,
      sa: storedAttributes(row),
    });
  });
  insert.run({ namespace: 'other', id: 'r99', wf: 'order-1', type: 'OrderWorkflow', tq: 'orders', status: 1, start: T0, execution: T0,
    close: null, duration: null, historyLength: 1, historySize: 1, parentWf: null, parentRun: null, rootWf: null, rootRun: null, sa: '{}' });
  return db;
}

describe('visibility query language against SQLite', () => {
  let db;
  before(() => {
    db = createDb();
  });

  /** Run ids (sorted) that the query selects in the default namespace. */
  function ids(query, options) {
    const { where, params } = compileVisibilityQuery(query, REGISTERED, options);
    const sql = `SELECT run_id FROM visibility WHERE namespace = ? AND (${where}) ORDER BY run_id`;
    return db.prepare(sql).all(NAMESPACE, ...params).map((r) => r.run_id);
  }
  const except = (...excluded) => ALL.filter((id) => !excluded.includes(id));

  it('empty and whitespace queries select everything', () => {
    assert.deepEqual(compileVisibilityQuery('', REGISTERED), { where: '1', params: [], groupBy: undefined });
    assert.equal(compileVisibilityQuery('  \n\t ', REGISTERED).where, '1');
    assert.deepEqual(ids(''), ALL);
  });

  it('exports the system and predefined attribute types', () => {
    assert.equal(SYSTEM_SEARCH_ATTRIBUTES.get('WorkflowId'), 'Keyword');
    assert.equal(SYSTEM_SEARCH_ATTRIBUTES.get('CloseTime'), 'Datetime');
    assert.equal(SYSTEM_SEARCH_ATTRIBUTES.get('HistoryLength'), 'Int');
    assert.equal(SYSTEM_SEARCH_ATTRIBUTES.size, 15);
    assert.equal(PREDEFINED_SEARCH_ATTRIBUTES.get('BuildIds'), 'KeywordList');
    assert.equal(PREDEFINED_SEARCH_ATTRIBUTES.get('TemporalSchedulePaused'), 'Bool');
    assert.equal(PREDEFINED_SEARCH_ATTRIBUTES.get('TemporalScheduledStartTime'), 'Datetime');
  });

  describe('Keyword (system columns)', () => {
    it('= != <> and the ordering operators', () => {
      assert.deepEqual(ids("WorkflowId = 'order-1'"), ['r01']);
      assert.deepEqual(ids("WorkflowId != 'order-1'"), except('r01'));
      assert.deepEqual(ids("WorkflowId <> 'order-1'"), except('r01'));
      assert.deepEqual(ids("WorkflowId < 'child-2'"), ['r05', 'r06', 'r08', 'r09']);
      assert.deepEqual(ids("WorkflowId <= 'batch-2'"), ['r05', 'r08', 'r09']);
      assert.deepEqual(ids("WorkflowId > 'pre'"), ['r03', 'r04', 'r10']);
      assert.deepEqual(ids("WorkflowId >= 'preXfixY1'"), ['r04', 'r10']);
    });

    it('IN, NOT IN, BETWEEN, NOT BETWEEN', () => {
      assert.deepEqual(ids("WorkflowType IN ('OrderWorkflow', 'ChildWorkflow')"), ['r01', 'r02', 'r06', 'r07']);
      assert.deepEqual(ids("TaskQueue NOT IN ('orders', 'special', 'children')"), ['r08', 'r09', 'r10']);
      assert.deepEqual(ids("WorkflowId BETWEEN 'child-1' AND 'order-2'"), ['r01', 'r02', 'r06', 'r07']);
      assert.deepEqual(ids("WorkflowId NOT BETWEEN 'child-1' AND 'order-2'"), ['r03', 'r04', 'r05', 'r08', 'r09', 'r10']);
    });

    it('STARTS_WITH and NOT STARTS_WITH treat % and _ literally and are case-sensitive', () => {
      assert.deepEqual(ids("WorkflowId STARTS_WITH 'order-'"), ['r01', 'r02']);
      assert.deepEqual(ids("WorkflowId STARTS_WITH 'pre%fix_'"), ['r03']);
      assert.deepEqual(ids("WorkflowId STARTS_WITH 'pre'"), ['r03', 'r04']);
      assert.deepEqual(ids("WorkflowId STARTS_WITH 'PRE'"), ['r05']);
      assert.deepEqual(ids("WorkflowId STARTS_WITH '%'"), []);
      assert.deepEqual(ids("WorkflowId STARTS_WITH '_'"), []);
      assert.deepEqual(ids("WorkflowId NOT STARTS_WITH 'pre'"), except('r03', 'r04'));
      assert.deepEqual(ids("WorkflowId starts_with 'quote'"), ['r10']);
    });

    it('RunId, Parent* and Root* columns, with IS NULL / IS NOT NULL', () => {
      assert.deepEqual(ids("RunId = 'r07'"), ['r07']);
      assert.deepEqual(ids("ParentWorkflowId = 'order-1'"), ['r02']);
      assert.deepEqual(ids("ParentRunId = 'r02'"), ['r06']);
      assert.deepEqual(ids("RootWorkflowId = 'order-1' AND RootRunId = 'r01'"), ['r02', 'r06']);
      assert.deepEqual(ids('ParentWorkflowId IS NOT NULL'), ['r02', 'r06']);
      assert.deepEqual(ids('RootRunId IS NULL'), except('r02', 'r06'));
      // SQL NULL semantics: rows without a parent match neither = nor !=.
      assert.deepEqual(ids("ParentWorkflowId != 'order-1'"), ['r06']);
    });

    it('quoted strings: single, double, doubled quotes and backslash escapes', () => {
      assert.deepEqual(ids('WorkflowId = "order-1"'), ['r01']);
      assert.deepEqual(ids("WorkflowId = 'quote''d'"), ['r10']);
      assert.deepEqual(ids("WorkflowId = 'quote\\'d'"), ['r10']);
      assert.deepEqual(ids('WorkflowId = "quote\'d"'), ['r10']);
      assert.deepEqual(ids('CustomKeywordField = "say ""hi"""'), ['r05']);
      assert.deepEqual(ids('CustomKeywordField = "say \\"hi\\""'), ['r05']);
    });
  });

  describe('Keyword (custom, JSON column)', () => {
    it('comparisons, IN, STARTS_WITH, and NULL semantics for missing attributes', () => {
      assert.deepEqual(ids("CustomKeywordField = 'alpha'"), ['r01', 'r08']);
      assert.deepEqual(ids("CustomKeywordField != 'alpha'"), ['r02', 'r03', 'r04', 'r05']);
      assert.deepEqual(ids("CustomKeywordField IN ('beta', 'gamma')"), ['r02', 'r04']);
      assert.deepEqual(ids("CustomKeywordField NOT IN ('beta', 'gamma')"), ['r01', 'r03', 'r05', 'r08']);
      assert.deepEqual(ids("CustomKeywordField > 'beta'"), ['r03', 'r04', 'r05']);
      assert.deepEqual(ids("CustomKeywordField BETWEEN 'alpha' AND 'beta'"), ['r01', 'r02', 'r08']);
      assert.deepEqual(ids("CustomKeywordField STARTS_WITH 'it'''"), ['r03']);
      assert.deepEqual(ids("CustomKeywordField NOT STARTS_WITH 'a'"), ['r02', 'r03', 'r04', 'r05']);
      assert.deepEqual(ids('CustomKeywordField IS NULL'), ['r06', 'r07', 'r09', 'r10']);
      assert.deepEqual(ids('CustomKeywordField IS NOT NULL'), ['r01', 'r02', 'r03', 'r04', 'r05', 'r08']);
    });

    it('predefined Keyword attributes are known even when not passed in', () => {
      assert.deepEqual(compileVisibilityQuery("TemporalNamespaceDivision IS NULL", new Map()).where.includes('json_extract'), true);
      assert.deepEqual(ids('BatcherUser IS NULL'), ALL);
    });
  });

  describe('KeywordList', () => {
    it('= means contains, != means does not contain', () => {
      assert.deepEqual(ids("Tags = 'red'"), ['r01', 'r02']);
      assert.deepEqual(ids("Tags = 'blue'"), ['r01', 'r06']);
      assert.deepEqual(ids("Tags != 'red'"), ['r03', 'r04', 'r06']);
      assert.deepEqual(ids("Tags = 'purple'"), []);
    });

    it('IN and NOT IN mean contains any / contains none', () => {
      assert.deepEqual(ids("Tags IN ('green', 'yellow')"), ['r03', 'r06']);
      assert.deepEqual(ids("Tags NOT IN ('red', 'green')"), ['r04', 'r06']);
    });

    it('IS NULL counts a missing attribute and an empty list', () => {
      assert.deepEqual(ids('Tags IS NULL'), ['r04', 'r05', 'r07', 'r08', 'r09', 'r10']);
      assert.deepEqual(ids('Tags IS NOT NULL'), ['r01', 'r02', 'r03', 'r06']);
    });

    it('predefined BuildIds', () => {
      assert.deepEqual(ids("BuildIds = 'b1'"), ['r01', 'r08']);
      assert.deepEqual(ids("BuildIds = 'b2'"), ['r08']);
    });
  });

  describe('Text', () => {
    it('= is a case-insensitive match of every token of the literal', () => {
      assert.deepEqual(ids("Desc = 'hello'"), ['r01', 'r02']);
      assert.deepEqual(ids("Desc = 'WORLD hello'"), ['r01']);
      assert.deepEqual(ids("Desc = 'general'"), ['r02', 'r03']);
      assert.deepEqual(ids("Desc = 'Hello, World!'"), ['r01']);
      assert.deepEqual(ids("Desc = 'hell'"), []);
      assert.deepEqual(ids("Desc = 'fox quick'"), ['r06']);
    });

    it('!= is the negation, and IS NULL works', () => {
      assert.deepEqual(ids("Desc != 'hello'"), ['r03', 'r06']);
      assert.deepEqual(ids('Desc IS NULL'), ['r04', 'r05', 'r07', 'r08', 'r09', 'r10']);
    });
  });

  describe('Int and Double', () => {
    it('system Int columns', () => {
      assert.deepEqual(ids('HistoryLength > 10'), ['r03', 'r09']);
      assert.deepEqual(ids('HistoryLength <= 3'), ['r05', 'r08', 'r10']);
      assert.deepEqual(ids('HistoryLength BETWEEN 4 AND 7'), ['r01', 'r04', 'r06']);
      assert.deepEqual(ids('HistoryLength NOT BETWEEN 4 AND 7'), except('r01', 'r04', 'r06'));
      assert.deepEqual(ids('HistoryLength IN (1, 2, 3)'), ['r05', 'r08', 'r10']);
      assert.deepEqual(ids('HistoryLength NOT IN (1, 2, 3)'), except('r05', 'r08', 'r10'));
      assert.deepEqual(ids('HistorySizeBytes >= 9000'), ['r09', 'r10']);
      assert.deepEqual(ids('HistoryLength > -1'), ALL);
    });

    it('custom Int and Double', () => {
      assert.deepEqual(ids('CustomIntField = 5'), ['r02']);
      assert.deepEqual(ids('CustomIntField != 5'), ['r01', 'r04', 'r05']);
      assert.deepEqual(ids('CustomIntField < 0'), ['r05']);
      assert.deepEqual(ids('CustomIntField >= 5'), ['r02', 'r04']);
      assert.deepEqual(ids('CustomDoubleField > 1'), ['r01', 'r02']);
      assert.deepEqual(ids('CustomDoubleField = 2'), ['r02']);
      assert.deepEqual(ids('CustomDoubleField BETWEEN 0.2 AND 1.5'), ['r01', 'r07']);
      assert.deepEqual(ids('CustomDoubleField <= 2.5e-1'), ['r07']);
      assert.deepEqual(ids('CustomDoubleField IS NULL'), except('r01', 'r02', 'r07'));
    });
  });

  describe('Bool', () => {
    it('= and != with true / false', () => {
      assert.deepEqual(ids('CustomBoolField = true'), ['r01', 'r05']);
      assert.deepEqual(ids('CustomBoolField = FALSE'), ['r02']);
      assert.deepEqual(ids('CustomBoolField != true'), ['r02']);
      assert.deepEqual(ids('CustomBoolField IS NOT NULL'), ['r01', 'r02', 'r05']);
      assert.deepEqual(ids('TemporalSchedulePaused = true'), []);
    });
  });

  describe('Datetime', () => {
    it('RFC 3339 strings, with Z, offsets and fractional seconds', () => {
      assert.deepEqual(ids("StartTime >= '2024-01-01T07:00:00Z'"), ['r07', 'r08', 'r09']);
      assert.deepEqual(ids("StartTime = '2024-01-01T04:00:00+02:00'"), ['r02']);
      assert.deepEqual(ids("StartTime < '2024-01-01T00:00:00.000000001Z'"), ['r10']);
      assert.deepEqual(ids("StartTime > '2023-12-31T23:00:00.123456789-00:30'"), except('r10'));
      assert.deepEqual(ids("ExecutionTime > '2024-01-01T09:30:00Z'"), ['r09']);
    });

    it('epoch-nanosecond integers', () => {
      const nanos = (ms) => `${BigInt(ms) * 1_000_000n}`;
      assert.deepEqual(ids(`StartTime = ${nanos(T0 + 2 * HOUR)}`), ['r02']);
      assert.deepEqual(ids(`StartTime < ${nanos(T0 + 2 * HOUR)}`), ['r01', 'r10']);
    });

    it('BETWEEN / NOT BETWEEN', () => {
      assert.deepEqual(ids("StartTime BETWEEN '2024-01-01T02:00:00Z' AND '2024-01-01T04:00:00Z'"), ['r02', 'r03', 'r04']);
      assert.deepEqual(ids("StartTime NOT BETWEEN '2024-01-01T02:00:00Z' AND '2024-01-01T04:00:00Z'"), except('r02', 'r03', 'r04'));
    });

    it('CloseTime: NULL while running', () => {
      assert.deepEqual(ids('CloseTime IS NULL'), ['r01', 'r08']);
      assert.deepEqual(ids('CloseTime IS NOT NULL'), except('r01', 'r08'));
      assert.deepEqual(ids("CloseTime > '2024-01-01T06:00:00Z'"), ['r06', 'r07', 'r09']);
      assert.deepEqual(ids("CloseTime IN ('2024-01-01T00:00:00Z')"), ['r10']);
    });

    it('custom Datetime attributes stored from strings and Dates', () => {
      assert.deepEqual(ids("CustomDatetimeField = '2024-01-01T00:00:00Z'"), ['r01']);
      assert.deepEqual(ids("CustomDatetimeField = '2024-01-01T23:00:00.5Z'"), ['r02']);
      assert.deepEqual(ids("CustomDatetimeField > '2024-01-05T00:00:00Z'"), ['r09']);
      assert.deepEqual(ids('CustomDatetimeField IS NULL'), except('r01', 'r02', 'r09'));
    });
  });

  describe('ExecutionStatus', () => {
    it('status names and enum integers', () => {
      assert.deepEqual(ids("ExecutionStatus = 'Running'"), ['r01', 'r08']);
      assert.deepEqual(ids('ExecutionStatus = 1'), ['r01', 'r08']);
      assert.deepEqual(ids("ExecutionStatus != 'Running'"), except('r01', 'r08'));
      assert.deepEqual(ids("ExecutionStatus IN ('Failed', 'Canceled', 7)"), ['r03', 'r04', 'r07']);
      assert.deepEqual(ids("ExecutionStatus NOT IN ('Completed', 'Running')"), ['r03', 'r04', 'r05', 'r06', 'r07']);
      assert.deepEqual(ids("ExecutionStatus = 'Terminated' OR ExecutionStatus = 'ContinuedAsNew'"), ['r05', 'r06']);
      assert.deepEqual(ids("ExecutionStatus = 'TimedOut'"), ['r07']);
    });
  });

  describe('ExecutionDuration', () => {
    it('duration strings and nanoseconds, compared in milliseconds', () => {
      assert.deepEqual(ids("ExecutionDuration = '5s'"), ['r04', 'r09']);
      assert.deepEqual(ids("ExecutionDuration > '5s'"), ['r03', 'r05', 'r07', 'r10']);
      assert.deepEqual(ids("ExecutionDuration >= '1m'"), ['r05', 'r07', 'r10']);
      assert.deepEqual(ids("ExecutionDuration < '1s'"), ['r06']);
      assert.deepEqual(ids("ExecutionDuration = '500ms'"), ['r06']);
      assert.deepEqual(ids("ExecutionDuration >= '1h'"), ['r07', 'r10']);
      assert.deepEqual(ids("ExecutionDuration = '0.5s'"), ['r06']);
      assert.deepEqual(ids('ExecutionDuration = 5000000000'), ['r04', 'r09']);
      assert.deepEqual(ids("ExecutionDuration BETWEEN '3s' AND '10s'"), ['r02', 'r03', 'r04', 'r09']);
      assert.deepEqual(ids('ExecutionDuration IS NULL'), ['r01', 'r08']);
    });
  });

  describe('boolean structure', () => {
    it('AND binds tighter than OR; keywords are case-insensitive', () => {
      assert.deepEqual(ids("WorkflowId = 'order-1' OR WorkflowType = 'ChildWorkflow' AND ExecutionStatus = 'TimedOut'"), ['r01', 'r07']);
      assert.deepEqual(ids("(WorkflowId = 'order-1' or WorkflowType = 'ChildWorkflow') and ExecutionStatus = 'TimedOut'"), ['r07']);
      assert.deepEqual(ids("TaskQueue = 'batch' aNd HistoryLength not in (1) Or RunId = 'r01'"), ['r01', 'r09', 'r10']);
    });

    it('NOT as a prefix, before parentheses, and doubled', () => {
      assert.deepEqual(ids("NOT WorkflowType = 'BatchWorkflow'"), except('r08', 'r09', 'r10'));
      assert.deepEqual(ids("NOT (TaskQueue = 'orders' OR TaskQueue = 'special')"), ['r06', 'r07', 'r08', 'r09', 'r10']);
      assert.deepEqual(ids("not not (RunId = 'r03')"), ['r03']);
      assert.deepEqual(ids("NOT CustomKeywordField = 'alpha'"), ['r02', 'r03', 'r04', 'r05']);
      assert.deepEqual(ids("NOT Tags = 'red'"), ['r03', 'r04', 'r06']);
    });

    it('nested parentheses', () => {
      const query =
        "((TaskQueue = 'orders' OR (TaskQueue = 'special' AND NOT (ExecutionStatus = 'Canceled'))) AND ((HistoryLength >= 5)))";
      assert.deepEqual(ids(query), ['r01', 'r02', 'r03']);
      assert.deepEqual(ids("(((((RunId = 'r09')))))"), ['r09']);
    });

    it('back-quoted names, including one that is a keyword', () => {
      assert.deepEqual(ids("`WorkflowId` = 'order-2'"), ['r02']);
      assert.deepEqual(ids('`ExecutionStatus` = 2 AND `HistoryLength` > 10'), ['r09']);
      assert.deepEqual(ids("`Order` = 'first'"), ['r01']);
    });
  });

  describe('GROUP BY ExecutionStatus', () => {
    it('is returned for counts and leaves the filter intact', () => {
      const all = compileVisibilityQuery('GROUP BY ExecutionStatus', REGISTERED, { allowGroupBy: true });
      assert.deepEqual(all, { where: '1', params: [], groupBy: 'ExecutionStatus' });
      const compiled = compileVisibilityQuery("WorkflowType = 'BatchWorkflow' group by `ExecutionStatus`", REGISTERED, { allowGroupBy: true });
      assert.equal(compiled.groupBy, 'ExecutionStatus');
      const sql = `SELECT status, COUNT(*) AS n FROM visibility WHERE namespace = ? AND (${compiled.where}) GROUP BY status ORDER BY status`;
      assert.deepEqual(db.prepare(sql).all(NAMESPACE, ...compiled.params), [{ status: 1, n: 1 }, { status: 2, n: 2 }]);
    });

    it('is undefined without GROUP BY', () => {
      assert.equal(compileVisibilityQuery("RunId = 'r01'", REGISTERED, { allowGroupBy: true }).groupBy, undefined);
    });
  });

  describe('parameters', () => {
    it('never puts user text into the SQL', () => {
      const evil = "x' OR 1=1 --";
      const compiled = compileVisibilityQuery(`WorkflowId = "${evil}" OR Desc = "drop table"`, REGISTERED);
      assert.ok(!compiled.where.includes('OR 1=1'));
      assert.ok(!compiled.where.includes('drop'));
      assert.ok(compiled.params.includes(evil));
      assert.deepEqual(ids(`WorkflowId = "${evil}"`), []);
    });

    it('binds the JSON path of custom attributes', () => {
      const compiled = compileVisibilityQuery("CustomKeywordField = 'alpha'", REGISTERED);
      assert.deepEqual(compiled, {
        where: 'json_extract(search_attributes, ?) = ?',
        params: ['$."CustomKeywordField"', 'alpha'],
        groupBy: undefined,
      });
    });
  });
});
