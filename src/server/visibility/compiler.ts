/**
 * Compiles a parsed visibility query to a SQLite boolean expression over the `visibility` table,
 * with every value bound as a parameter.
 *
 * NULL semantics are SQL's: a predicate on a missing value (a custom attribute a row does not have,
 * `CloseTime` of a running workflow) is NULL, so neither `X = v`, `X != v` nor `NOT (X = v)` selects
 * that row; only `IS NULL` does. KeywordList and Text predicates follow the same rule.
 *
 * @module
 */
import type { Expr, Literal, OperatorName, OperatorRef, Predicate } from './ast.js';
import { InvalidVisibilityQueryError } from './errors.js';
import { TEXT_SEPARATOR_CODES, textTokens, toSqlValue } from './query-values.js';
import {
  resolveAttribute,
  type ResolvedAttribute,
  type SearchAttributeType,
  type ValueKind,
} from './search-attributes.js';

/** A SQL boolean expression and its positional parameters, in order. */
export interface SqlFragment {
  readonly sql: string;
  readonly params: (string | number)[];
}

const ORDERING: readonly OperatorName[] = ['=', '!=', '<', '>', '<=', '>=', 'IN', 'NOT IN', 'BETWEEN', 'NOT BETWEEN'];
const NULL_CHECKS: readonly OperatorName[] = ['IS NULL', 'IS NOT NULL'];
const EQUALITY: readonly OperatorName[] = ['=', '!=', ...NULL_CHECKS];
const MEMBERSHIP: readonly OperatorName[] = ['=', '!=', 'IN', 'NOT IN', ...NULL_CHECKS];

/** Operators each kind of attribute accepts. */
const ALLOWED_OPERATORS: Readonly<Record<ValueKind, readonly OperatorName[]>> = {
  Keyword: [...ORDERING, 'STARTS_WITH', 'NOT STARTS_WITH', ...NULL_CHECKS],
  KeywordList: MEMBERSHIP,
  Text: EQUALITY,
  Bool: EQUALITY,
  Int: [...ORDERING, ...NULL_CHECKS],
  Double: [...ORDERING, ...NULL_CHECKS],
  Datetime: [...ORDERING, ...NULL_CHECKS],
  ExecutionDuration: [...ORDERING, ...NULL_CHECKS],
  ExecutionStatus: MEMBERSHIP,
};

/** Normalizes a Text value in SQL: lower-case, every separator replaced by a space. */
function normalizeTextSql(value: string): string {
  let sql = `lower(${value})`;
  for (const code of TEXT_SEPARATOR_CODES) if (code !== 32) sql = `replace(${sql}, char(${code}), ' ')`;
  return sql;
}

/** Escapes `\`, `%` and `_` so a value matches literally in `LIKE ... ESCAPE '\'`. */
function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * Compiles a filter expression (undefined means "everything") to SQL.
 *
 * @param registered - the namespace's custom and predefined attributes; system fields are implicit.
 * @throws InvalidVisibilityQueryError for unknown attributes, operators a type does not support, and
 *   values that do not fit their attribute.
 */
export function compileFilter(expr: Expr | undefined, registered: ReadonlyMap<string, SearchAttributeType>): SqlFragment {
  if (expr === undefined) return { sql: '1', params: [] };
  const compiler = new SqlCompiler(registered);
  return { sql: compiler.expr(expr), params: compiler.params };
}

class SqlCompiler {
  readonly params: (string | number)[] = [];

  constructor(private readonly registered: ReadonlyMap<string, SearchAttributeType>) {}

  expr(e: Expr): string {
    switch (e.kind) {
      case 'and':
        return `(${this.expr(e.left)} AND ${this.expr(e.right)})`;
      case 'or':
        return `(${this.expr(e.left)} OR ${this.expr(e.right)})`;
      case 'not':
        return `NOT (${this.expr(e.operand)})`;
      default:
        return this.predicate(e);
    }
  }

  private predicate(p: Predicate): string {
    const attr = resolveAttribute(p.attr.name, this.registered);
    if (attr === undefined) throw new InvalidVisibilityQueryError(`column name '${p.attr.name}' is not a valid search attribute`);
    if (attr.name.includes('"')) throw new InvalidVisibilityQueryError(`search attribute '${attr.name}' cannot be queried`, p.attr.position);
    checkOperator(attr, p.op);
    if (p.kind === 'isNull') return this.isNull(attr, p.op.name === 'IS NOT NULL');
    if (attr.type === 'KeywordList') return this.keywordList(attr, p);
    if (attr.type === 'Text') return this.text(attr, p);
    return this.scalar(attr, p);
  }

