import { JQL_BUDGET } from '../../src/domain/jql/budget.js';

/**
 * The costliest JQL queries the budget allows, as far as measured (bench/query-budget.ts times them
 * all): every text search a `text ~` (summary, description and public comments), every word short
 * with a wildcard so that no trigram index can help (each text search is then a scan of the site's
 * texts with a regular expression per word); every clause on participants or a user-picker field
 * naming a customer who is on many requests (each builds the set of those requests); the rest of
 * the clauses on columns of the request; all joined by OR (no index narrows the rows), nested to the
 * limit, sorted by all seven keys (two of them sub-selects per row). `customers` should be people
 * of the site who are participants and user-picker values of many requests.
 */
export function worstAllowedQueries(customers: string[]): Record<string, string> {
  const perClause = JQL_BUDGET.textWords / JQL_BUDGET.textSearches; // 2 words per text search
  const wildcardsPerWord = JQL_BUDGET.wildcards / JQL_BUDGET.textWords; // 1 wildcard per word
  const word = (i: number) => 'aeiou'[i % 5] + '?'.repeat(wildcardsPerWord);
  const texts = Array.from({ length: JQL_BUDGET.textSearches }, (_, c) =>
    `text ~ "${Array.from({ length: perClause }, (_, w) => word(c * perClause + w)).join(' ')}"`);
  const people = Array.from({ length: JQL_BUDGET.peopleClauses }, (_, i) =>
    `${i % 2 ? 'participant' : '"Affected user"'} = "${customers[i % customers.length]}"`);
  const rows = (n: number) => Array.from({ length: n }, (_, i) => [`created > -${i + 1}d`, `status != Closed`, `key > HELP-${i + 1}`][i % 3]);
  const sortAll = ' ORDER BY reporter, summary, project, status, key, updated, created';
  const nest = (q: string) => '('.repeat(JQL_BUDGET.nesting - 1) + q + ')'.repeat(JQL_BUDGET.nesting - 1);
  const everything = [...texts, ...people, ...rows(JQL_BUDGET.clauses - texts.length - people.length)];
  return {
    'text searches only, OR': texts.join(' OR '),
    'people clauses only, OR, 7 sort keys': people.join(' OR ') + sortAll,
    'every limit: text + people + row clauses, OR, nested, 7 sort keys': nest(everything.join(' OR ')) + sortAll,
    'long words: 5 text searches of 2 words of 64 letters with 1 wildcard': Array.from({ length: JQL_BUDGET.textSearches }, (_, c) =>
      `text ~ "${Array.from({ length: perClause }, (_, w) => 'abcdefghijklmnopqrstuvwxyz'.repeat(3).slice(c + w, c + w + JQL_BUDGET.wordLength - 1) + '?').join(' ')}"`).join(' OR '),
    '100 row clauses, OR, 7 sort keys': rows(JQL_BUDGET.clauses).join(' OR ') + sortAll,
    'key in 1000 values, 7 sort keys': `key in (${Array.from({ length: JQL_BUDGET.listValues }, (_, i) => `HELP-${i + 1}`).join(', ')})` + sortAll,
  };
}
