import { sql, type Transaction } from 'kysely';
import type { Database } from '../schema.js';
import type { Db } from '../connection.js';
import type { ImportRow } from '../../domain/customer-import.js';
import { sortNameFor } from '../../domain/search-terms.js';
import { insertDormantSearchTerms, insertSearchTerms, newCustomerAccountId } from './customers.js';

type Executor = Transaction<Database> | Db;

/** Which of these lower-cased emails already belong to a customer of the site (deleted accounts have none). */
export async function presentCustomerEmails(db: Executor, siteId: string, emailsLower: string[]): Promise<Set<string>> {
  if (emailsLower.length === 0) return new Set();
  const rows = await db
    .selectFrom('accounts')
    .select('email_lower')
    .where('kind', '=', 'customer')
    .where('site_id', '=', siteId)
    .where('email_lower', 'in', emailsLower)
    .execute();
  return new Set(rows.map((r) => r.email_lower!));
}

/**
 * Inserts a batch of imported customers in one statement; an email the site already has (any
 * status but deleted) is skipped by the unique index (site, lower(email)), so running the same rows
 * again — or racing another import or a single create — never makes a second account. Without a
 * password (they set one through a password reset). Revoked rows are revoked from the start, by
 * `actorId` now, and get no picker terms (theirs are kept for their grant, as a revoke keeps them);
 * active ones get theirs, as insertCustomer writes them.
 * Returns the lower-cased emails it created.
 */
export async function insertImportedCustomers(
  trx: Transaction<Database>,
  input: { siteId: string; rows: ImportRow[]; actorId: string | null; now: Date },
): Promise<Set<string>> {
  if (input.rows.length === 0) return new Set();
  const ids = new Map(input.rows.map((r) => [r.emailLower, newCustomerAccountId()]));
  const inserted = await trx
    .insertInto('accounts')
    .values(
      input.rows.map((r) => ({
        account_id: ids.get(r.emailLower)!,
        kind: 'customer' as const,
        site_id: input.siteId,
        email: r.email,
        email_lower: r.emailLower,
        display_name: r.displayName,
        sort_name: sortNameFor(r.displayName),
        password_hash: null,
        status: r.status,
        revoked_at: r.status === 'revoked' ? input.now : null,
        revoked_by: r.status === 'revoked' ? input.actorId : null,
        created_at: input.now,
      })),
    )
    // The index's predicate written out, not as a parameter: PostgreSQL matches ON CONFLICT to the
    // partial unique index accounts_customer_email_uq by it, and a kept statement planned
    // generically (from its sixth run on a connection) cannot see a parameter's value.
    .onConflict((oc) => oc.columns(['site_id', 'email_lower']).where('kind', '=', sql.lit('customer')).doNothing())
    .returning('email_lower')
    .execute();
  const created = new Set(inserted.map((r) => r.email_lower!));
  const entries = (status: ImportRow['status']) =>
    input.rows
      .filter((r) => r.status === status && created.has(r.emailLower))
      .map((r) => ({ accountId: ids.get(r.emailLower)!, siteId: input.siteId, displayName: r.displayName, email: r.email }));
  await insertSearchTerms(trx, entries('active'));
  await insertDormantSearchTerms(trx, entries('revoked'));
  return created;
}
