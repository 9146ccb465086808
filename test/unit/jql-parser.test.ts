import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JqlError } from '../../src/domain/jql/errors.js';
import { parseJql } from '../../src/domain/jql/parser.js';
import { bindQuery, type CustomFieldInfo } from '../../src/domain/jql/semantics.js';
import { requiredWords, TEXT_WORD_MAX, textPatterns, textSearch, WORD_CHARS } from '../../src/domain/jql/text-search.js';
import { STORED_WORD_MAX, TEXT_WORD_CLASS } from '../../src/db/migrations/20261202T1600_text_words.js';

const customFields: CustomFieldInfo[] = [
  { id: '10010', name: 'Affected user', type: 'user' },
  { id: '10011', name: 'Approver', type: 'multiuser' },
];
const now = new Date('2026-03-10T12:34:56.789Z');

// The words a request stores (migration 20261202T1600_text_words) as that migration splits them:
// lower-cased, split at every run of non-word characters, cut to STORED_WORD_MAX characters.
const storedWords = (lower: string) => new Set(lower.split(new RegExp(`[^${WORD_CHARS}]+`, 'u')).filter(Boolean).map((w) => [...w].slice(0, STORED_WORD_MAX).join('')));
const holdsRequiredWords = (lower: string, required: Array<{ word: string; prefix: boolean }>) => {
  const words = storedWords(lower);
  return required.every((r) => (r.prefix ? [...words].some((w) => w.startsWith(r.word)) : words.has(r.word)));
};

function errorOf(fn: () => unknown): JqlError {
  try {
    fn();
  } catch (e) {
    if (e instanceof JqlError) return e;
    throw e;
  }
  throw new Error('expected a JqlError');
}
const parseError = (jql: string) => errorOf(() => parseJql(jql)).message;
const bindError = (jql: string) => errorOf(() => bindQuery(parseJql(jql), { customFields, now })).message;
const bind = (jql: string) => bindQuery(parseJql(jql), { customFields, now });

describe('JQL parser: valid queries', () => {
  it('parses an empty query and a bare ORDER BY', () => {
    expect(parseJql('')).toEqual({ where: null, orderBy: [] });
    expect(parseJql('   ')).toEqual({ where: null, orderBy: [] });
    expect(parseJql('order by created DESC, key')).toMatchObject({
      where: null,
      orderBy: [
        { field: { kind: 'name', name: 'created' }, direction: 'desc' },
        { field: { kind: 'name', name: 'key' }, direction: null },
      ],
    });
  });

  it('gives AND precedence over OR, and honours parentheses and NOT / !', () => {
    expect(parseJql('a = 1 OR b = 2 AND c = 3').where).toMatchObject({
      kind: 'or',
      clauses: [{ kind: 'terminal' }, { kind: 'and', clauses: [{ kind: 'terminal' }, { kind: 'terminal' }] }],
    });
    expect(parseJql('(a = 1 or b = 2) and not c = 3').where).toMatchObject({
      kind: 'and',
      clauses: [{ kind: 'or' }, { kind: 'not', clause: { kind: 'terminal' } }],
    });
    expect(parseJql('!(a = 1) && b = 2 || c = 3').where).toMatchObject({ kind: 'or', clauses: [{ kind: 'and' }, {}] });
  });

  it('reads every operator', () => {
    const ops = ['=', '!=', '~', '!~', '>', '>=', '<', '<='];
    for (const op of ops) expect(parseJql(`summary ${op} x`).where).toMatchObject({ operator: op });
    expect(parseJql('reporter in (a, "b c", currentUser())').where).toMatchObject({
      operator: 'in',
      operand: {
        kind: 'list',
        items: [
          { kind: 'value', text: 'a', quoted: false },
          { kind: 'value', text: 'b c', quoted: true },
          { kind: 'function', name: 'currentUser', args: [] },
        ],
      },
    });
    expect(parseJql('reporter NOT IN (a)').where).toMatchObject({ operator: 'not in' });
    expect(parseJql('participant is EMPTY').where).toMatchObject({ operator: 'is', operand: { kind: 'empty' } });
    expect(parseJql('participant IS NOT null').where).toMatchObject({ operator: 'is not', operand: { kind: 'empty' } });
  });

  it('reads field names: quoted custom fields, cf[id], aliases', () => {
    expect(parseJql('"Affected user" = bob').where).toMatchObject({ field: { kind: 'name', name: 'Affected user', quoted: true } });
    expect(parseJql('cf[10010] = bob').where).toMatchObject({ field: { kind: 'customFieldId', id: '10010' } });
    expect(parseJql("'Request participants' = bob").where).toMatchObject({ field: { name: 'Request participants' } });
  });

  it('reads values: emails, keys, periods, escapes, both quote styles', () => {
    const value = (jql: string) => (parseJql(jql).where as { operand: { text: string } }).operand.text;
    expect(value('reporter = alice@customer.test')).toBe('alice@customer.test');
    expect(value('key = HELP-12')).toBe('HELP-12');
    expect(value('created > -2w')).toBe('-2w');
    expect(value('summary ~ "say \\"hi\\" \\\\ there"')).toBe('say "hi" \\ there');
    expect(value("summary ~ 'it\\'s'")).toBe("it's");
    expect(value('summary ~ "caf\\u00e9"')).toBe('café');
  });
});

