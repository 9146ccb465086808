import { sql, type Transaction } from 'kysely';
import type { Db } from '../connection.js';
import type { Database } from '../schema.js';
import { hashSecret } from '../../domain/secrets.js';
import { endOutstandingTokens, insertOneTimeToken } from './one-time-tokens.js';
import { normalizeForSearch } from '../../domain/search-terms.js';

type Executor = Transaction<Database> | Db;

// A customer's pending email change (migration 20261207T0100_email_changes,
// docs/product.md#change-customer-email): a row naming the new address beside a one-time token of
// purpose 'email_change'. The change is pending only while that token is live.

/** Ends the account's pending change, if any: its link dies and the row goes. */
export async function dropEmailChange(trx: Executor, accountId: string): Promise<boolean> {
  await endOutstandingTokens(trx, [accountId], ['email_change']).execute();
  const gone = await trx.deleteFrom('email_changes').where('account_id', '=', accountId).executeTakeFirst();
  return Number(gone.numDeletedRows) > 0;
}

/** Replaces the account's pending change with one to `newEmail`; answers the link's secret (once, for the mail). */
export async function storeEmailChange(
  trx: Executor,
  input: { accountId: string; siteId: string; newEmail: string; hours: number },
): Promise<{ token: string; expiresAt: Date }> {
  await dropEmailChange(trx, input.accountId);
  const link = await insertOneTimeToken(trx, { accountId: input.accountId, siteId: input.siteId, purpose: 'email_change', hours: input.hours });
  await trx
    .insertInto('email_changes')
    .values({ account_id: input.accountId, site_id: input.siteId, token_id: link.id, new_email: input.newEmail, new_email_lower: normalizeForSearch(input.newEmail) })
    .execute();
  return { token: link.token, expiresAt: link.expiresAt };
}

/** The pending new address of each of `accountIds` that has one (its link still live). */
export async function pendingEmails(db: Executor, siteId: string, accountIds: string[]): Promise<Map<string, string>> {
  if (accountIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('email_changes as c')
    .innerJoin('one_time_tokens as t', 't.id', 'c.token_id')
    .select(['c.account_id', 'c.new_email'])
    .where('c.site_id', '=', siteId)
    .where('c.account_id', 'in', accountIds)
    .where('t.used_at', 'is', null)
    .where('t.invalidated_at', 'is', null)
    .where('t.expires_at', '>', sql<Date>`now()`)
    .execute();
  return new Map(rows.map((r) => [r.account_id, r.new_email]));
}

/** The change a live link of this site confirms: its token, account and new address; undefined for a dead or forged link. */
export async function findLiveEmailChange(
  db: Executor,
  input: { siteId: string; token: string },
): Promise<{ tokenId: string; accountId: string; newEmail: string } | undefined> {
  const row = await db
    .selectFrom('one_time_tokens as t')
    .innerJoin('email_changes as c', 'c.token_id', 't.id')
    .select(['t.id', 't.account_id', 'c.new_email'])
    .where('t.token_hash', '=', hashSecret(input.token))
    .where('t.purpose', '=', 'email_change')
    .where('t.site_id', '=', input.siteId)
    .where('t.used_at', 'is', null)
    .where('t.invalidated_at', 'is', null)
    .where('t.expires_at', '>', sql<Date>`now()`)
    .executeTakeFirst();
  return row && { tokenId: row.id, accountId: row.account_id, newEmail: row.new_email };
}

/** Whether another customer of the site (any status) has this address. */
export async function emailTakenOnSite(db: Executor, input: { siteId: string; email: string; exceptAccountId: string }): Promise<boolean> {
  const row = await db
    .selectFrom('accounts')
    .select('account_id')
    .where('kind', '=', 'customer')
    .where('site_id', '=', input.siteId)
    .where('email_lower', '=', normalizeForSearch(input.email))
    .where('account_id', '!=', input.exceptAccountId)
    .executeTakeFirst();
  return row !== undefined;
}
