// Parser for CloudWatch Logs filter patterns: JSON `{ … }` expressions, term lists and standalone `%regex%`.
//
// Grammar (CloudWatch Logs user guide, "Filter pattern syntax"), with the documented precedence () > && > ||:
//   json      := '{' or '}'
//   or        := and ('||' and)*
//   and       := primary ('&&' primary)*
//   primary   := '(' or ')' | condition
//   condition := selector ( op value | 'IS' ('NULL' | 'TRUE' | 'FALSE') | 'NOT' 'EXISTS' )
//   selector  := '$' ( '.' name | '.*' | '.[' quoted ']' | '[' int ']' | '[*]' | '[' quoted ']' )+   (first step a '.')
//   value     := "quoted" | %regex% | number | bare-word   ('*' at the start / end of a string is a wildcard)

import type { Condition, FilterPattern, JsonExpr, Selector, Step, Term, Test, Value, ComparisonOperator } from './ast.js';
import { FilterPatternSyntaxError } from './errors.js';

/** CloudWatch Logs quotas that make PutMetricFilter reject a pattern. */
export const MAX_REGEX_PER_PATTERN = 2;
export const MAX_WILDCARD_SELECTORS_PER_PATTERN = 3;

const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const NAME_CHAR = /[A-Za-z0-9_-]/;
const WS = /\s/;
/** Characters a `%regex%` may contain: alphanumerics, the documented symbols and operators, and spaces. */
const REGEX_ALLOWED = /[A-Za-z0-9:_#=@/;,\- ^$?[\]{}|\\*+.]/;

/** Parses a filter pattern; throws FilterPatternSyntaxError (1-based line/column) for what CloudWatch would reject. */
export function parseFilterPattern(text: string): FilterPattern {
  let start = 0;
  while (start < text.length && WS.test(text[start])) start++;
  if (start === text.length) return { kind: 'all', text };
  const first = text[start];
  if (first === '{') return { kind: 'json', text, expr: new JsonParser(text, start).parse() };
  if (first === '[') {
    throw new FilterPatternSyntaxError(text, start, 'a JSON pattern in { } or search terms', "'['", {
      unsupported: true,
      message: `filter pattern: space-delimited patterns ([…]) are not evaluated by this engine (column ${start + 1}); CloudTrail events are JSON, use a { … } pattern`,
    });
  }
  return parseTerms(text, start);
}

class JsonParser {
  private pos: number;
  private regexCount = 0;
  private wildcardSelectors = 0;

  constructor(
    private readonly text: string,
    start: number,
  ) {
    this.pos = start;
  }

  parse(): JsonExpr {
    this.pos++; // '{'
    this.skipWs();
    if (this.peek() === '}') this.fail('a condition such as $.eventName = ConsoleLogin');
    const expr = this.parseOr();
    this.skipWs();
    if (this.peek() !== '}') this.fail(this.pos >= this.text.length ? "'&&', '||' or the closing '}'" : "'&&', '||' or '}'");
    this.pos++;
    this.skipWs();
    if (this.pos < this.text.length) this.fail("the end of the pattern after '}'");
    return expr;
  }

  private parseOr(): JsonExpr {
    let left = this.parseAnd();
    for (;;) {
      this.skipWs();
      if (!this.text.startsWith('||', this.pos)) return left;
      this.pos += 2;
      left = { type: 'or', left, right: this.parseAnd() };
    }
  }

  private parseAnd(): JsonExpr {
    let left = this.parsePrimary();
    for (;;) {
      this.skipWs();
      if (!this.text.startsWith('&&', this.pos)) return left;
      this.pos += 2;
      left = { type: 'and', left, right: this.parsePrimary() };
    }
  }

  private parsePrimary(): JsonExpr {
    this.skipWs();
    const c = this.peek();
    if (c === '(') {
      this.pos++;
      const inner = this.parseOr();
      this.skipWs();
      if (this.peek() !== ')') this.fail("')', '&&' or '||'");
      this.pos++;
      return inner;
    }
    if (c === '$') return this.parseCondition();
    this.fail("a property selector starting with '$' or '('");
  }

  private parseCondition(): Condition {
    const offset = this.pos;
    const selector = this.parseSelector();
    this.skipWs();
    const test = this.parseTest();
    return { type: 'condition', selector, test, offset };
  }

  private parseTest(): Test {
    for (const op of ['!=', '<=', '>=', '=', '<', '>'] as const) {
      if (this.text.startsWith(op, this.pos)) {
        this.pos += op.length;
        if (op === '=' && this.peek() === '=') this.fail("a value after '=' (CloudWatch Logs uses a single '=')", "'=='");
        this.skipWs();
        return { op, value: this.parseValue(op) };
      }
    }
    const word = this.word();
    if (word === 'IS') {
      this.pos += 2;
      this.skipWs();
      const what = this.word();
      if (what === 'NULL' || what === 'TRUE' || what === 'FALSE') {
        this.pos += what.length;
        return { op: what === 'NULL' ? 'isNull' : what === 'TRUE' ? 'isTrue' : 'isFalse' };
      }
      this.fail("NULL, TRUE or FALSE after 'IS' (CloudWatch Logs has no 'IS NOT')");
    }
    if (word === 'NOT') {
      this.pos += 3;
      this.skipWs();
      if (this.word() === 'EXISTS') {
        this.pos += 6;
        return { op: 'notExists' };
      }
      this.fail("EXISTS after 'NOT'");
    }
    this.fail('a comparison operator (=, !=, <, >, <=, >=), IS NULL, IS TRUE, IS FALSE or NOT EXISTS');
  }

  private parseSelector(): Selector {
    const start = this.pos;
    this.pos++; // '$'
    const steps: Step[] = [];
    let wildcards = 0;
    for (;;) {
      const c = this.peek();
      if (c === '.') {
        this.pos++;
        const n = this.peek();
        if (n === '*') {
          this.pos++;
          steps.push({ kind: 'anyChild' });
          wildcards++;
        } else if (n === '[') {
          this.pos++;
          steps.push({ kind: 'key', name: this.parseBracketKey() });
        } else if (n !== undefined && NAME_CHAR.test(n)) {
          const from = this.pos;
          while (this.pos < this.text.length && NAME_CHAR.test(this.text[this.pos])) this.pos++;
          steps.push({ kind: 'key', name: this.text.slice(from, this.pos) });
        } else {
          this.fail("a property name (letters, digits, '-', '_'), '*' or ['key'] after '.'");
        }
      } else if (c === '[') {
        if (steps.length === 0) this.fail("'.' after '$' (array elements must follow a property)");
        this.pos++;
        const n = this.peek();
        if (n === '*') {
          this.pos++;
          this.expectChar(']', "']' after '[*'");
          steps.push({ kind: 'anyIndex' });
          wildcards++;
        } else if (n !== undefined && /[0-9]/.test(n)) {
          const from = this.pos;
          while (/[0-9]/.test(this.peek() ?? '')) this.pos++;
          const index = Number(this.text.slice(from, this.pos));
          this.expectChar(']', "']' after the array index");
          steps.push({ kind: 'index', index });
        } else if (n === "'" || n === '"') {
          steps.push({ kind: 'key', name: this.parseBracketKey() });
        } else {
          this.fail("an array index, '*' or a quoted key after '['");
        }
      } else {
        break;
      }
    }
    if (steps.length === 0) this.fail("'.' and a property name after '$'");
    if (wildcards > 1) this.failAt(start, 'at most one wildcard (*) in a property selector (CloudWatch Logs quota)');
    if (wildcards > 0 && ++this.wildcardSelectors > MAX_WILDCARD_SELECTORS_PER_PATTERN) {
      this.failAt(start, `at most ${MAX_WILDCARD_SELECTORS_PER_PATTERN} wildcard selectors in a pattern (CloudWatch Logs quota)`);
    }
    return { text: this.text.slice(start, this.pos), steps };
  }

  /** After '[': a quoted key and the closing ']'. */
  private parseBracketKey(): string {
    const quote = this.peek();
    if (quote !== "'" && quote !== '"') this.fail("a quoted key such as ['cluster.name'] after '['");
    const from = this.pos;
    this.pos++;
    const end = this.text.indexOf(quote, this.pos);
    if (end < 0) this.failAt(from, `the closing ${quote} of the bracketed key`);
    const name = this.text.slice(this.pos, end);
    this.pos = end + 1;
    this.expectChar(']', "']' after the bracketed key");
    return name;
  }

  private parseValue(op: ComparisonOperator): Value {
    const start = this.pos;
    const c = this.peek();
    const relational = op !== '=' && op !== '!=';
    if (c === '"') {
      const text = this.readQuoted();
      if (relational) this.failAt(start, `a number after '${op}'`, 'a quoted string');
      return stringValue(text, true);
    }
    if (c === '%') {
      const value = this.readRegex();
      if (relational) this.failAt(start, `a number after '${op}'`, 'a regular expression');
      return value;
    }
    while (this.pos < this.text.length && !/[\s(){}"&|]/.test(this.text[this.pos])) this.pos++;
    const raw = this.text.slice(start, this.pos);
    if (raw === '') this.fail(`a value after '${op}'`);
    if (NUMBER.test(raw)) return { kind: 'number', text: raw, value: Number(raw) };
    if (relational) this.failAt(start, `a number after '${op}'`, `'${raw}'`);
    return stringValue(raw, false);
  }

  private readQuoted(): string {
    const start = this.pos;
    this.pos++;
    let out = '';
    while (this.pos < this.text.length) {
      const c = this.text[this.pos];
      if (c === '"') {
        this.pos++;
        return out;
      }
      if (c === '\\' && (this.text[this.pos + 1] === '"' || this.text[this.pos + 1] === '\\')) {
        out += this.text[this.pos + 1];
        this.pos += 2;
        continue;
      }
      out += c;
      this.pos++;
    }
    this.failAt(start, 'the closing \'"\' of the string that starts here');
  }

  private readRegex(): Value {
    const start = this.pos;
    this.pos++;
    const from = this.pos;
    while (this.pos < this.text.length && this.text[this.pos] !== '%') {
      const c = this.text[this.pos];
      if (c === '(' || c === ')') this.fail("a regular expression without '(' or ')' (CloudWatch Logs does not support groups; use \\x28 / \\x29)");
      if (!REGEX_ALLOWED.test(c)) this.fail('only letters, digits, the symbols : _ # = @ / ; , - and the operators ^ $ ? [ ] { } | \\ * + . in a regular expression', `'${c}'`);
      this.pos++;
    }
    if (this.pos >= this.text.length) this.failAt(start, "the closing '%' of the regular expression that starts here");
    const source = this.text.slice(from, this.pos);
    this.pos++;
    if (source === '') this.failAt(start, "a regular expression between '%' and '%'");
    if (++this.regexCount > MAX_REGEX_PER_PATTERN) this.failAt(start, `at most ${MAX_REGEX_PER_PATTERN} regular expressions in a pattern (CloudWatch Logs quota)`);
    return { kind: 'regex', source, regex: compileRegex(this.text, start, source) };
  }

  private word(): string {
    const m = /^[A-Za-z]+/.exec(this.text.slice(this.pos, this.pos + 16));
    return m ? m[0] : '';
  }

  private expectChar(c: string, expected: string): void {
    if (this.peek() !== c) this.fail(expected);
    this.pos++;
  }

  private peek(): string | undefined {
    return this.text[this.pos];
  }

  private skipWs(): void {
    while (this.pos < this.text.length && WS.test(this.text[this.pos])) this.pos++;
  }

  private fail(expected: string, found?: string): never {
    this.failAt(this.pos, expected, found);
  }

  private failAt(offset: number, expected: string, found?: string): never {
    throw new FilterPatternSyntaxError(this.text, offset, expected, found ?? describeAt(this.text, offset));
  }
}

function stringValue(text: string, quoted: boolean): Value {
  if (text === '*') return { kind: 'any' };
  const leadingWildcard = text.startsWith('*');
  const trailingWildcard = text.length > 1 && text.endsWith('*');
  const core = text.slice(leadingWildcard ? 1 : 0, trailingWildcard ? -1 : undefined);
  return { kind: 'string', text, quoted, leadingWildcard, trailingWildcard, core };
}

function compileRegex(text: string, offset: number, source: string): RegExp {
  try {
    return new RegExp(source);
  } catch (e) {
    throw new FilterPatternSyntaxError(text, offset, 'a valid regular expression', undefined, {
      message: `filter pattern: invalid regular expression %${source}% at column ${offset + 1}: ${(e as Error).message}`,
    });
  }
}

function describeAt(text: string, offset: number): string {
  if (offset >= text.length) return 'the end of the pattern';
  const m = /^\S{1,20}/.exec(text.slice(offset));
  return m ? `'${m[0]}'` : 'whitespace';
}

/** Unstructured patterns: terms that must all appear, `?optional` terms (any), `-excluded` terms, or one `%regex%`. */
function parseTerms(text: string, start: number): FilterPattern {
  const trimmed = text.trim();
  if (trimmed.length >= 2 && trimmed.startsWith('%') && trimmed.endsWith('%') && !/\s%|%\s/.test(trimmed.slice(1, -1))) {
    const source = trimmed.slice(1, -1);
    for (let i = 0; i < source.length; i++) {
      const c = source[i];
      if (c === '(' || c === ')' || !REGEX_ALLOWED.test(c)) {
        throw new FilterPatternSyntaxError(text, start + 1 + i, 'only the documented regular-expression characters (no groups)', `'${c}'`);
      }
    }
    return { kind: 'regex', text, regex: compileRegex(text, start, source) };
  }
  const terms: Term[] = [];
  let pos = start;
  while (pos < text.length) {
    if (WS.test(text[pos])) {
      pos++;
      continue;
    }
    let mode: Term['mode'] = 'required';
    if (text[pos] === '?' || text[pos] === '-') {
      mode = text[pos] === '?' ? 'optional' : 'excluded';
      pos++;
    }
    if (text[pos] === '"') {
      const open = pos;
      const close = text.indexOf('"', pos + 1);
      if (close < 0) throw new FilterPatternSyntaxError(text, open, 'the closing \'"\' of the phrase that starts here');
      terms.push({ text: text.slice(open + 1, close), mode });
      pos = close + 1;
      continue;
    }
    const from = pos;
    while (pos < text.length && !WS.test(text[pos]) && text[pos] !== '"') pos++;
    if (pos === from) throw new FilterPatternSyntaxError(text, pos, `a term after '${mode === 'optional' ? '?' : '-'}'`);
    terms.push({ text: text.slice(from, pos), mode });
  }
  if (terms.length === 1 && terms[0].mode === 'required' && terms[0].text.trim() === '') return { kind: 'all', text };
  return { kind: 'terms', text, terms };
}