describe('JQL parser: errors say where and why', () => {
  it.each([
    ['reporter foo', "Error in the JQL Query: Expecting operator but got 'foo'. The valid operators are '=', '!=', '<', '>', '<=', '>=', '~', '!~', 'IN', 'NOT IN', 'IS' and 'IS NOT'. (line 1, character 10)"],
    ['reporter', "Error in the JQL Query: Expecting operator before the end of the query. The valid operators are '=', '!=', '<', '>', '<=', '>=', '~', '!~', 'IN', 'NOT IN', 'IS' and 'IS NOT'."],
    ['reporter = ', 'Error in the JQL Query: Expecting either a value, list or function before the end of the query.'],
    ['reporter = )', "Error in the JQL Query: Expecting either a value, list or function but got ')'. You must surround ')' in quotation marks to use it as a value. (line 1, character 12)"],
    ['summary ~ "abc', "Error in the JQL Query: The quoted string 'abc' has not been completed. (line 1, character 11)"],
    ['status = Open foo = bar', "Error in the JQL Query: Expecting either 'OR' or 'AND' but got 'foo'. (line 1, character 15)"],
    ['(status = Open', "Error in the JQL Query: Expecting ')' before the end of the query."],
    ['status = Open and', 'Error in the JQL Query: Expecting a field name before the end of the query.'],
    ['status = and', "Error in the JQL Query: 'and' is a reserved JQL word. You must surround it in quotation marks to use it in a query. (line 1, character 10)"],
    ['summary ~ a#b', "Error in the JQL Query: The character '#' is a reserved JQL character. You must enclose it in a string or use the escape '\\u0023' instead. (line 1, character 12)"],
    ['summary ~ "a\\qb"', "Error in the JQL Query: The escape sequence '\\q' in the string 'a\\q' is illegal. (line 1, character 13)"],
    ['participant is bob', "Error in the JQL Query: Expecting 'EMPTY' or 'NULL' but got 'bob'. (line 1, character 16)"],
    ['reporter in (a,)', "Error in the JQL Query: Expecting either a value or function but got ')'. You must surround ')' in quotation marks to use it as a value. (line 1, character 16)"],
    ['order created', "Error in the JQL Query: Expecting 'BY' but got 'created'. (line 1, character 7)"],
    ['order by created foo', "Error in the JQL Query: Expecting either 'ASC', 'DESC' or ',' but got 'foo'. (line 1, character 18)"],
    ['cf[abc] = x', "Error in the JQL Query: Expecting a custom field id but got 'abc'. (line 1, character 4)"],
    ['status = Open\nand foo', "Error in the JQL Query: Expecting operator before the end of the query. The valid operators are '=', '!=', '<', '>', '<=', '>=', '~', '!~', 'IN', 'NOT IN', 'IS' and 'IS NOT'."],
    ['status = Open\n  and foo bar', "Error in the JQL Query: Expecting operator but got 'bar'. The valid operators are '=', '!=', '<', '>', '<=', '>=', '~', '!~', 'IN', 'NOT IN', 'IS' and 'IS NOT'. (line 2, character 11)"],
    ['order by a, b, c, d, e, f, g, h', 'Error in the JQL Query: The ORDER BY clause may contain at most 7 fields. (line 1, character 31)'],
  ])('%s', (jql, message) => {
    expect(parseError(jql)).toBe(message);
  });

  it('D2: refuses nesting deeper than 20 levels instead of overflowing the stack', () => {
    expect(parseError('('.repeat(5000) + 'a = b' + ')'.repeat(5000))).toMatch(/nested too deeply \(at most 20 levels\)/);
    expect(parseError('not '.repeat(3000) + 'a = b')).toMatch(/nested too deeply/);
    expect(parseError('('.repeat(21) + 'a = b' + ')'.repeat(21))).toMatch(/nested too deeply \(at most 20 levels\)/);
    expect(() => parseJql('('.repeat(20) + 'a = b' + ')'.repeat(20))).not.toThrow();
    expect(() => parseJql('not '.repeat(20) + 'a = b')).not.toThrow();
  });

  it('refuses overlong queries', () => {
    expect(parseError('summary ~ ' + 'x'.repeat(30_000))).toMatch(/too long/);
  });
});

