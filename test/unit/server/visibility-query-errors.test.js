// Visibility query language: rejected queries and their messages.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  InvalidVisibilityQueryError,
  PREDEFINED_SEARCH_ATTRIBUTES,
  compileVisibilityQuery,
} from '../../../dist/server/visibility/index.js';

const REGISTERED = new Map([
  ...PREDEFINED_SEARCH_ATTRIBUTES,
  ['CustomKeywordField', 'Keyword'],
  ['CustomIntField', 'Int'],
  ['CustomDoubleField', 'Double'],
  ['CustomBoolField', 'Bool'],
  ['CustomDatetimeField', 'Datetime'],
  ['Tags', 'KeywordList'],
  ['Desc', 'Text'],
]);

/** Asserts that compiling fails with an InvalidVisibilityQueryError whose message matches. */
function rejects(query, expected, options) {
  assert.throws(
    () => compileVisibilityQuery(query, REGISTERED, options),
    (err) => {
      assert.ok(err instanceof InvalidVisibilityQueryError, `expected InvalidVisibilityQueryError, got ${err}`);
      assert.equal(err.name, 'InvalidVisibilityQueryError');
      assert.ok(err.message.startsWith('invalid query: '), err.message);
      if (typeof expected === 'string') assert.equal(err.message, expected);
      else assert.match(err.message, expected);
      return true;
    },
  );
}

