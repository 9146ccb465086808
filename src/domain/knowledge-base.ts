import { badRequest } from './errors.js';

// Knowledge-base articles (docs/product.md#knowledge-base): what an article may hold, and how a
// search's text becomes a full-text query.

export const ARTICLE_TITLE_MAX_LENGTH = 255;
export const ARTICLE_BODY_MAX_LENGTH = 100_000;
export const ARTICLE_CATEGORY_MAX_LENGTH = 60;

export interface ArticleDraft {
  title: string;
  body: string;
  /** null or blank: no category */
  category: string | null;
}

/** An article's fields as they are stored (trimmed title and category), or a 400 in plain words naming every field at fault. */
export function validateArticle(input: ArticleDraft): ArticleDraft {
  const errors: Record<string, string> = {};
  const title = input.title.trim();
  const category = (input.category ?? '').trim();
  if (title === '') errors.title = 'Title is required.';
  else if (title.length > ARTICLE_TITLE_MAX_LENGTH) errors.title = `A title can be at most ${ARTICLE_TITLE_MAX_LENGTH} characters.`;
  if (input.body.length > ARTICLE_BODY_MAX_LENGTH) errors.body = `An article can be at most ${ARTICLE_BODY_MAX_LENGTH.toLocaleString('en')} characters.`;
  if (category.length > ARTICLE_CATEGORY_MAX_LENGTH) errors.category = `A category can be at most ${ARTICLE_CATEGORY_MAX_LENGTH} characters.`;
  const messages = Object.values(errors);
  if (messages.length) throw badRequest(messages[0], errors);
  return { title, body: input.body, category: category === '' ? null : category };
}

/** At most this many words of a search count: enough for a request's summary typed as a sentence. */
export const KB_MAX_WORDS = 16;
const MAX_WORD_LENGTH = 64;

/**
 * A search's text as a full-text query for to_tsquery with a language configuration: its words
 * (letters and digits only, so nothing typed reaches to_tsquery's own syntax) joined with OR.
 * "my vpn password is wrong" → "my | vpn | password | is | wrong"; the configuration then drops
 * the stop words and reduces each word to its stem ("printers" → "printer"), and ranking puts the
 * articles that match most words, and in their titles, first. An AND of the words
 * (websearch_to_tsquery) would find nothing as soon as one word of a sentence is not in the
 * article. The last word, while it is being typed (no space after it yet, three letters or more),
 * also matches as the start of a word, so "print" already finds "Printer troubleshooting".
 * Null when no word is left.
 */
export function kbAnyWordQuery(text: string): string | null {
  const words = (text.normalize('NFKC').toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).map((w) => w.slice(0, MAX_WORD_LENGTH));
  const unique = [...new Set(words)].slice(0, KB_MAX_WORDS);
  if (unique.length === 0) return null;
  const last = words[words.length - 1];
  const typing = /[\p{L}\p{N}]$/u.test(text) && last.length >= 3;
  return [...unique, ...(typing ? [`${last}:*`] : [])].join(' | ');
}

/** Whether a search asks for a phrase ("reset password", in double quotes): then the phrase must appear. */
export function kbHasPhrase(text: string): boolean {
  return /"[^"]*[\p{L}\p{N}][^"]*"/u.test(text);
}