describe('JQL semantics: fields, operators, values', () => {
  it.each([
    ['foo = bar', "Field 'foo' does not exist or you do not have permission to view it."],
    ['"No such field" = bar', "Field 'No such field' does not exist or you do not have permission to view it."],
    ['cf[99999] = bar', "Field 'cf[99999]' does not exist or you do not have permission to view it."],
    ['reporter ~ bob', "The operator '~' is not supported by the 'reporter' field."],
    ['summary = printer', "The operator '=' is not supported by the 'summary' field."],
    ['text !~ printer', "The operator '!~' is not supported by the 'text' field."],
    ['status = Pending', "The value 'Pending' does not exist for the field 'status'."],
    ['status in Open', "The operator 'IN' needs a list of values for the field 'status', e.g. status in (a, b)."],
    ['status = (Open, Closed)', "The operator '=' does not support multiple values for the field 'status'. Use 'in' instead."],
    ['key = banana', "The issue key 'banana' for field 'key' is invalid."],
    ['created > yesterday', "Date value 'yesterday' for field 'created' is invalid. Valid formats include: 'yyyy/MM/dd HH:mm', 'yyyy-MM-dd HH:mm', 'yyyy/MM/dd', 'yyyy-MM-dd', or a period format e.g. '-5d', '4w 2d'."],
    ['created > "2024-02-30"', "Date value '2024-02-30' for field 'created' is invalid. Valid formats include: 'yyyy/MM/dd HH:mm', 'yyyy-MM-dd HH:mm', 'yyyy/MM/dd', 'yyyy-MM-dd', or a period format e.g. '-5d', '4w 2d'."],
    ['reporter = foo()', "Unable to find JQL function 'foo()'."],
    ['created > currentUser()', "A value provided by the function 'currentUser' is invalid for the field 'created'."],
    ['reporter = now()', "A value provided by the function 'now' is invalid for the field 'reporter'."],
    ['reporter = currentUser(x)', "Function 'currentUser' expected at most '0' arguments but received '1'."],
    ['summary ~ "*print"', "The text query '*print' for field 'summary' is not allowed to start with '*' or '?'."],
    ['summary ~ "  !! "', "The field 'summary' does not support searching for an empty string."],
    ['created > EMPTY', "The operator '>' does not support the value 'EMPTY' for the field 'created'."],
    ['order by participant', "Field 'participant' does not support sorting."],
    ['order by created, created desc', "The sort field 'created' is referenced multiple times in the JQL sort."],
  ])('%s', (jql, message) => {
    expect(bindError(jql)).toBe(message);
  });

  it('knows custom fields by name (any case) and by id, and system aliases', () => {
    expect(bind('"affected USER" = bob').where).toMatchObject({ kind: 'users', source: { kind: 'customField', id: '10010' } });
    expect(bind('cf[10011] is EMPTY').where).toMatchObject({ kind: 'usersEmpty', source: { kind: 'customField', id: '10011' } });
    expect(bind('"Request participants" = bob').where).toMatchObject({ source: { kind: 'participant' } });
    expect(bind('issuekey = help-3').where).toEqual({ kind: 'key', keys: ['HELP-3'], ids: [] });
    expect(bind('status = "in PROGRESS"').where).toEqual({ kind: 'status', statuses: ['In progress'] });
    expect(bind('reporter = EMPTY').where).toEqual({ kind: 'usersEmpty', source: { kind: 'reporter' } });
  });

  it('reads dates as UTC days, minutes, periods and functions', () => {
    expect(bind('created = "2024-05-01"').where).toEqual({
      kind: 'and',
      conditions: [
        { kind: 'date', column: 'created', operator: '>=', at: new Date('2024-05-01T00:00:00Z') },
        { kind: 'date', column: 'created', operator: '<', at: new Date('2024-05-02T00:00:00Z') },
      ],
    });
    expect(bind('updated > "2024/05/01 10:00"').where).toEqual({ kind: 'date', column: 'updated', operator: '>', at: new Date('2024-05-01T10:00:00Z') });
    expect(bind('created >= -1d').where).toMatchObject({ at: new Date(now.getTime() - 86_400_000) });
    expect(bind('created >= "-2w 1d"').where).toMatchObject({ at: new Date(now.getTime() - 15 * 86_400_000) });
    expect(bind('created < -4h').where).toMatchObject({ at: new Date(now.getTime() - 4 * 3_600_000) });
    expect(bind('created < now()').where).toMatchObject({ at: now });
    expect(bind('created >= startOfDay()').where).toMatchObject({ at: new Date('2026-03-10T00:00:00Z') });
    expect(bind('created >= startOfDay(-1)').where).toMatchObject({ at: new Date('2026-03-09T00:00:00Z') });
    expect(bind('created <= endOfDay()').where).toMatchObject({ at: new Date('2026-03-10T23:59:59.999Z') });
  });

  it('matches words, not substrings, in text search', () => {
    const matches = (query: string, text: string) =>
      textPatterns(query, 'summary').every((p) => new RegExp(p, 'u').test(text.toLowerCase()));
    expect(matches('print', 'Print the report')).toBe(true);
    expect(matches('print', 'Printer is jammed')).toBe(false);
    expect(matches('print*', 'Printer is jammed')).toBe(true);
    expect(matches('jammed printer', 'Printer is jammed')).toBe(true);
    expect(matches('"jammed printer"', 'Printer is jammed')).toBe(false);
    expect(matches('"printer is"', 'The printer, is jammed')).toBe(true);
    expect(matches('café', 'Le CAFÉ est froid')).toBe(true);
    expect(matches('vpn', 'VPN-access broken')).toBe(true);
    expect(matches('pr?nt', 'please print')).toBe(true);
  });

  it('gives each term a LIKE pattern for the trigram index', () => {
    expect(textSearch('printer', 'summary').map((t) => t.like)).toEqual(['%printer%']);
    expect(textSearch('JAMMED print*', 'summary').map((t) => t.like)).toEqual(['%jammed%', '%print%']);
    expect(textSearch('pr?nt', 'summary').map((t) => t.like)).toEqual(['%pr_nt%']);
    expect(textSearch('"\\"vpn, access\\""', 'summary').map((t) => t.like)).toEqual(['%vpn%access%']);
    expect(textSearch('café', 'summary').map((t) => t.like)).toEqual(['%café%']);
  });

  it('splits stored words with the same characters and length as the search', () => {
    expect(TEXT_WORD_CLASS).toBe(WORD_CHARS);
    expect(STORED_WORD_MAX).toBe(TEXT_WORD_MAX);
    expect(requiredWords(textSearch('JAMMED print* pr?nt', 'summary'))).toEqual([
      { word: 'jammed', prefix: false },
      { word: 'print', prefix: true },
      { word: 'pr', prefix: true },
    ]);
    expect(requiredWords(textSearch('"\\"vpn, access\\""', 'summary'))).toEqual([
      { word: 'vpn', prefix: false },
      { word: 'access', prefix: false },
    ]);
    const long = 'x'.repeat(250);
    expect(requiredWords(textSearch(long, 'summary'))).toEqual([{ word: 'x'.repeat(200), prefix: true }]);
    expect(holdsRequiredWords(`see ${long}.`, requiredWords(textSearch(long, 'summary')))).toBe(true);
  });

  // The planner filters with `LIKE like AND ~ pattern`: if the LIKE ever rejected a text the
  // pattern accepts, SQL would lose hits the in-memory evaluator finds.
  it('a text matching the pattern always matches the LIKE', () => {
    const likeToRegExp = (like: string) =>
      new RegExp(`^${[...like].map((ch) => (ch === '%' ? '.*' : ch === '_' ? '.' : ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('')}$`, 'su');
    const letters = ['a', 'b', 'é', 'Z', '1', 'ß', 'İ', '中'];
    const word = fc.array(fc.constantFrom(...letters), { minLength: 1, maxLength: 4 }).map((cs) => cs.join(''));
    const queryWord = fc
      .tuple(word, fc.array(fc.constantFrom(...letters, '*', '?'), { maxLength: 3 }))
      .map(([head, tail]) => head + tail.join(''));
    const sep = fc.constantFrom(' ', ', ', '-', '. ', '_', '%', '\n');
    const randomText = fc.array(fc.tuple(word, sep), { minLength: 1, maxLength: 6 }).map((parts) => parts.map(([w, s]) => w + s).join(''));
    const query = fc.record({ words: fc.array(queryWord, { minLength: 1, maxLength: 3 }), phrase: fc.boolean() });
    // A text built from the query's own words (wildcards filled in with letters, in any case, in
    // order, among other words), so that most texts match and the property is exercised; random
    // texts beside them keep the non-matching side honest.
    const fill = (w: string) =>
      fc.array(fc.constantFrom(...letters), { minLength: [...w].length * 2, maxLength: [...w].length * 2 }).map((pool) => {
        let i = 0;
        return [...w].map((ch) => (ch === '*' ? pool[i++] + pool[i++] : ch === '?' ? pool[i++] : ch)).join('');
      });
    const textFrom = (words: string[]) =>
      fc.tuple(fc.tuple(...words.map(fill)), fc.array(fc.tuple(word, sep), { minLength: words.length + 1, maxLength: words.length + 1 }), fc.boolean(), sep).map(
        ([filled, noise, upper, between]) =>
          filled.map((w, i) => `${noise[i][0]}${noise[i][1]}${upper ? w.toUpperCase() : w}${between}`).join('') + noise[words.length][0],
      );
    const pair = query.chain((q) =>
      fc.tuple(fc.constant(q.phrase ? `"${q.words.join(' ')}"` : q.words.join(' ')), fc.oneof({ weight: 3, arbitrary: textFrom(q.words) }, { weight: 1, arbitrary: randomText })),
    );
    let matched = 0;
    let missed = 0;
    fc.assert(
      fc.property(pair, ([q, t]) => {
        const lower = t.toLowerCase();
        for (const term of textSearch(q, 'summary')) {
          if (new RegExp(term.pattern, 'u').test(lower)) {
            matched++;
            expect(likeToRegExp(term.like).test(lower), `${q} / ${t}`).toBe(true);
          } else missed++;
        }
      }),
      { numRuns: 3000 },
    );
    // most texts match (the assertion above ran), and some do not (the pattern still decides)
    console.log(`LIKE prefilter: ${matched} matching terms, ${missed} not matching`);
    expect(matched).toBeGreaterThan(1500);
    expect(missed).toBeGreaterThan(300);
  }, 60_000);
});

