import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rewriteUserValues } from '../../src/domain/jql/canonical.js';
import { JqlError } from '../../src/domain/jql/errors.js';
import { JqlBudgetError } from '../../src/domain/jql/budget.js';
import { parseJql } from '../../src/domain/jql/parser.js';
import { printJql, printWord } from '../../src/domain/jql/print.js';
import type { CustomFieldInfo } from '../../src/domain/jql/semantics.js';

const customFields: CustomFieldInfo[] = [
  { id: '10010', name: 'Affected user', type: 'user' },
  { id: '10011', name: 'Approver', type: 'multiuser' },
];

/** The tree without text offsets: what printing must preserve. */
function shape(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(shape);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).filter(([k]) => k !== 'offset').map(([k, v]) => [k, shape(v)]));
  }
  return value;
}

function roundTrips(jql: string): void {
  let ast: ReturnType<typeof parseJql>;
  try {
    ast = parseJql(jql);
  } catch (err) {
    // a random query may name more people or words than a query may (budget.ts): not a printing case
    fc.pre(!(err instanceof JqlBudgetError));
    throw err;
  }
  const printed = printJql(ast);
  expect(shape(parseJql(printed)), `${jql}  →  ${printed}`).toEqual(shape(ast));
  // printing is a fixed point after one round
  expect(printJql(parseJql(printed))).toBe(printed);
}

// Words and strings that stress the printer: keywords, escapes, quotes, spaces, non-ASCII.
const tricky = fc.constantFrom(
  'a', 'HELP-1', 'alice@customer.test', '-1d', 'x*', 'and', 'OR', 'not', 'In', 'is', 'empty', 'NULL', 'order', 'by', 'asc', 'desc',
  'cf', 'b c', 'it"s', "it's", 'back\\slash', 'tab\there', 'new\nline', 'ümlaut', 'a\u00a0b', '(x)', 'a,b', '=', '!', '#', 'x&y', '',
);
const wordText = fc.oneof(tricky, fc.string({ minLength: 1, maxLength: 6 }), fc.stringMatching(/^[a-z]{1,6}$/));
/** A bare word as it may be written: letters, or escapes producing any text. */
const bareWord = (text: string) => (text === '' ? 'x' : printWord(text));
const quoted = (text: string) => `"${text.replace(/[\\"]/g, (c) => '\\' + c)}"`;
const single = (text: string) => `'${text.replace(/[\\']/g, (c) => '\\' + c)}'`;
const written = wordText.chain((t) => fc.constantFrom(bareWord(t), quoted(t), single(t)));

const field = fc.oneof(
  fc.constantFrom('reporter', 'participant', '"Affected user"', 'cf[10011]', 'cf[0010010]', 'status', 'project', 'key', 'CF'),
  written,
);
const item = fc.oneof(
  written,
  fc.constantFrom('currentUser()', 'now()', 'startOfDay(-1)', 'endOfDay("x y")', 'f(a, "b", \'c\')'),
);
const operand = fc.oneof(item, fc.array(item, { minLength: 1, maxLength: 3 }).map((xs) => `(${xs.join(', ')})`), fc.constantFrom('EMPTY', 'null'));
const terminal = fc
  .tuple(field, fc.constantFrom('=', '!=', '~', '!~', '>', '>=', '<', '<=', 'in', 'NOT IN', 'is', 'IS NOT'), operand, fc.boolean())
  .map(([f, op, v, tight]) => (op.toLowerCase().startsWith('is') ? `${f} ${op} EMPTY` : tight && /^[=!~<>]/.test(op) ? `${f}${op}${v}` : `${f} ${op} ${v}`));
const clause: fc.Arbitrary<string> = fc.letrec<{ c: string }>((tie) => ({
  c: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    terminal,
    fc.tuple(tie('c'), fc.constantFrom('AND', 'OR', '&&', '||', 'and', '|'), tie('c')).map(([a, op, b]) => `${a} ${op} ${b}`),
    fc.tuple(tie('c'), fc.constantFrom('AND', 'OR'), tie('c')).map(([a, op, b]) => `(${a} ${op} ${b})`),
    tie('c').map((c) => `NOT ${c}`),
    tie('c').map((c) => `!(${c})`),
  ),
})).c;
const orderBy = fc
  .array(fc.tuple(field, fc.constantFrom('', ' ASC', ' desc')), { minLength: 1, maxLength: 3 })
  .map((items) => ` ORDER BY ${items.map(([f, d]) => f + d).join(', ')}`);
