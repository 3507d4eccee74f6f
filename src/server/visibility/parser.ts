/**
 * Recursive-descent parser of the visibility query language.
 *
 * ```text
 * query     := [or] [GROUP BY name] EOF            (ORDER BY and LIMIT are recognised and rejected)
 * or        := and (OR and)*
 * and       := unary (AND unary)*
 * unary     := NOT unary | '(' or ')' | predicate
 * predicate := name ( cmpop value | [NOT] IN '(' value (',' value)* ')'
 *                   | [NOT] BETWEEN value AND value | [NOT] STARTS_WITH value | IS [NOT] NULL )
 * value     := string | number | TRUE | FALSE
 * ```
 *
 * @module
 */
import type {
  ComparisonOperator,
  Expr,
  Literal,
  NameRef,
  OperatorName,
  OperatorRef,
  ParsedQuery,
  Predicate,
} from './ast.js';
import { InvalidVisibilityQueryError } from './errors.js';
import { tokenize, type Token } from './tokenizer.js';

/** Words that cannot be used as bare attribute names (back-quote them instead). */
const RESERVED = new Set([
  'AND', 'OR', 'NOT', 'IN', 'BETWEEN', 'STARTS_WITH', 'IS', 'NULL', 'TRUE', 'FALSE',
  'ORDER', 'GROUP', 'BY', 'LIMIT', 'LIKE', 'SELECT', 'WHERE', 'FROM',
]);
const CLAUSES = new Set(['ORDER', 'GROUP', 'LIMIT']);
const MAX_DEPTH = 200;
const ORDER_HINT = 'results are always ordered by CloseTime descending (running executions first), then StartTime descending, then RunId';

/**
 * Parses a visibility query into a syntax tree.
 *
 * @throws InvalidVisibilityQueryError on any syntax error, or on ORDER BY / LIMIT.
 */
export function parseVisibilityQuery(query: string): ParsedQuery {
  return new Parser(tokenize(query)).parseQuery();
}

/** Describes a token for an error message. */
function describe(token: Token): string {
  if (token.kind === 'eof') return 'end of query';
  if (token.kind === 'string') return `'${token.text}'`;
  if (token.kind === 'quotedIdent') return `\`${token.text}\``;
  return `'${token.text}'`;
}

class Parser {
  private index = 0;
  private depth = 0;

  constructor(private readonly tokens: readonly Token[]) {}

  parseQuery(): ParsedQuery {
    const where = this.atClauseOrEnd() ? undefined : this.parseOr();
    let groupBy: NameRef | undefined;
    while (this.peek().kind !== 'eof') {
      const token = this.peek();
      const word = this.keywordOf(token);
      if (word === 'ORDER') {
        throw new InvalidVisibilityQueryError('ORDER BY is not supported by this visibility store', token.position, ORDER_HINT);
      }
      if (word === 'LIMIT') throw new InvalidVisibilityQueryError('LIMIT is not supported', token.position, 'use the page size instead');
      if (word !== 'GROUP') throw new InvalidVisibilityQueryError(`unexpected ${describe(token)}`, token.position);
      if (groupBy !== undefined) throw new InvalidVisibilityQueryError('GROUP BY may appear only once', token.position);
      groupBy = this.parseGroupBy();
    }
    return { where, groupBy };
  }

  private parseGroupBy(): NameRef {
    this.next();
    this.expectKeyword('BY');
    const name = this.parseName();
    if (this.peek().kind === 'comma') {
      throw new InvalidVisibilityQueryError('GROUP BY supports a single field', this.peek().position, 'only GROUP BY ExecutionStatus is supported');
    }
    return name;
  }

  private parseOr(): Expr {
    let left = this.parseAnd();
    while (this.acceptKeyword('OR')) left = { kind: 'or', left, right: this.parseAnd() };
    return left;
  }

  private parseAnd(): Expr {
    let left = this.parseUnary();
    while (this.acceptKeyword('AND')) left = { kind: 'and', left, right: this.parseUnary() };
    return left;
  }

  private parseUnary(): Expr {
    if (++this.depth > MAX_DEPTH) {
      throw new InvalidVisibilityQueryError(`expression nested more than ${MAX_DEPTH} levels deep`, this.peek().position);
    }
    try {
      if (this.acceptKeyword('NOT')) return { kind: 'not', operand: this.parseUnary() };
      if (this.peek().kind === 'lparen') {
        this.next();
        const inner = this.parseOr();
        this.expect('rparen', "')'");
        return inner;
      }
      return this.parsePredicate();
    } finally {
      this.depth--;
    }
  }

