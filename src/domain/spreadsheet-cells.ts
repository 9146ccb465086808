import { stringify } from 'csv-stringify/sync';

/**
 * What a spreadsheet must not read as a formula when it opens one of our CSV exports.
 *
 * A spreadsheet evaluates a cell that starts with `=`, `+`, `-` or `@` (some also after leading
 * spaces, which they trim, and some also accept the full-width forms ＝ ＋ － ＠). Quoting does not
 * stop it: `"=1+1"` is still a formula. And the reader may not split where we did: a file written
 * with commas is opened in a semicolon locale, or pasted as tab-separated text, or read by a
 * program that ignores quotes — then a new cell starts after any `,` `;` tab or line break inside
 * our text. So, in each cell:
 *
 * 1. A place where some reader could start a cell is the start of the text and the place right
 *    after each `,` `;` tab, CR or LF in it.
 * 2. If, from such a place, skipping whitespace and double quotes (a reader may drop both), the
 *    next character is a formula trigger (`=` `+` `-` `@` or their full-width forms), an apostrophe
 *    is inserted at that place: every reading then starts that cell with `'`, which spreadsheets
 *    show as text.
 * 3. A text that starts with a tab, CR or LF (listed by OWASP as formula-adjacent on their own)
 *    is prefixed with an apostrophe too.
 *
 * Nothing else changes, so the visible text is the original with those apostrophes added.
 */
const DANGEROUS_CELL_START = /(?<=^|[,;\t\r\n])(?=[\s"]*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20])/g;

export function neutralizeFormulas(text: string): string {
  const neutral = text.replace(DANGEROUS_CELL_START, "'");
  return /^[\t\r\n]/.test(neutral) ? `'${neutral}` : neutral;
}

/**
 * One CSV record (RFC 4180, CRLF): every cell neutralized, then quoted — every cell, so a `;`, a tab
 * or a line break inside one never ends it in a reader that honours quotes; inner quotes doubled.
 */
export function csvRecord(cells: readonly string[]): string {
  return stringify([cells.map(neutralizeFormulas)], { quoted: true, quoted_empty: true, record_delimiter: 'windows' });
}