const query = fc.tuple(fc.option(clause), fc.option(orderBy)).map(([c, o]) => `${c ?? ''}${o ?? ''}`);

describe('printJql', () => {
  it('prints what the parser reads back as the same tree, for random valid queries', () => {
    fc.assert(fc.property(query, roundTrips), { numRuns: 2000 });
  });

  it('prints the same tree back for whatever random token sequences parse', () => {
    const token = fc.constantFrom(
      'project', 'status', 'reporter', 'participant', '"Request participants"', 'cf[10010]', 'cf', '[', ']', '=', '!=', '~', '!~',
      '>', '>=', '<', '<=', '!', 'in', 'not', 'is', 'empty', 'null', 'and', 'or', '&&', '||', '(', ')', ',', 'order', 'by', 'asc',
      'desc', 'currentUser()', 'foo(', 'HELP-1', '-1d', '"4w 2d"', 'alice@customer.test', '\'a\\\'b\'', '\\u0041', '\\u0020x', 'x',
    );
    let parsed = 0;
    fc.assert(
      fc.property(fc.array(token, { maxLength: 14 }), (tokens) => {
        const jql = tokens.join(' ');
        try {
          parseJql(jql);
        } catch (e) {
          if (e instanceof JqlError) return;
          throw e;
        }
        parsed++;
        roundTrips(jql);
      }),
      { numRuns: 5000 },
    );
    expect(parsed).toBeGreaterThan(20);
  });

  it('keeps the query as written where it can', () => {
    expect(printJql(parseJql('reporter = "Alice Example" AND status in (Open, "In progress") ORDER BY created DESC'))).toBe(
      'reporter = "Alice Example" AND status IN (Open, "In progress") ORDER BY created DESC',
    );
    expect(printJql(parseJql('(a = 1 OR b = 2) AND NOT (c = 3 AND d = 4) OR e ~ x'))).toBe('(a = 1 OR b = 2) AND NOT (c = 3 AND d = 4) OR e ~ x');
    expect(printJql(parseJql('a = 1 AND (b = 2 AND c = 3)'))).toBe('a = 1 AND (b = 2 AND c = 3)');
    expect(printJql(parseJql('"and" = \\u0061nd'))).toBe('"and" = \\u0061nd');
    expect(printJql(parseJql('ORDER BY key'))).toBe('ORDER BY key');
    expect(printJql(parseJql(''))).toBe('');
  });
});

describe('rewriteUserValues', () => {
  const ids: Record<string, string[]> = {
    'alice example': ['qm:a1', 'qm:a2'],
    'alice@customer.test': ['qm:a1'],
    'qm:a1': ['qm:a1'],
  };
  const resolve = (text: string) => ids[text.trim().toLowerCase()] ?? [];
  const rewrite = (jql: string) => printJql(rewriteUserValues(parseJql(jql), customFields, resolve));

  it('writes user values of user clauses as the account ids they name', () => {
    expect(rewrite('reporter = "alice@customer.test"')).toBe('reporter = "qm:a1"');
    expect(rewrite('reporter = "Alice Example"')).toBe('reporter IN ("qm:a1", "qm:a2")');
    expect(rewrite('participant != "Alice Example"')).toBe('participant NOT IN ("qm:a1", "qm:a2")');
    expect(rewrite('"Affected user" in (alice@customer.test, currentUser(), "Alice Example")')).toBe(
      '"Affected user" IN ("qm:a1", currentUser(), "qm:a2")',
    );
    expect(rewrite('cf[10011] not in ("ALICE@customer.test")')).toBe('cf[10011] NOT IN ("qm:a1")');
  });

  it('leaves account ids, unknown values, currentUser(), other fields and other operators as written', () => {
    expect(rewrite('reporter = qm:a1')).toBe('reporter = qm:a1');
    expect(rewrite('reporter = nobody')).toBe('reporter = nobody');
    expect(rewrite('reporter = currentUser()')).toBe('reporter = currentUser()');
    expect(rewrite('reporter is EMPTY')).toBe('reporter IS EMPTY');
    expect(rewrite('summary ~ "Alice Example"')).toBe('summary ~ "Alice Example"');
    expect(rewrite('project = "alice@customer.test" OR NOT participant = alice@customer.test ORDER BY reporter')).toBe(
      'project = "alice@customer.test" OR NOT participant = "qm:a1" ORDER BY reporter',
    );
  });
});
