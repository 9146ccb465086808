/**
 * The version of the making of terms below. A revoked customer's terms are kept for her grant with
 * the version that made them (migration 20261207T1200_dormant_search_terms); a grant puts back only
 * terms of this version. Change it whenever searchTermsFor, normalizeForSearch or sortNameFor answer
 * differently, so that no grant puts back terms made the old way.
 */
export const SEARCH_TERMS_VERSION = 1;

/**
 * The terms a customer is found by in user pickers (docs/product.md#picker-search): every word of the display name
 * and the whole email, lower-cased. Picker search is a prefix match on any of them.
 */
export function searchTermsFor(displayName: string, email: string): string[] {
  const words = normalizeForSearch(displayName).split(/[\s\p{P}]+/u).filter(Boolean);
  return [...new Set([...words, normalizeForSearch(email)])];
}

export function normalizeForSearch(text: string): string {
  return text.normalize('NFKC').toLowerCase().trim();
}

/** Sort key for ordering people by name, stable across databases ("C" collation on both). */
export function sortNameFor(displayName: string): string {
  return normalizeForSearch(displayName);
}

/** Upper bound for a prefix range scan: term >= prefix AND term < prefixUpperBound(prefix). */
export function prefixUpperBound(prefix: string): string {
  return prefix + '\u{10FFFF}';
}
