import { describe, expect, it } from 'vitest';
import { JQL_BUDGET, JqlBudgetError, type JqlBudgetLimit } from '../../src/domain/jql/budget.js';
import { parseJql } from '../../src/domain/jql/parser.js';

// The budget of one JQL query, at each limit and one past it. HTTP answers (400 in Atlassian's
// shape, on both databases) are in test/integration/query-budget.test.ts.

const or = (n: number, clause: (i: number) => string) => Array.from({ length: n }, (_, i) => clause(i)).join(' OR ');
const words = (n: number) => Array.from({ length: n }, (_, i) => `w${i}`).join(' ');

/** For each limit: a query exactly at it, and one just past it. */
const CASES: Record<Exclude<JqlBudgetLimit, 'nesting' | 'sortFields'>, [atLimit: string, overLimit: string, message: RegExp]> = {
  clauses: [or(100, () => 'status = Open'), or(101, () => 'status = Open'), /has 101 clauses; at most 100 are allowed/],
  peopleClauses: [
    or(10, (i) => ['participant = bob', '"Request participants" = bob', '"Affected user" = bob', 'cf[10010] = bob', 'Approver in (bob)'][i % 5]) + ' OR reporter = bob OR status = Open',
    or(11, (i) => ['participant = bob', '"Request participants" = bob', '"Affected user" = bob', 'cf[10010] = bob', 'Approver in (bob)'][i % 5]),
    /has 11 clauses on participants or user-picker fields; at most 10 are allowed/,
  ],
  textSearches: [or(5, (i) => `summary ~ w${i}`), or(6, (i) => `summary ~ w${i}`), /has 6 text searches \('~' or '!~'\); at most 5 are allowed/],
  textWords: [`text ~ "${words(10)}"`, `text ~ "${words(6)}" OR summary ~ "${words(5)}"`, /has 11 words in its text searches; at most 10 are allowed/],
  wildcards: [`summary ~ "a*b*c*d*e*" AND text ~ "f?g?h?i?j?"`, `summary ~ "a*b*c*d*e*f*" AND text ~ "f?g?h?i?j?"`, /has 11 wildcards \('\*' or '\?'\) in its text searches; at most 10 are allowed/],
  wordLength: [`summary ~ ${'x'.repeat(64)}`, `summary ~ ${'x'.repeat(65)}`, /is 65 characters long; at most 64 are allowed/],
  listValues: [
    `key in (${Array.from({ length: 1000 }, (_, i) => `HELP-${i + 1}`).join(', ')})`,
    `key in (${Array.from({ length: 600 }, (_, i) => `HELP-${i + 1}`).join(', ')}) OR status in (${Array.from({ length: 401 }, () => 'Open').join(', ')})`,
    /has 1001 values in its lists; at most 1000 are allowed/,
  ],
};

describe('the JQL budget', () => {
  it.each(Object.entries(CASES))('D2: %s — a query at the limit parses, one past it is refused naming the limit and its value', (limit, [at, over, message]) => {
    expect(() => parseJql(at)).not.toThrow();
    let error: unknown;
    try {
      parseJql(over);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(JqlBudgetError);
    expect((error as JqlBudgetError).limit).toBe(limit);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).toContain(String(JQL_BUDGET[limit as JqlBudgetLimit]));
  });

  it('D2: the 1,700-clause text search of the review (under the 20,000-character cap) is refused by its clause count', () => {
    const jql = or(1700, (i) => `text~w${i % 10}`);
    expect(jql.length).toBeLessThan(20_000);
    expect(() => parseJql(jql)).toThrow(/has 1700 clauses; at most 100 are allowed/);
  });

  it('D2: a phrase counts each of its words, and !~ counts as a text search', () => {
    expect(() => parseJql(`summary ~ "\\"${words(11)}\\""`)).toThrow(/11 words/);
    expect(() => parseJql(or(6, (i) => `summary !~ w${i}`))).toThrow(/6 text searches/);
  });
});
