/**
 * Tokenizer of the visibility query language: identifiers (bare or back-quoted), quoted strings,
 * numbers, comparison operators, parentheses and commas.
 *
 * @module
 */
import { InvalidVisibilityQueryError } from './errors.js';

/** The kinds of token the parser consumes. */
export type TokenKind = 'ident' | 'quotedIdent' | 'string' | 'number' | 'op' | 'lparen' | 'rparen' | 'comma' | 'eof';

/** One token with its 1-based position in the query string. */
export interface Token {
  readonly kind: TokenKind;
  /** Identifier name, decoded string value, number text or operator text. */
  readonly text: string;
  /** 1-based character offset of the token's first character. */
  readonly position: number;
}

const OPERATORS = ['<=', '>=', '<>', '!=', '=', '<', '>'] as const;
const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  '0': '\0',
  b: '\b',
  n: '\n',
  r: '\r',
  t: '\t',
  Z: '\x1a',
};

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';
const isIdentStart = (c: string | undefined): boolean => c !== undefined && /[A-Za-z_]/.test(c);
const isIdentPart = (c: string | undefined): boolean => c !== undefined && /[A-Za-z0-9_]/.test(c);

/**
 * Splits a query into tokens; the last token is always `eof`.
 *
 * @throws InvalidVisibilityQueryError on an unterminated string or name, or an unexpected character.
 */
export function tokenize(query: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < query.length) {
    const c = query[i];
    if (c === undefined) break;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const [token, next] = readToken(query, i);
    tokens.push(token);
    i = next;
  }
  tokens.push({ kind: 'eof', text: '', position: query.length + 1 });
  return tokens;
}

/** Reads the token starting at index `start`; returns it and the index just after it. */
function readToken(query: string, start: number): [Token, number] {
  const c = query[start];
  const position = start + 1;
  if (c === '(') return [{ kind: 'lparen', text: c, position }, start + 1];
  if (c === ')') return [{ kind: 'rparen', text: c, position }, start + 1];
  if (c === ',') return [{ kind: 'comma', text: c, position }, start + 1];
  if (c === "'" || c === '"') return readString(query, start, c);
  if (c === '`') return readQuotedIdent(query, start);
  if (isIdentStart(c)) {
    let end = start + 1;
    while (isIdentPart(query[end])) end++;
    return [{ kind: 'ident', text: query.slice(start, end), position }, end];
  }
  const number = /^-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/.exec(query.slice(start));
  if (number !== null && (isDigit(c) || c === '.' || c === '-')) {
    const end = start + number[0].length;
    if (isIdentPart(query[end])) {
      throw new InvalidVisibilityQueryError(`malformed number '${number[0]}${query[end] ?? ''}'`, position);
    }
    return [{ kind: 'number', text: number[0], position }, end];
  }
  const op = OPERATORS.find((candidate) => query.startsWith(candidate, start));
  if (op !== undefined) return [{ kind: 'op', text: op, position }, start + op.length];
  const character = String.fromCodePoint(query.codePointAt(start) ?? 0xfffd);
  throw new InvalidVisibilityQueryError(`unexpected character '${character}'`, position);
}

/**
 * Reads a single- or double-quoted string. The quote is written inside by doubling it (`'it''s'`)
 * or with a backslash; `\n`, `\t`, `\r`, `\0`, `\b`, `\Z` are control characters and any other
 * backslashed character stands for itself (so `\%` is `%` and `\\` is `\`).
 */
function readString(query: string, start: number, quote: string): [Token, number] {
  let value = '';
  let i = start + 1;
  while (i < query.length) {
    const c = query[i] as string;
    if (c === '\\' && i + 1 < query.length) {
      const escaped = query[i + 1] as string;
      value += SIMPLE_ESCAPES[escaped] ?? escaped;
      i += 2;
    } else if (c === quote && query[i + 1] === quote) {
      value += quote;
      i += 2;
    } else if (c === quote) {
      return [{ kind: 'string', text: value, position: start + 1 }, i + 1];
    } else {
      value += c;
      i++;
    }
  }
  throw new InvalidVisibilityQueryError(`unterminated string starting with ${quote}`, start + 1);
}

/** Reads a back-quoted name; a back-quote is written inside by doubling it. */
function readQuotedIdent(query: string, start: number): [Token, number] {
  let name = '';
  let i = start + 1;
  while (i < query.length) {
    const c = query[i] as string;
    if (c === '`' && query[i + 1] === '`') {
      name += '`';
      i += 2;
    } else if (c === '`') {
      if (name === '') throw new InvalidVisibilityQueryError('empty back-quoted name', start + 1);
      return [{ kind: 'quotedIdent', text: name, position: start + 1 }, i + 1];
    } else {
      name += c;
      i++;
    }
  }
  throw new InvalidVisibilityQueryError('unterminated back-quoted name', start + 1);
}
