// Syntax errors: a typed FilterPatternSyntaxError with the 1-based line/column and what was expected there.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseFilterPattern, FilterPatternSyntaxError } from '../../src/detections/filter-pattern/index.js';
import { isEvidencePackError } from '../../src/errors.js';
import { tableTest } from './table.js';

interface Case {
  name: string;
  pattern: string;
  line?: number;
  column: number;
  /** Substring of the message naming what was expected. */
  expected: string;
  unsupported?: boolean;
}

const cases: Case[] = [
  { name: 'missing value', pattern: '{ $.eventName = }', column: 17, expected: "a value after '='" },
  { name: 'double equals', pattern: '{ $.eventName == ConsoleLogin }', column: 16, expected: "single '='" },
  { name: 'missing closing brace', pattern: '{ $.eventName = ConsoleLogin', column: 29, expected: "closing '}'" },
  { name: 'missing closing parenthesis', pattern: '{ ($.eventName = ConsoleLogin }', column: 31, expected: "')'" },
  { name: 'selector without $', pattern: '{ eventName = ConsoleLogin }', column: 3, expected: "starting with '$'" },
  { name: 'empty braces', pattern: '{ }', column: 3, expected: 'a condition' },
  { name: 'dangling &&', pattern: '{ $.a = 1 && }', column: 14, expected: "starting with '$'" },
  { name: 'single & instead of &&', pattern: '{ $.a = 1 & $.b = 2 }', column: 11, expected: "'&&', '||' or '}'" },
  { name: 'NOT without EXISTS', pattern: '{ $.userIdentity.invokedBy NOT EXIST }', column: 32, expected: "EXISTS after 'NOT'" },
  { name: 'IS NOT is not CloudWatch syntax', pattern: '{ $.a IS NOT NULL }', column: 10, expected: "NULL, TRUE or FALSE after 'IS'" },
  { name: 'EXISTS is not CloudWatch syntax', pattern: '{ $.a EXISTS }', column: 7, expected: 'a comparison operator' },
  { name: 'lower-case keyword', pattern: '{ $.a is null }', column: 7, expected: 'a comparison operator' },
  { name: 'relational operator with a string', pattern: '{ $.latency > "5" }', column: 15, expected: "a number after '>'" },
  { name: 'relational operator with a word', pattern: '{ $.latency <= high }', column: 16, expected: "a number after '<='" },
  { name: 'selector without a property', pattern: '{ $ = 1 }', column: 4, expected: "'.' and a property name after '$'" },
  { name: 'dot without a name', pattern: '{ $. = 1 }', column: 5, expected: "a property name" },
  { name: 'array index on the root', pattern: '{ $[0] = 1 }', column: 4, expected: "array elements must follow a property" },
  { name: 'bad array index', pattern: '{ $.a[x] = 1 }', column: 7, expected: "an array index, '*' or a quoted key" },
  { name: 'unclosed array index', pattern: '{ $.a[0 = 1 }', column: 8, expected: "']' after the array index" },
  { name: 'unterminated string', pattern: '{ $.a = "abc }', column: 9, expected: 'closing \'"\'' },
  { name: 'unterminated regex', pattern: '{ $.a = %abc }', column: 9, expected: "closing '%'" },
  { name: 'regex with a group', pattern: '{ $.a = %ab(c)% }', column: 12, expected: "without '(' or ')'" },
  { name: 'regex with an unsupported symbol', pattern: '{ $.a = %ab!% }', column: 12, expected: 'only letters, digits' },
  { name: 'regex that does not compile', pattern: '{ $.a = %[a-% }', column: 9, expected: 'invalid regular expression' },
  { name: 'third regex exceeds the quota', pattern: '{ $.a = %x% || $.b = %y% || $.c = %z% }', column: 35, expected: 'at most 2 regular expressions' },
  { name: 'two wildcards in one selector', pattern: '{ $.a.*.b[*] = 1 }', column: 3, expected: 'at most one wildcard' },
  { name: 'fourth wildcard selector exceeds the quota', pattern: '{ $.a[*] = 1 || $.b[*] = 1 || $.c[*] = 1 || $.d[*] = 1 }', column: 45, expected: 'at most 3 wildcard selectors' },
  { name: 'text after the closing brace', pattern: '{ $.a = 1 } extra', column: 13, expected: "the end of the pattern after '}'" },
  { name: 'error on the second line', pattern: '{\n  $.a = 1 &&\n  $.b ~ 2\n}', line: 3, column: 7, expected: 'a comparison operator' },
  { name: 'unterminated phrase', pattern: 'ERROR "Failed to', column: 7, expected: 'closing \'"\' of the phrase' },
  { name: 'space-delimited pattern', pattern: '[ip, user, status_code = 4*]', column: 1, expected: 'space-delimited', unsupported: true },
];

tableTest('syntax error', cases, (c) => {
  assert.throws(
    () => parseFilterPattern(c.pattern),
    (e: unknown) => {
      assert.ok(e instanceof FilterPatternSyntaxError, `expected FilterPatternSyntaxError, got ${String(e)}`);
      assert.equal(e.column, c.column, `column (message: ${e.message})`);
      assert.equal(e.line, c.line ?? 1, 'line');
      assert.ok(e.message.includes(c.expected), `message "${e.message}" should name "${c.expected}"`);
      assert.equal(e.unsupported, c.unsupported ?? false);
      return true;
    },
  );
});

test('syntax errors are user errors of the one error module, with a hint and no stack-trace-only message', () => {
  try {
    parseFilterPattern('{ $.a = }');
    assert.fail('should throw');
  } catch (e) {
    assert.ok(isEvidencePackError(e));
    assert.equal(e.code, 'INPUT_INVALID');
    assert.match(e.hint ?? '', /Filter pattern syntax/);
    assert.match(e.message, /^filter pattern: expected a value after '=' at column 9, found '}'$/);
  }
});

tableTest(
  'parses',
  [
    { name: 'precedence: && binds tighter than ||', pattern: '{ $.a = 1 || $.b = 2 && $.c = 3 }', shape: 'or(a, and(b, c))' },
    { name: 'left-associative ||', pattern: '{ $.a = 1 || $.b = 2 || $.c = 3 }', shape: 'or(or(a, b), c)' },
    { name: 'parentheses group', pattern: '{ ($.a = 1 || $.b = 2) && $.c = 3 }', shape: 'and(or(a, b), c)' },
  ],
  (c) => {
    const p = parseFilterPattern(c.pattern);
    assert.equal(p.kind, 'json');
    type E = import('../../src/detections/filter-pattern/index.js').JsonExpr;
    const shape = (e: E): string => (e.type === 'condition' ? (e.selector.steps[0] as { name: string }).name : `${e.type}(${shape(e.left)}, ${shape(e.right)})`);
    assert.equal(shape((p as { expr: E }).expr), c.shape);
  },
);

test('values keep their kind: quoted digits are a string, bare digits a number, * alone is any value', () => {
  const p = parseFilterPattern('{ $.a = "400" && $.b = 400 && $.c = * && $.d = "*x*" }');
  const values: unknown[] = [];
  const walk = (e: import('../../src/detections/filter-pattern/index.js').JsonExpr): void => {
    if (e.type === 'condition') values.push('value' in e.test ? e.test.value.kind : e.test.op);
    else (walk(e.left), walk(e.right));
  };
  assert.equal(p.kind, 'json');
  if (p.kind === 'json') walk(p.expr);
  assert.deepEqual(values, ['string', 'number', 'any', 'string']);
});
