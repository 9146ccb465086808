import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseJql } from '../../src/domain/jql/parser.js';
import { bindQuery, type CustomFieldInfo } from '../../src/domain/jql/semantics.js';
import { namesProjectField, possibleUserTexts, userTexts } from '../../src/domain/jql/resolve.js';

// A JQL search looks up the accounts its values may name before it binds the query (in the same
// statement as the custom fields): possibleUserTexts of the query as written must hold every user
// value of the bound query, or a person named would be "does not exist".

const customFields: CustomFieldInfo[] = [
  { id: '10001', name: 'Affected user', type: 'user' },
  { id: '10002', name: 'Approver', type: 'multiuser' },
];
const now = new Date('2026-12-02T12:00:00Z');

describe('possibleUserTexts', () => {
  it('names every user value of the bound query, on every user field and operator', () => {
    const field = fc.constantFrom('reporter', 'participant', '"Request participants"', '"Affected user"', 'cf[10002]', 'summary', 'status', 'key', 'project');
    const value = fc.constantFrom('alice@customer.test', '"Bob Builder"', 'qm:123', 'HELP-1', 'Open', 'HELP', '"printer jams"');
    const clause = fc.tuple(field, fc.constantFrom('=', '!=', 'in', 'not in', '~', 'is'), value, value).map(([f, op, a, b]) =>
      op === 'in' || op === 'not in' ? `${f} ${op} (${a}, ${b})` : op === 'is' ? `${f} is EMPTY` : `${f} ${op} ${a}`,
    );
    const query = fc.array(clause, { minLength: 1, maxLength: 4 }).chain((cs) => fc.constantFrom(cs.join(' AND '), cs.join(' OR '), `NOT (${cs.join(' OR ')})`));
    let bound = 0;
    fc.assert(
      fc.property(query, (jql) => {
        let b;
        try {
          b = bindQuery(parseJql(jql), { customFields, now });
        } catch {
          return; // a query the search refuses: nothing is looked up for it
        }
        bound++;
        const possible = new Set(possibleUserTexts(parseJql(jql).where));
        for (const text of userTexts(b.where)) expect(possible, jql).toContain(text);
      }),
      { numRuns: 500 },
    );
    expect(bound).toBeGreaterThan(100);
  });

  it('leaves out text-search words and dates', () => {
    expect(possibleUserTexts(parseJql('summary ~ "alice" AND created > "2026-01-01" AND reporter = bob@x.test').where)).toEqual(['bob@x.test']);
  });

  it('says whether the projects are needed', () => {
    expect(namesProjectField(parseJql('Project = HELP AND reporter = a').where)).toBe(true);
    expect(namesProjectField(parseJql('NOT (project in (HELP, IT))').where)).toBe(true);
    expect(namesProjectField(parseJql('reporter = a ORDER BY project').where)).toBe(false);
  });
});
