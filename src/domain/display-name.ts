import { badRequest } from './errors.js';

/** A person's name is 1 to 255 characters, counted as Unicode code points (an emoji is one). */
export const DISPLAY_NAME_MAX = 255;

export const DISPLAY_NAME_EMPTY = 'The name cannot be empty.';
export const DISPLAY_NAME_TOO_LONG = `The name must be at most ${DISPLAY_NAME_MAX} characters.`;
export const DISPLAY_NAME_CONTROL = 'The name cannot contain control characters or text-direction controls.';

/**
 * Characters a name may not hold: control characters (C0, DEL, C1 — tabs and line breaks break
 * lists, mail headers and exports), line and paragraph separators, unpaired surrogates, and the
 * bidirectional controls (U+202E and kin) that make a name read differently from what it is, and
 * can reorder the text around it wherever it is shown. Joiners (U+200C, U+200D) stay allowed: emoji
 * and several scripts need them.
 */
const FORBIDDEN = /[\p{Cc}\p{Cs}\p{Zl}\p{Zp}\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/u;

/** What is wrong with a name as it would be stored (already trimmed), or null. */
export function displayNameProblem(name: string): string | null {
  if (name.length === 0) return DISPLAY_NAME_EMPTY;
  if (FORBIDDEN.test(name)) return DISPLAY_NAME_CONTROL;
  if (codePoints(name) > DISPLAY_NAME_MAX) return DISPLAY_NAME_TOO_LONG;
  return null;
}

/**
 * The one rule for a name typed anywhere a name is set (create a customer through REST or the
 * agent workspace, "Edit full name"): trimmed, then checked; a 400 naming `displayName` otherwise.
 */
export function validDisplayName(raw: string): string {
  const name = raw.trim();
  const problem = displayNameProblem(name);
  if (problem) throw badRequest(problem, { displayName: problem });
  return name;
}

function codePoints(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}
