import { JqlError } from './errors.js';

// Text search (`summary ~ "…"`): how a query splits into words and phrases, as regular expressions
// that decide, LIKE patterns that are a cheaper first test, and the words a request's stored words
// (requests.text_words, src/db/jql-plan.ts) must hold.

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
 * the SQL planner puts it before `pattern` as a cheaper test.
 * Word characters never include `%`, `_` or `\`, so nothing needs escaping.
 */
export interface TextTerm {
  pattern: string;
  like: string;
  /**
   * The lower-cased words (with their `*` and `?`) the term is made of: one, or a phrase's words. A
   * text matching `pattern` holds each of them as a whole word (a wildcard standing for letters), so
   * the SQL planner asks a request's stored words for them before running `pattern`.
   */
  words: string[];
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

/**
 * The longest word a request's stored words hold, in characters (longer words are stored as their
 * first TEXT_WORD_MAX); migration 20261202T1600_text_words stores them so.
 */
export const TEXT_WORD_MAX = 200;

/**
 * What a request's stored words must hold for `terms` to possibly match: for each word of each term,
 * its letters up to the first wildcard, as a whole word, or as a prefix of a word when the word has a
 * wildcard or is at least TEXT_WORD_MAX long. A text matching a term's `pattern` holds each of its
 * words as a whole word, so its stored words (split at the same characters) pass this test.
 */
export function requiredWords(terms: TextTerm[]): Array<{ word: string; prefix: boolean }> {
  const seen = new Map<string, { word: string; prefix: boolean }>();
  for (const w of terms.flatMap((t) => t.words)) {
    const wild = w.search(/[*?]/);
    const literal = [...(wild < 0 ? w : w.slice(0, wild))];
    const required = { word: literal.slice(0, TEXT_WORD_MAX).join(''), prefix: wild >= 0 || literal.length >= TEXT_WORD_MAX };
    seen.set(`${required.word}:${required.prefix}`, required);
  }
  return [...seen.values()];
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
    return [{ pattern: bounded(terms.map(termPattern).join(`${SEPARATOR}+`)), like: anywhere(terms.map(termLike).join('%')), words: terms }];
  }
  return [...new Set(terms)].map((term) => ({ pattern: bounded(termPattern(term)), like: anywhere(termLike(term)), words: [term] }));
}

