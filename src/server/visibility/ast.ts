/**
 * Syntax tree of a parsed visibility query. Positions are 1-based offsets into the query string.
 *
 * @module
 */

/** A literal value as written in the query. */
export type Literal =
  | { readonly kind: 'string'; readonly value: string; readonly position: number }
  /** `text` keeps the digits as written so epoch-nanosecond integers lose no precision. */
  | { readonly kind: 'number'; readonly text: string; readonly position: number }
  | { readonly kind: 'bool'; readonly value: boolean; readonly position: number };

/** A search attribute name as written (back-quotes removed). */
export interface NameRef {
  readonly name: string;
  readonly position: number;
}

/** Comparison operators, with `<>` normalized to `!=`. */
export type ComparisonOperator = '=' | '!=' | '<' | '>' | '<=' | '>=';

/** Every operator name the language knows, as used in per-type allow lists and messages. */
export type OperatorName =
  | ComparisonOperator
  | 'IN'
  | 'NOT IN'
  | 'BETWEEN'
  | 'NOT BETWEEN'
  | 'STARTS_WITH'
  | 'NOT STARTS_WITH'
  | 'IS NULL'
  | 'IS NOT NULL';

/** Where an operator was written, for error messages. */
export interface OperatorRef {
  readonly name: OperatorName;
  /** The operator as written (e.g. `<>`, `not in`). */
  readonly text: string;
  readonly position: number;
}

/** A predicate on one search attribute. */
export type Predicate =
  | { readonly kind: 'compare'; readonly attr: NameRef; readonly op: OperatorRef; readonly value: Literal }
  | { readonly kind: 'in'; readonly attr: NameRef; readonly op: OperatorRef; readonly values: readonly Literal[] }
  | { readonly kind: 'between'; readonly attr: NameRef; readonly op: OperatorRef; readonly low: Literal; readonly high: Literal }
  | { readonly kind: 'startsWith'; readonly attr: NameRef; readonly op: OperatorRef; readonly value: Literal }
  | { readonly kind: 'isNull'; readonly attr: NameRef; readonly op: OperatorRef };

/** A boolean expression. */
export type Expr =
  | Predicate
  | { readonly kind: 'and' | 'or'; readonly left: Expr; readonly right: Expr }
  | { readonly kind: 'not'; readonly operand: Expr };

/** A whole query: an optional filter and an optional `GROUP BY` field. */
export interface ParsedQuery {
  readonly where: Expr | undefined;
  readonly groupBy: NameRef | undefined;
}