describe('JQL text search: stored words', () => {
  // Before the LIKE and the pattern, SQL asks a request's stored words (requests.text_words) for
  // requiredWords: if they ever lacked one for a text all the terms match, SQL would lose hits.
  it('a text matching every term holds every required word', () => {
    const letters = ['a', 'b', 'é', 'Z', '1', 'ß', 'İ', '中'];
    const word = fc.array(fc.constantFrom(...letters), { minLength: 1, maxLength: 4 }).map((cs) => cs.join(''));
    const queryWord = fc
      .tuple(word, fc.array(fc.constantFrom(...letters, '*', '?'), { maxLength: 3 }))
      .map(([head, tail]) => head + tail.join(''));
    const sep = fc.constantFrom(' ', ', ', '-', '. ', '_', '%', '\n', '@', '.');
    const fill = (w: string) =>
      fc.array(fc.constantFrom(...letters), { minLength: [...w].length * 2, maxLength: [...w].length * 2 }).map((pool) => {
        let i = 0;
        return [...w].map((ch) => (ch === '*' ? pool[i++] + pool[i++] : ch === '?' ? pool[i++] : ch)).join('');
      });
    const pair = fc.record({ words: fc.array(queryWord, { minLength: 1, maxLength: 3 }), phrase: fc.boolean() }).chain((q) =>
      fc.tuple(
        fc.constant(q.phrase ? `"${q.words.join(' ')}"` : q.words.join(' ')),
        fc.tuple(fc.tuple(...q.words.map(fill)), fc.array(fc.tuple(word, sep), { minLength: q.words.length + 1, maxLength: q.words.length + 1 }), fc.boolean(), sep).map(
          ([filled, noise, upper, between]) => filled.map((w, i) => `${noise[i][0]}${noise[i][1]}${upper ? w.toUpperCase() : w}${between}`).join('') + noise[q.words.length][0],
        ),
      ),
    );
    let matched = 0;
    fc.assert(
      fc.property(pair, ([q, t]) => {
        const lower = t.toLowerCase();
        const terms = textSearch(q, 'summary');
        if (terms.every((term) => new RegExp(term.pattern, 'u').test(lower))) {
          matched++;
          expect(holdsRequiredWords(lower, requiredWords(terms)), `${q} / ${t}`).toBe(true);
        }
      }),
      { numRuns: 3000 },
    );
    expect(matched).toBeGreaterThan(1000);
  }, 60_000);
});

