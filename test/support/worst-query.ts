import { JQL_BUDGET } from '../../src/domain/jql/budget.js';

/**
 * The costliest JQL queries the budget allows, as far as measured (bench/query-budget.ts runs them
 * all and prints which is worst): every text search a `text ~` (summary, description and public
 * comments), every word short and full of wildcards so that no trigram index can help (each text
 * search is then a scan of the site's texts with a regular expression per word), the other clauses
 * spent on EXISTS tests of participants, all joined by OR (no index narrows the rows), nested to the
 * limit, sorted by all seven keys (two of them sub-selects per row).
 */
export function worstAllowedQueries(people: { staffEmail: string; customerEmail: string }): Record<string, string> {
  const perClause = JQL_BUDGET.textWords / JQL_BUDGET.textSearches; // 2 words per text search
  const wildcardsPerWord = JQL_BUDGET.wildcards / JQL_BUDGET.textWords; // 1 wildcard per word
  const word = (i: number) => 'aeiou'[i % 5] + '?'.repeat(wildcardsPerWord);
  const texts = Array.from({ length: JQL_BUDGET.textSearches }, (_, c) =>
    `text ~ "${Array.from({ length: perClause }, (_, w) => word(c * perClause + w)).join(' ')}"`);
  const others = (n: number) =>
    Array.from({ length: n }, (_, i) => (i % 2 ? `participant = "${people.staffEmail}"` : `"Affected user" = "${people.customerEmail}"`));
  const sortAll = ' ORDER BY reporter, summary, project, status, key, updated, created';
  const nest = (q: string) => '('.repeat(JQL_BUDGET.nesting - 1) + q + ')'.repeat(JQL_BUDGET.nesting - 1);
  return {
    'text searches only, OR': texts.join(' OR '),
    'text searches + 95 user clauses, OR, nested, 7 sort keys': nest([...texts, ...others(JQL_BUDGET.clauses - texts.length)].join(' OR ')) + sortAll,
    'long words: 5 text searches of 2 words of 64 letters with 1 wildcard': Array.from({ length: JQL_BUDGET.textSearches }, (_, c) =>
      `text ~ "${Array.from({ length: perClause }, (_, w) => 'abcdefghijklmnopqrstuvwxyz'.repeat(3).slice(c + w, c + w + JQL_BUDGET.wordLength - 1) + '?').join(' ')}"`).join(' OR '),
    '100 user clauses, OR, 7 sort keys': others(JQL_BUDGET.clauses).join(' OR ') + sortAll,
    'key in 1000 values, 7 sort keys': `key in (${Array.from({ length: JQL_BUDGET.listValues }, (_, i) => `HELP-${i + 1}`).join(', ')})` + sortAll,
  };
}