  /** Binds a value and returns its placeholder. */
  private bind(value: string | number): string {
    this.params.push(value);
    return '?';
  }

  /** The SQL that reads the attribute (binding its JSON path when it lives in the JSON column). */
  private target(attr: ResolvedAttribute): string {
    if (attr.storage === 'column') return attr.column;
    return `json_extract(search_attributes, ${this.jsonPath(attr)})`;
  }

  private jsonPath(attr: ResolvedAttribute): string {
    return this.bind(`$."${attr.name}"`);
  }

  private isNull(attr: ResolvedAttribute, negated: boolean): string {
    if (attr.type === 'KeywordList') {
      // An empty list counts as no value.
      return `IFNULL(${this.target(attr)}, '[]') ${negated ? '!=' : '='} '[]'`;
    }
    return `${this.target(attr)} IS ${negated ? 'NOT ' : ''}NULL`;
  }

  private scalar(attr: ResolvedAttribute, p: Exclude<Predicate, { kind: 'isNull' }>): string {
    switch (p.kind) {
      case 'compare': {
        const value = toSqlValue(attr, p.value);
        return `${this.target(attr)} ${p.op.name} ${this.bind(value)}`;
      }
      case 'in': {
        const values = p.values.map((literal) => toSqlValue(attr, literal));
        return `${this.target(attr)} ${p.op.name} (${values.map((v) => this.bind(v)).join(', ')})`;
      }
      case 'between': {
        const low = toSqlValue(attr, p.low);
        const high = toSqlValue(attr, p.high);
        return `${this.target(attr)} ${p.op.name} ${this.bind(low)} AND ${this.bind(high)}`;
      }
      case 'startsWith': {
        const prefix = String(toSqlValue(attr, p.value));
        // LIKE alone is case-insensitive for ASCII in SQLite; instr() makes the prefix test exact.
        const sql = `(${this.target(attr)} LIKE ${this.bind(`${escapeLike(prefix)}%`)} ESCAPE '\\' AND instr(${this.target(attr)}, ${this.bind(prefix)}) = 1)`;
        return p.op.name === 'NOT STARTS_WITH' ? `NOT ${sql}` : sql;
      }
    }
  }

  /** KeywordList: `=` / `IN` mean "the list contains (any of) the value(s)". */
  private keywordList(attr: ResolvedAttribute, p: Predicate): string {
    const literals: readonly Literal[] = p.kind === 'in' ? p.values : p.kind === 'compare' ? [p.value] : [];
    const values = literals.map((literal) => toSqlValue(attr, literal));
    const contains =
      `(CASE WHEN json_type(search_attributes, ${this.jsonPath(attr)}) IS NULL THEN NULL ` +
      `ELSE EXISTS (SELECT 1 FROM json_each(search_attributes, ${this.jsonPath(attr)}) ` +
      `WHERE json_each.value IN (${values.map((v) => this.bind(v)).join(', ')})) END)`;
    return p.op.name === '!=' || p.op.name === 'NOT IN' ? `NOT ${contains}` : contains;
  }

  /** Text: `=` means every token of the literal is a token of the value (case-insensitive). */
  private text(attr: ResolvedAttribute, p: Predicate): string {
    if (p.kind !== 'compare') throw new Error(`unexpected ${p.kind} predicate on Text attribute`);
    const tokens = textTokens(String(toSqlValue(attr, p.value)));
    if (tokens.length === 0) {
      throw new InvalidVisibilityQueryError(`Text value for '${attr.name}' must contain at least one word`, p.value.position);
    }
    const checks = tokens.map((token) => `instr(t, ${this.bind(` ${token} `)}) > 0`).join(' AND ');
    const sql = `(SELECT ${checks} FROM (SELECT ' ' || ${normalizeTextSql(this.target(attr))} || ' ' AS t))`;
    return p.op.name === '!=' ? `NOT ${sql}` : sql;
  }
}

/** Throws unless the attribute's kind accepts the operator. */
function checkOperator(attr: ResolvedAttribute, op: OperatorRef): void {
  const allowed = ALLOWED_OPERATORS[attr.kind];
  if (allowed.includes(op.name)) return;
  throw new InvalidVisibilityQueryError(
    `operator '${op.text}' is not supported for ${attr.type} attribute '${attr.name}'`,
    op.position,
    `allowed: ${allowed.join(', ')}`,
  );
}