describe('JQL parser: any input gives a query or a JqlError', () => {
  const neverOtherErrors = (jql: string) => {
    try {
      bindQuery(parseJql(jql), { customFields, now });
    } catch (e) {
      if (!(e instanceof JqlError)) throw e;
      expect(e.message.length).toBeGreaterThan(0);
    }
  };

  it('on random strings', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 80 }), neverOtherErrors), { numRuns: 2000 });
  });

  it('on random sequences of JQL tokens', () => {
    const token = fc.constantFrom(
      'project', 'key', 'issuekey', 'status', 'reporter', 'participant', '"Request participants"', 'summary', 'text',
      'created', 'updated', '"Affected user"', 'cf[10010]', 'cf[', ']', 'cf', '=', '!=', '~', '!~', '>', '>=', '<', '<=',
      '!', 'in', 'not', 'is', 'empty', 'null', 'and', 'or', '&&', '||', '(', ')', ',', 'order', 'by', 'asc', 'desc',
      'currentUser()', 'now()', 'startOfDay(-1)', 'endOfDay("x")', 'foo(', 'HELP-1', '10001', '-1d', '"4w 2d"',
      '"2024-05-01"', '"2024-05-01 10:00"', 'Open', '"In progress"', 'alice@customer.test', '"*x"', '"x*"', '\'a\\\'b\'',
      '"unterminated', '\\u0041', '#', '"', "'", '\\', '', ' ', '\n',
    );
    fc.assert(
      fc.property(fc.array(token, { maxLength: 25 }), fc.boolean(), (tokens, spaced) =>
        neverOtherErrors(tokens.join(spaced ? ' ' : '')),
      ),
      { numRuns: 3000 },
    );
  });

  it('on well-formed random queries (which all parse)', () => {
    const field = fc.constantFrom('reporter', 'participant', '"Affected user"', 'cf[10011]', 'status', 'project', 'key');
    const value = fc.oneof(fc.constantFrom('a', '"b c"', 'currentUser()', 'HELP-1'), fc.stringMatching(/^[a-z]{1,6}$/).map((w) => `x${w}`));
    const terminal = fc
      .tuple(field, fc.constantFrom('=', '!=', 'in', 'not in', 'is', 'is not'), value)
      .map(([f, op, v]) => (op === 'in' || op === 'not in' ? `${f} ${op} (${v})` : op.startsWith('is') ? `${f} ${op} EMPTY` : `${f} ${op} ${v}`));
    const clause: fc.Arbitrary<string> = fc.letrec<{ c: string }>((tie) => ({
      c: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        terminal,
        fc.tuple(tie('c'), fc.constantFrom('AND', 'OR'), tie('c')).map(([a, op, b]) => `(${a} ${op} ${b})`),
        tie('c').map((c) => `NOT ${c}`),
      ),
    })).c;
    fc.assert(fc.property(clause, (jql) => {
      expect(() => parseJql(jql)).not.toThrow();
    }), { numRuns: 500 });
  });
});
