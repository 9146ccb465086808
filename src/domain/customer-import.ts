import { CUSTOMER_EMAIL_INVALID, validCustomerEmail } from './customer-email.js';
import { displayNameProblem } from './display-name.js';
import { DEACTIVATED_SUFFIX } from './display.js';
import { normalizeForSearch } from './search-terms.js';

/**
 * Reading a customer CSV (docs/product.md#import): Portico's own export (Name, Email, Status, Last
 * active, Created) and Jira Service Management's customer export. The header row names the columns,
 * in any case and order; unknown columns are ignored.
 */

/** The largest file an import reads (the upload's body limit, and the CLI's too): about 300,000 rows. */
export const IMPORT_MAX_BYTES = 20 * 1024 * 1024;

/** The refused rows an import report lists (the counts are always exact). */
export const IMPORT_REFUSALS_LISTED = 1000;

const NAME_HEADERS = ['name', 'display name', 'full name', 'displayname', 'fullname'];
const EMAIL_HEADERS = ['email', 'email address', 'e-mail', 'e-mail address', 'emailaddress'];
const STATUS_HEADERS = ['status'];

export interface ImportColumns {
  name: number | null;
  email: number;
  status: number | null;
}

/** The columns of a header row, or what is wrong with it. */
export function importColumns(header: readonly string[]): ImportColumns | { problem: string } {
  const names = header.map((h) => h.trim().toLowerCase());
  const find = (accepted: string[]) => {
    const i = names.findIndex((n) => accepted.includes(n));
    return i < 0 ? null : i;
  };
  const email = find(EMAIL_HEADERS);
  if (email === null) {
    const shown = header.slice(0, 10).map((h) => `"${h.slice(0, 40)}"`).join(', ');
    return { problem: `The file has no Email column (its first line reads ${shown || 'nothing'}). The first line must name the columns: Email (or Email address), and optionally Name and Status.` };
  }
  return { email, name: find(NAME_HEADERS), status: find(STATUS_HEADERS) };
}

export type ImportStatus = 'active' | 'revoked';

const REVOKED_WORDS = ['access revoked', 'revoked', 'inactive', 'deactivated'];

/** What a Status cell means: empty or Active → active; Access revoked, Revoked, Inactive, Deactivated → revoked. */
export function importStatus(cell: string): ImportStatus | null {
  const s = cell.trim().toLowerCase();
  if (s === '' || s === 'active') return 'active';
  return REVOKED_WORDS.includes(s) ? 'revoked' : null;
}

export interface ImportRow {
  /** the line of the file where the row starts (the header is line 1) */
  line: number;
  email: string;
  emailLower: string;
  displayName: string;
  status: ImportStatus;
}

export interface ImportRefusal {
  line: number;
  email: string;
  reason: string;
}

/**
 * One data row: the customer it describes, or why it is refused. The email follows the rule of
 * creating one customer (domain/customer-email.ts) and the name the rule of "Edit full name"
 * (domain/display-name.ts). An empty name takes the email, as a customer who signs up with only an
 * email is named. A revoked row's name loses the " (Deactivated)" our export adds to it, so an
 * exported file imports back as it was.
 */
export function importRow(cells: readonly string[], columns: ImportColumns, line: number): ImportRow | ImportRefusal {
  const rawEmail = cells[columns.email] ?? '';
  const shownEmail = rawEmail.trim().slice(0, 254);
  const email = validCustomerEmail(rawEmail);
  if (!email) return { line, email: shownEmail, reason: rawEmail.trim() ? CUSTOMER_EMAIL_INVALID : 'The email address is empty.' };
  const statusCell = columns.status === null ? '' : (cells[columns.status] ?? '');
  const status = importStatus(statusCell);
  if (!status) {
    return { line, email, reason: `The status "${statusCell.trim().slice(0, 40)}" is not one of Active, Access revoked, Revoked, Inactive, Deactivated (or empty).` };
  }
  let name = (columns.name === null ? '' : (cells[columns.name] ?? '')).trim();
  if (status === 'revoked' && name.endsWith(DEACTIVATED_SUFFIX)) name = name.slice(0, -DEACTIVATED_SUFFIX.length).trim();
  if (name === '') name = email;
  const problem = displayNameProblem(name);
  if (problem) return { line, email, reason: problem };
  return { line, email, emailLower: normalizeForSearch(email), displayName: name, status };
}

export function isImportRefusal(row: ImportRow | ImportRefusal): row is ImportRefusal {
  return 'reason' in row;
}
