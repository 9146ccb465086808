import { randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { Database } from '../schema.js';
import type { Db } from '../connection.js';
import { SEARCH_TERMS_VERSION, searchTermsFor, sortNameFor, normalizeForSearch } from '../../domain/search-terms.js';

type Executor = Transaction<Database> | Db;

export function newCustomerAccountId(): string {
  return `qm:${randomUUID()}`;
}

/** The accounts row of a portal-only customer: its email kept as typed and folded for look-ups. */
function customerRow(accountId: string, siteId: string, email: string, displayName: string, passwordHash: string | null) {
  return {
    account_id: accountId,
    kind: 'customer' as const,
    site_id: siteId,
    email,
    email_lower: normalizeForSearch(email),
    display_name: displayName,
    sort_name: sortNameFor(displayName),
    password_hash: passwordHash,
  };
}

/** Inserts a portal-only customer of a site and its picker search terms. */
export async function insertCustomer(
  trx: Executor,
  input: { siteId: string; email: string; displayName: string; passwordHash: string | null; accountId?: string; createdAt?: Date },
): Promise<string> {
  const accountId = input.accountId ?? newCustomerAccountId();
  const email = input.email.trim();
  await trx
    .insertInto('accounts')
    .values({ ...customerRow(accountId, input.siteId, email, input.displayName, input.passwordHash), ...(input.createdAt ? { created_at: input.createdAt } : {}) })
    .execute();
  await writeSearchTerms(trx, { accountId, siteId: input.siteId, displayName: input.displayName, email });
  return accountId;
}

/**
 * Inserts a portal-only customer unless the site already has one with this email (in any case, any
 * status): the unique index decides, so of concurrent inserts of one address exactly one creates
 * it, and the others get null without an error that would end their transaction. `pickable: false`
 * leaves out its picker terms (a sign-up nobody has verified yet: writeSearchTerms adds them later).
 */
export async function insertCustomerIfNew(
  trx: Executor,
  input: { siteId: string; email: string; displayName: string; pickable?: boolean },
): Promise<string | null> {
  const accountId = newCustomerAccountId();
  const email = input.email.trim();
  const inserted = await trx
    .insertInto('accounts')
    .values({ ...customerRow(accountId, input.siteId, email, input.displayName, null), awaiting_verification: input.pickable === false })
    .onConflict((oc) => oc.doNothing())
    .returning('account_id')
    .executeTakeFirst();
  if (!inserted) return null;
  if (input.pickable !== false) await writeSearchTerms(trx, { accountId, siteId: input.siteId, displayName: input.displayName, email });
  return accountId;
}

/** Picker terms exist only for active customers: grant and rename (re)write them. */
export async function writeSearchTerms(
  trx: Executor,
  a: { accountId: string; siteId: string; displayName: string; email: string },
): Promise<void> {
  await deleteSearchTerms(trx, a.accountId);
  await insertSearchTerms(trx, [a]);
}

/** Writes the picker terms of active customers that have none yet (grant, import), in batches. */
export async function insertSearchTerms(
  trx: Executor,
  accounts: Array<{ accountId: string; siteId: string; displayName: string; email: string }>,
): Promise<void> {
  const rows = accounts.flatMap((a) => {
    const { terms, sortName, words } = searchTermsOf(a);
    return terms.map((term) => ({ site_id: a.siteId, term, account_id: a.accountId, sort_name: sortName, words }));
  });
  // Batches keep each INSERT well under the bind-parameter limit (5 per row).
  for (let i = 0; i < rows.length; i += 2000) {
    await trx.insertInto('account_search_terms').values(rows.slice(i, i + 2000)).execute();
  }
}

/**
 * Keeps the picker terms of customers who start out revoked (an import's revoked rows) for their
 * grant, as a revoke keeps the terms it removes (migration 20261207T1200_dormant_search_terms), so
 * that their first grant is one statement too. In batches, like insertSearchTerms.
 */
export async function insertDormantSearchTerms(
  trx: Executor,
  accounts: Array<{ accountId: string; siteId: string; displayName: string; email: string }>,
): Promise<void> {
  const rows = accounts.map((a) => {
    const { terms, sortName, words } = searchTermsOf(a);
    return { account_id: a.accountId, site_id: a.siteId, display_name: a.displayName, email: a.email, made_by: SEARCH_TERMS_VERSION, terms, sort_name: sortName, words };
  });
  for (let i = 0; i < rows.length; i += 1000) {
    await trx.insertInto('dormant_search_terms').values(rows.slice(i, i + 1000)).execute();
  }
}

/** An account's picker terms, the name they sort by, and `words`: what each of its term rows holds. */
export function searchTermsOf(a: { displayName: string; email: string }): { terms: string[]; sortName: string; words: string } {
  const terms = searchTermsFor(a.displayName, a.email);
  // every term of the account on each of its rows, as the database's trigger would write them
  // (migration 20261207T0900_picker_term_words); written here, the trigger finds nothing to change
  return { terms, sortName: sortNameFor(a.displayName), words: termWords(terms) };
}

/** An account's terms as `account_search_terms.words` holds them: each after a newline, in the "C" collation's order (UTF-8 bytes). */
function termWords(terms: string[]): string {
  const sorted = terms.map((t) => Buffer.from(t, 'utf8')).sort(Buffer.compare);
  return sorted.map((b) => '\n' + b.toString('utf8')).join('');
}

/** Revoke and delete remove an account from every picker by removing its terms. */
export async function deleteSearchTerms(trx: Executor, accountId: string): Promise<void> {
  await trx.deleteFrom('account_search_terms').where('account_id', '=', accountId).execute();
}
