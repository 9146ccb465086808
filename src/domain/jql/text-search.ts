import { JqlError } from './errors.js';

// Text search (`summary ~ "…"`): how a query splits into words and phrases, as regular expressions
// that decide and LIKE patterns that let PostgreSQL use a trigram index.

/**
 * What counts as a letter or digit in text search, after lower-casing: ASCII letters and digits and
 * the letters of the other scripts, spelled out as code point ranges so that JavaScript and both
 * databases (whatever their locale) split words at exactly the same places.
 */
export const WORD_CHARS =
  '0-9a-z\\u00c0-\\u00d6\\u00d8-\\u00f6\\u00f8-\\u1fff\\u2c00-\\u2dff\\u3040-\\ud7ff\\uf900-\\ufaff\\uff10-\\uff19\\uff21-\\uff3a\\uff41-\\uff5a';
const WORD = `[${WORD_CHARS}]`;
const SEPARATOR = `[^${WORD_CHARS}]`;
const WORD_RE = new RegExp(`^${WORD}$`, 'u');

/**
 * `~` matches words, not substrings: `summary ~ "print"` finds "Print the report" but not "printer";
 * `print*` finds both. Every word of the query must occur (in any order); a query wrapped in inner
 * quotes (`"\"full screen\""`) must occur as a phrase. `?` stands for one letter, `*` for any number.
 * Returns one regular expression per required word (or one for the phrase), applied to lower-cased text.
 */
export function textPatterns(query: string, label: string): string[] {
  return textSearch(query, label).map((t) => t.pattern);
}

/**
 * One required word (or phrase) of a `~` query: `pattern`, the regular expression that decides, and
 * `like`, a LIKE pattern that every lower-cased text matching `pattern` also matches — the word's
 * letters with `*` as `%` and `?` as `_`, anywhere in the text. `like` decides nothing on its own;
 * the SQL planner puts it beside `pattern` so that PostgreSQL can use a trigram index (pg_trgm
 * extracts trigrams from a LIKE literal reliably, from the word-boundary regular expression not).
 * Word characters never include `%`, `_` or `\`, so nothing needs escaping.
 */
export interface TextTerm {
  pattern: string;
  like: string;
}

/**
 * The words of a `~` value as textSearch reads them (lower-cased, `*` and `?` kept inside words),
 * and whether the value asks for a phrase (wrapped in inner quotes).
 */
export function textWords(query: string): { words: string[]; phrase: boolean } {
  const trimmed = query.trim();
  const phrase = trimmed.length >= 2 && trimmed.startsWith('"') && trimmed.endsWith('"');
  const words: string[] = [];
  let current = '';
  for (const ch of (phrase ? trimmed.slice(1, -1) : trimmed).toLowerCase()) {
    if (ch === '*' || ch === '?' || WORD_RE.test(ch)) {
      current += ch;
    } else {
      if (current) words.push(current);
      current = '';
    }
  }
  if (current) words.push(current);
  return { words, phrase };
}

export function textSearch(query: string, label: string): TextTerm[] {
  const { words: terms, phrase } = textWords(query);
  for (const term of terms) {
    if (term.startsWith('*') || term.startsWith('?')) {
      throw new JqlError(`The text query '${query}' for field '${label}' is not allowed to start with '*' or '?'.`);
    }
  }
  if (terms.length === 0) {
    throw new JqlError(`The field '${label}' does not support searching for an empty string.`);
  }
  // how many words and wildcards a query may hold in all is the budget's to say (budget.ts)
  const termPattern = (term: string) =>
    [...term].map((ch) => (ch === '*' ? `${WORD}*` : ch === '?' ? WORD : ch)).join('');
  const termLike = (term: string) => [...term].map((ch) => (ch === '*' ? '%' : ch === '?' ? '_' : ch)).join('');
  const bounded = (body: string) => `(^|${SEPARATOR})${body}($|${SEPARATOR})`;
  const anywhere = (body: string) => `%${body}%`.replace(/%%+/g, '%');
  if (phrase) {
    return [{ pattern: bounded(terms.map(termPattern).join(`${SEPARATOR}+`)), like: anywhere(terms.map(termLike).join('%')) }];
  }
  return [...new Set(terms)].map((term) => ({ pattern: bounded(termPattern(term)), like: anywhere(termLike(term)) }));
}

