/**
 * The visibility (List/Count workflow executions) query language of the dev server, compiled to
 * SQLite.
 *
 * The language is the SQL-like subset Temporal's SQL visibility stores accept: `AND`, `OR`, `NOT`,
 * parentheses; `=`, `!=`, `<>`, `<`, `>`, `<=`, `>=`, `[NOT] IN (...)`, `[NOT] BETWEEN x AND y`,
 * `[NOT] STARTS_WITH 'prefix'`, `IS [NOT] NULL`; and, for counts only, a trailing
 * `GROUP BY ExecutionStatus`. `ORDER BY` and `LIMIT` are rejected.
 *
 * @example
 * ```ts
 * const { where, params } = compileVisibilityQuery("WorkflowType = 'order' AND ExecutionStatus = 'Running'", registered);
 * db.prepare(`SELECT run_id FROM visibility WHERE namespace = ? AND (${where})`).all(namespace, ...params);
 * ```
 *
 * @module
 */
import { compileFilter } from './compiler.js';
import { InvalidVisibilityQueryError } from './errors.js';
import { parseVisibilityQuery } from './parser.js';
import type { SearchAttributeType } from './search-attributes.js';

export { InvalidSearchAttributeValueError, InvalidVisibilityQueryError } from './errors.js';
export { EXECUTION_STATUS_VALUES, executionStatusName } from './query-values.js';
export { PREDEFINED_SEARCH_ATTRIBUTES, SYSTEM_SEARCH_ATTRIBUTES, type SearchAttributeType } from './search-attributes.js';
export { toStoredSearchAttributeValue, type StoredSearchAttributeValue } from './stored-value.js';

/** A visibility query compiled to SQL. */
export interface CompiledVisibilityQuery {
  /** SQL boolean expression over the `visibility` table (alias-free column names), '1' when the query is empty. */
  readonly where: string;
  /** Positional (`?`) parameters of `where`, in order. */
  readonly params: (string | number)[];
  /** Set when the query ends with `GROUP BY ExecutionStatus` (only allowed for count). */
  readonly groupBy: 'ExecutionStatus' | undefined;
}

/** Options of {@link compileVisibilityQuery}. */
export interface CompileVisibilityQueryOptions {
  /**
   * Accept a trailing `GROUP BY ExecutionStatus` (CountWorkflowExecutions).
   * @default false
   */
  readonly allowGroupBy?: boolean;
}

/**
 * Parses a List/Count visibility query and compiles it to a SQLite `WHERE` expression.
 *
 * The result's `where` uses only the `visibility` table's column names (no alias) and `?`
 * placeholders; wrap it in parentheses when combining it with other conditions. Rows with no value
 * for an attribute never match a comparison on it (SQL NULL semantics), only `IS NULL`.
 *
 * @param query - the query; empty or whitespace-only means every execution.
 * @param searchAttributes - the namespace's custom and predefined attributes (name → type). System
 *   fields are always known; predefined attributes are known even if missing here.
 * @param options - see {@link CompileVisibilityQueryOptions}.
 * @throws InvalidVisibilityQueryError (message starting with `invalid query: `) on a syntax error, an
 *   unknown attribute, an operator or value its type does not support, `ORDER BY`, `LIMIT`, or a
 *   `GROUP BY` that is not allowed.
 */
export function compileVisibilityQuery(
  query: string,
  searchAttributes: ReadonlyMap<string, SearchAttributeType>,
  options: CompileVisibilityQueryOptions = {},
): CompiledVisibilityQuery {
  const parsed = parseVisibilityQuery(query);
  let groupBy: 'ExecutionStatus' | undefined;
  if (parsed.groupBy !== undefined) {
    if (options.allowGroupBy !== true) {
      throw new InvalidVisibilityQueryError('GROUP BY is only supported when counting workflow executions', parsed.groupBy.position);
    }
    if (parsed.groupBy.name !== 'ExecutionStatus') {
      throw new InvalidVisibilityQueryError(
        `GROUP BY '${parsed.groupBy.name}' is not supported`,
        parsed.groupBy.position,
        'only GROUP BY ExecutionStatus is supported',
      );
    }
    groupBy = 'ExecutionStatus';
  }
  const { sql, params } = compileFilter(parsed.where, searchAttributes);
  return { where: sql, params, groupBy };
}
