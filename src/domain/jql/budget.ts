import type { Clause, Query } from './ast.js';
import { JqlError } from './errors.js';
import { textWords } from './text-search.js';

/**
 * What one JQL query may ask of the database. Each search becomes ONE SQL query whose cost grows
 * with what is written: a clause on a column of the request (project, key, status, reporter, dates)
 * is a cheap test of each request; a clause on participants or a user-picker field reads those rows
 * for the people it names (as many as the site's requests); a text search (`~`) may read every
 * summary, description and public comment of the site (a word without three letters in a row has
 * no trigram for the index to use), and each word and wildcard is a regular expression run on each
 * of those texts. On the embedded database that query blocks every site while it runs,
 * so the budget is what bounds it there (PostgreSQL also has a statement timeout). The values are
 * far above what a person or a saved filter writes, and were measured (bench/query-budget.ts).
 */
export const JQL_BUDGET = {
  /** terminal clauses (`field operator value`) */
  clauses: 100,
  /** clauses on participants or a user-picker field: each reads those rows of every request */
  peopleClauses: 10,
  /** clauses with `~` or `!~` */
  textSearches: 5,
  /** words in all text searches together */
  textWords: 10,
  /** `*` and `?` in all text searches together */
  wildcards: 10,
  /** characters of one word of a text search */
  wordLength: 64,
  /** values in all `in (…)` lists together */
  listValues: 1000,
  /** parentheses and NOT inside each other (the parser enforces it: MAX_NESTING) */
  nesting: 20,
  /** ORDER BY fields (the parser enforces it: MAX_SORT_FIELDS) */
  sortFields: 7,
} as const;

export type JqlBudgetLimit = keyof typeof JQL_BUDGET;

/** Fields whose clauses test a column of the request row itself (system names win over custom fields). */
const ROW_FIELDS = new Set(['project', 'key', 'issuekey', 'status', 'reporter', 'assignee', 'priority', 'created', 'createddate', 'updated', 'updateddate']);
const TEXT_FIELDS = new Set(['summary', 'text']);

/** A query over budget: the message says which limit and its value, `limit` names it for code. */
export class JqlBudgetError extends JqlError {
  constructor(
    readonly limit: JqlBudgetLimit,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Throws JqlBudgetError when `query` asks for more than JQL_BUDGET allows. Pure and linear in the
 * size of the tree, so an over-budget query is refused before any database work.
 */
export function checkJqlBudget(query: Query): void {
  let clauses = 0;
  let peopleClauses = 0;
  let textSearches = 0;
  let words = 0;
  let wildcards = 0;
  let listValues = 0;
  const visit = (clause: Clause): void => {
    switch (clause.kind) {
      case 'and':
      case 'or':
        clause.clauses.forEach(visit);
        return;
      case 'not':
        visit(clause.clause);
        return;
      case 'terminal': {
        clauses++;
        const name = clause.field.kind === 'name' ? clause.field.name.toLowerCase() : null;
        // participant, "Request participants", a custom field by name or cf[id]; an unknown name is
        // refused when the query is bound
        if (name === null || (!ROW_FIELDS.has(name) && !TEXT_FIELDS.has(name))) peopleClauses++;
        if (clause.operand.kind === 'list') listValues += clause.operand.items.length;
        if ((clause.operator === '~' || clause.operator === '!~') && clause.operand.kind === 'value') {
          textSearches++;
          for (const word of textWords(clause.operand.text).words) {
            words++;
            wildcards += [...word].filter((ch) => ch === '*' || ch === '?').length;
            const length = [...word].length;
            if (length > JQL_BUDGET.wordLength) {
              const shown = [...word].slice(0, 20).join('') + '…';
              throw new JqlBudgetError(
                'wordLength',
                `The word '${shown}' of a text search is ${length} characters long; at most ${JQL_BUDGET.wordLength} are allowed.`,
              );
            }
          }
        }
        return;
      }
    }
  };
  if (query.where) visit(query.where);
  const over = (limit: JqlBudgetLimit, count: number, what: string, hint = '') => {
    if (count > JQL_BUDGET[limit]) {
      throw new JqlBudgetError(limit, `The query has ${count} ${what}; at most ${JQL_BUDGET[limit]} are allowed.${hint}`);
    }
  };
  over('clauses', clauses, 'clauses', ' Several values of one field fit in one clause: reporter in (a, b).');
  over('peopleClauses', peopleClauses, 'clauses on participants or user-picker fields', ' Several people fit in one clause: participant in (a, b).');
  over('textSearches', textSearches, "text searches ('~' or '!~')");
  over('textWords', words, 'words in its text searches');
  over('wildcards', wildcards, "wildcards ('*' or '?') in its text searches");
  over('listValues', listValues, 'values in its lists');
}