describe('visibility query errors', () => {
  it('unknown attribute names, with Temporal’s message', () => {
    rejects("Foo = 'x'", "invalid query: column name 'Foo' is not a valid search attribute");
    rejects("workflowid = 'x'", "invalid query: column name 'workflowid' is not a valid search attribute");
    rejects("`Foo Bar` IS NULL", "invalid query: column name 'Foo Bar' is not a valid search attribute");
    rejects("WorkflowId = 'a' AND (Missing IN (1))", "invalid query: column name 'Missing' is not a valid search attribute");
  });

  it('ORDER BY and LIMIT', () => {
    rejects(
      "WorkflowId = 'a' ORDER BY StartTime DESC",
      /^invalid query: ORDER BY is not supported by this visibility store at position 18; results are always ordered by/,
    );
    rejects('ORDER BY StartTime', /^invalid query: ORDER BY is not supported by this visibility store at position 1;/);
    rejects("WorkflowId = 'a' LIMIT 10", 'invalid query: LIMIT is not supported at position 18; use the page size instead');
    rejects('GROUP BY ExecutionStatus ORDER BY ExecutionStatus', /ORDER BY is not supported .* at position 26/, { allowGroupBy: true });
  });

  it('GROUP BY: only ExecutionStatus, only when allowed', () => {
    rejects(
      "WorkflowType = 'x' GROUP BY WorkflowType",
      "invalid query: GROUP BY 'WorkflowType' is not supported at position 29; only GROUP BY ExecutionStatus is supported",
      { allowGroupBy: true },
    );
    rejects(
      'GROUP BY ExecutionStatus',
      'invalid query: GROUP BY is only supported when counting workflow executions at position 10',
    );
    rejects('GROUP BY ExecutionStatus, WorkflowType', /GROUP BY supports a single field at position 25/, { allowGroupBy: true });
    rejects('GROUP ExecutionStatus', /expected BY but found 'ExecutionStatus' at position 7/, { allowGroupBy: true });
  });

  it('operators a type does not support', () => {
    rejects(
      "HistoryLength STARTS_WITH '1'",
      /^invalid query: operator 'STARTS_WITH' is not supported for Int attribute 'HistoryLength' at position 15; allowed: =, !=, </,
    );
    rejects("Tags > 'a'", /^invalid query: operator '>' is not supported for KeywordList attribute 'Tags' at position 6; allowed: =, !=, IN, NOT IN, IS NULL, IS NOT NULL$/);
    rejects("Tags BETWEEN 'a' AND 'b'", /operator 'BETWEEN' is not supported for KeywordList attribute 'Tags'/);
    rejects("Tags STARTS_WITH 'a'", /operator 'STARTS_WITH' is not supported for KeywordList attribute 'Tags'/);
    rejects("Desc IN ('a')", /operator 'IN' is not supported for Text attribute 'Desc' at position 6; allowed: =, !=, IS NULL, IS NOT NULL$/);
    rejects("Desc < 'a'", /operator '<' is not supported for Text attribute 'Desc'/);
    rejects("Desc NOT STARTS_WITH 'a'", /operator 'NOT STARTS_WITH' is not supported for Text attribute 'Desc'/);
    rejects('CustomBoolField > true', /operator '>' is not supported for Bool attribute 'CustomBoolField'/);
    rejects('CustomBoolField BETWEEN false AND true', /operator 'BETWEEN' is not supported for Bool attribute/);
    rejects("StartTime STARTS_WITH '2024'", /operator 'STARTS_WITH' is not supported for Datetime attribute 'StartTime'/);
    rejects("CustomDoubleField NOT STARTS_WITH '1'", /operator 'NOT STARTS_WITH' is not supported for Double attribute/);
    rejects('ExecutionStatus > 1', /operator '>' is not supported for Keyword attribute 'ExecutionStatus'/);
    rejects("ExecutionStatus STARTS_WITH 'Run'", /operator 'STARTS_WITH' is not supported for Keyword attribute 'ExecutionStatus'/);
  });

  it('operators the language does not have', () => {
    rejects(
      "WorkflowId LIKE 'a%'",
      /^invalid query: unsupported operator 'LIKE' at position 12; allowed: =, !=, <>, <, >, <=, >=, IN, NOT IN, BETWEEN/,
    );
    rejects("WorkflowId REGEXP 'a'", /unsupported operator 'REGEXP' at position 12/);
    rejects("WorkflowId == 'a'", /expected a value .* but found '=' at position 13/);
    rejects("WorkflowId ! 'a'", /unexpected character '!' at position 12/);
    rejects('WorkflowId = \u{1F642}', /unexpected character '\u{1F642}' at position 14/u);
    rejects("WorkflowId NOT LIKE 'a'", /expected IN, BETWEEN or STARTS_WITH after NOT but found 'LIKE' at position 16/);
    rejects('WorkflowId IS NOTNULL', /expected NULL but found 'NOTNULL' at position 15/);
  });

  it('values that do not fit the attribute', () => {
    rejects('WorkflowId = 123', /^invalid query: invalid value 123 for Keyword attribute 'WorkflowId' at position 14; expected a quoted string$/);
    rejects("HistoryLength = '5'", /invalid value '5' for Int attribute 'HistoryLength' at position 17; expected an integer/);
    rejects('CustomIntField = 1.5', /invalid value 1.5 for Int attribute 'CustomIntField'/);
    rejects('CustomIntField = 99999999999999999999', /invalid value 99999999999999999999 for Int attribute/);
    rejects("CustomDoubleField = 'x'", /invalid value 'x' for Double attribute 'CustomDoubleField' at position 21; expected a number$/);
    rejects("CustomBoolField = 'true'", /invalid value 'true' for Bool attribute 'CustomBoolField' at position 19; expected true or false/);
    rejects("StartTime > '2024-01-01'", /invalid value '2024-01-01' for Datetime attribute 'StartTime' at position 13; expected an RFC 3339 timestamp/);
    rejects("StartTime > '2024-02-30T00:00:00Z'", /invalid value '2024-02-30T00:00:00Z' for Datetime attribute/);
    rejects('StartTime > 1.5', /invalid value 1.5 for Datetime attribute/);
    rejects("ExecutionStatus = 'running'", /invalid value 'running' for Keyword attribute 'ExecutionStatus' at position 19; expected one of 'Running', 'Completed'/);
    rejects('ExecutionStatus = 9', /invalid value 9 for Keyword attribute 'ExecutionStatus'/);
    rejects("ExecutionDuration > 'soon'", /invalid value 'soon' for Int attribute 'ExecutionDuration' at position 21; expected a duration such as '5s'/);
    rejects("ExecutionDuration > '-5s'", /invalid value '-5s' for Int attribute 'ExecutionDuration'/);
    rejects("Desc = '!!!'", /Text value for 'Desc' must contain at least one word at position 8/);
    rejects("WorkflowId IN ('a', 2)", /invalid value 2 for Keyword attribute 'WorkflowId' at position 21/);
    rejects('WorkflowId = NULL', /NULL is not a value at position 14; use IS NULL or IS NOT NULL/);
  });

  it('syntax errors: unterminated strings and names, trailing garbage, unbalanced parentheses', () => {
    rejects("WorkflowId = 'abc", 'invalid query: unterminated string starting with \' at position 14');
    rejects('WorkflowId = "abc\\"', /unterminated string starting with " at position 14/);
    rejects("`WorkflowId = 'a'", /unterminated back-quoted name at position 1/);
    rejects("WorkflowId = 'a' garbage", "invalid query: unexpected 'garbage' at position 18");
    rejects("WorkflowId = 'a' 'b'", "invalid query: unexpected 'b' at position 18");
    rejects("WorkflowId = 'a')", "invalid query: unexpected ')' at position 17");
    rejects("(WorkflowId = 'a'", /expected '\)' but found end of query at position 18/);
    rejects('()', /expected a search attribute name but found '\)' at position 2/);
    rejects("WorkflowId = 'a' AND", /expected a search attribute name but found end of query at position 21/);
    rejects('NOT', /expected a search attribute name but found end of query/);
    rejects('WorkflowId', /expected an operator after 'WorkflowId' but found end of query at position 11/);
    rejects("WorkflowId IN 'a'", /expected '\(' after IN but found 'a'/);
    rejects("WorkflowId IN ('a' 'b')", /expected ',' or '\)' but found 'b'/);
    rejects("WorkflowId BETWEEN 'a' OR 'b'", /expected AND but found 'OR'/);
    rejects("'a' = WorkflowId", /expected a search attribute name but found 'a' at position 1/);
    rejects("WorkflowId = 'a' AND AND RunId = 'b'", /expected a search attribute name but found 'AND' at position 22/);
    rejects('HistoryLength > 5x', /malformed number '5x' at position 17/);
    rejects("WorkflowId = 'a' ; DROP TABLE visibility", /unexpected character ';' at position 18/);
    rejects('SELECT run_id FROM visibility', /expected a search attribute name but found 'SELECT' at position 1/);
  });

  it('refuses absurdly deep nesting instead of overflowing the stack', () => {
    rejects(`${'('.repeat(1000)}RunId = 'a'${')'.repeat(1000)}`, /nested more than 200 levels deep/);
    rejects(`${'NOT '.repeat(1000)}RunId = 'a'`, /nested more than 200 levels deep/);
  });

  it('exposes the position of the offending token', () => {
    try {
      compileVisibilityQuery("RunId = 'a' OR HistoryLength STARTS_WITH 'x'", REGISTERED);
      assert.fail('expected an error');
    } catch (err) {
      assert.equal(err.position, 30);
    }
  });
});
