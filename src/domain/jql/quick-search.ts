import { JqlError } from './errors.js';
import { parseJql } from './parser.js';

// The agent's issue search box takes JQL, and also what people type into a search box without
// thinking of JQL (docs/product.md#quick-search): a request's key opens that request, and plain words
// search the requests' text. Neither is ever valid JQL ("HELP-2" and "vpn" are both syntax errors),
// so no query that JQL understands is read differently.

export type QuickSearch =
  | { as: 'jql'; jql: string }
  /** a request key as typed: the search is `key = "KEY"`, and the page opens the request */
  | { as: 'key'; jql: string; key: string }
  /** plain words: the search is `text ~ "words"` */
  | { as: 'text'; jql: string; words: string };

const KEY = /^[A-Za-z][A-Za-z0-9_]*-[1-9][0-9]{0,17}$/;
/** characters only JQL gives meaning to: text with none of them is words, not a query */
const JQL_SYNTAX = /[=~<>!()"',[\]]/;

/** A JQL string literal: quotes and backslashes escaped. */
function jqlString(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

export function interpretQuickSearch(typed: string): QuickSearch {
  const text = typed.trim();
  if (KEY.test(text)) {
    const key = text.toUpperCase();
    return { as: 'key', jql: `key = ${jqlString(key)}`, key };
  }
  if (text === '') return { as: 'jql', jql: typed };
  try {
    parseJql(text);
    return { as: 'jql', jql: typed };
  } catch (error) {
    if (!(error instanceof JqlError) || JQL_SYNTAX.test(text)) return { as: 'jql', jql: typed };
    const words = text.replace(/\s+/g, ' ');
    return { as: 'text', jql: `text ~ ${jqlString(words)}`, words };
  }
}