  private parsePredicate(): Predicate {
    const attr = this.parseName();
    const token = this.peek();
    if (token.kind === 'op') {
      this.next();
      const name: ComparisonOperator = token.text === '<>' ? '!=' : (token.text as ComparisonOperator);
      return { kind: 'compare', attr, op: { name, text: token.text, position: token.position }, value: this.parseValue() };
    }
    const word = this.keywordOf(token);
    if (word === 'NOT') {
      this.next();
      const negated = this.keywordOf(this.peek());
      if (negated !== 'IN' && negated !== 'BETWEEN' && negated !== 'STARTS_WITH') {
        throw new InvalidVisibilityQueryError(`expected IN, BETWEEN or STARTS_WITH after NOT but found ${describe(this.peek())}`, this.peek().position);
      }
      return this.parseKeywordPredicate(attr, negated, token, true);
    }
    if (word === 'IN' || word === 'BETWEEN' || word === 'STARTS_WITH' || word === 'IS') {
      return this.parseKeywordPredicate(attr, word, token, false);
    }
    if (token.kind === 'ident') {
      throw new InvalidVisibilityQueryError(
        `unsupported operator '${token.text}'`,
        token.position,
        'allowed: =, !=, <>, <, >, <=, >=, IN, NOT IN, BETWEEN, NOT BETWEEN, STARTS_WITH, NOT STARTS_WITH, IS NULL, IS NOT NULL',
      );
    }
    throw new InvalidVisibilityQueryError(`expected an operator after '${attr.name}' but found ${describe(token)}`, token.position);
  }

  /** Parses the rest of an IN / BETWEEN / STARTS_WITH / IS predicate; `start` is its first word. */
  private parseKeywordPredicate(attr: NameRef, word: string, start: Token, negated: boolean): Predicate {
    this.next();
    const prefix = negated ? 'NOT ' : '';
    const op = (name: string): OperatorRef => ({ name: name as OperatorName, text: name, position: start.position });
    if (word === 'IN') return { kind: 'in', attr, op: op(`${prefix}IN`), values: this.parseValueList() };
    if (word === 'STARTS_WITH') return { kind: 'startsWith', attr, op: op(`${prefix}STARTS_WITH`), value: this.parseValue() };
    if (word === 'BETWEEN') {
      const low = this.parseValue();
      this.expectKeyword('AND');
      return { kind: 'between', attr, op: op(`${prefix}BETWEEN`), low, high: this.parseValue() };
    }
    const isNot = this.acceptKeyword('NOT');
    this.expectKeyword('NULL');
    return { kind: 'isNull', attr, op: op(isNot ? 'IS NOT NULL' : 'IS NULL') };
  }

  private parseValueList(): Literal[] {
    this.expect('lparen', "'(' after IN");
    const values = [this.parseValue()];
    while (this.peek().kind === 'comma') {
      this.next();
      values.push(this.parseValue());
    }
    this.expect('rparen', "',' or ')'");
    return values;
  }

  private parseValue(): Literal {
    const token = this.next();
    if (token.kind === 'string') return { kind: 'string', value: token.text, position: token.position };
    if (token.kind === 'number') return { kind: 'number', text: token.text, position: token.position };
    const word = this.keywordOf(token);
    if (word === 'TRUE' || word === 'FALSE') return { kind: 'bool', value: word === 'TRUE', position: token.position };
    if (word === 'NULL') throw new InvalidVisibilityQueryError('NULL is not a value', token.position, 'use IS NULL or IS NOT NULL');
    throw new InvalidVisibilityQueryError(`expected a value (quoted string, number, true or false) but found ${describe(token)}`, token.position);
  }

  private parseName(): NameRef {
    const token = this.next();
    if (token.kind === 'quotedIdent') return { name: token.text, position: token.position };
    if (token.kind === 'ident' && !RESERVED.has(token.text.toUpperCase())) return { name: token.text, position: token.position };
    throw new InvalidVisibilityQueryError(`expected a search attribute name but found ${describe(token)}`, token.position);
  }

  /** The upper-cased word of a bare identifier token, or undefined for any other token. */
  private keywordOf(token: Token): string | undefined {
    return token.kind === 'ident' ? token.text.toUpperCase() : undefined;
  }

  private atClauseOrEnd(): boolean {
    const token = this.peek();
    return token.kind === 'eof' || CLAUSES.has(this.keywordOf(token) ?? '');
  }

  private acceptKeyword(word: string): boolean {
    if (this.keywordOf(this.peek()) !== word) return false;
    this.next();
    return true;
  }

  private expectKeyword(word: string): void {
    if (!this.acceptKeyword(word)) {
      throw new InvalidVisibilityQueryError(`expected ${word} but found ${describe(this.peek())}`, this.peek().position);
    }
  }

  private expect(kind: Token['kind'], what: string): void {
    const token = this.peek();
    if (token.kind !== kind) throw new InvalidVisibilityQueryError(`expected ${what} but found ${describe(token)}`, token.position);
    this.next();
  }

  private peek(): Token {
    return this.tokens[this.index] ?? (this.tokens[this.tokens.length - 1] as Token);
  }

  private next(): Token {
    const token = this.peek();
    if (token.kind !== 'eof') this.index++;
    return token;
  }
}
