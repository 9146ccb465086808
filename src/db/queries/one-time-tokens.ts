import { randomUUID } from 'node:crypto';
import { sql, type Kysely, type RawBuilder, type SelectQueryBuilder, type Transaction } from 'kysely';
import type { Db } from '../connection.js';
import type { Database, OneTimeTokenPurpose } from '../schema.js';
import { hashSecret, newSecret } from '../../domain/secrets.js';

type Executor = Transaction<Database> | Db;

/**
 * Uses a one-time token (a reset, verification or invitation link): marks it used if it is still
 * live — not used, not invalidated, not expired — and answers its account; undefined when it was
 * not. Atomic: of two concurrent uses, one wins and the other finds nothing.
 */
export async function claimOneTimeToken(trx: Transaction<Database>, tokenId: string): Promise<string | undefined> {
  const claimed = await trx
    .updateTable('one_time_tokens')
    .set({ used_at: sql<Date>`now()` })
    .where('id', '=', tokenId)
    .where('used_at', 'is', null)
    .where('invalidated_at', 'is', null)
    .where('expires_at', '>', sql<Date>`now()`)
    .returning(['account_id'])
    .executeTakeFirst();
  return claimed?.account_id;
}

/** The account and purpose of a live one-time link of this site (reset, verification, invitation): not used, not invalidated, not expired, of an active customer. */
export async function findLiveOneTimeToken(
  db: Executor,
  input: { siteId: string; token: string; purposes: OneTimeTokenPurpose[] },
): Promise<{ id: string; accountId: string; purpose: OneTimeTokenPurpose; email: string; displayName: string } | undefined> {
  const row = await db
    .selectFrom('one_time_tokens as t')
    .innerJoin('accounts as a', 'a.account_id', 't.account_id')
    .select(['t.id', 't.account_id', 't.purpose', 'a.email', 'a.display_name'])
    .where('t.token_hash', '=', hashSecret(input.token))
    .where('t.purpose', 'in', input.purposes)
    .where('t.site_id', '=', input.siteId)
    .where('t.used_at', 'is', null)
    .where('t.invalidated_at', 'is', null)
    .where('t.expires_at', '>', sql<Date>`now()`)
    .where('a.kind', '=', 'customer')
    .where('a.status', '=', 'active')
    .executeTakeFirst();
  return row && { id: row.id, accountId: row.account_id, purpose: row.purpose, email: row.email ?? '', displayName: row.display_name ?? '' };
}

/**
 * A new one-time link for an account, valid for `hours`: stored hashed, its secret answered once, for
 * the mail. Earlier links stay as they are (issueOneTimeToken ends those of the same purpose).
 */
export async function insertOneTimeToken(
  db: Executor,
  input: { accountId: string; siteId: string; purpose: OneTimeTokenPurpose; hours: number },
): Promise<{ id: string; token: string; expiresAt: Date }> {
  const token = newSecret();
  const row = await db
    .insertInto('one_time_tokens')
    .values({
      id: randomUUID(),
      token_hash: hashSecret(token),
      account_id: input.accountId,
      site_id: input.siteId,
      purpose: input.purpose,
      expires_at: sql<Date>`now() + make_interval(hours => ${input.hours})`,
    })
    .returning(['id', 'expires_at'])
    .executeTakeFirstOrThrow();
  return { id: row.id, token, expiresAt: new Date(row.expires_at as unknown as string | Date) };
}

/**
 * A new one-time link for an account (its secret answered once, for the mail), valid for `hours`.
 * Earlier unused links of the same purpose die: the newest mail is the one that works.
 */
export async function issueOneTimeToken(
  trx: Executor,
  input: { accountId: string; siteId: string; purpose: OneTimeTokenPurpose; hours: number },
): Promise<string> {
  await endOutstandingTokens(trx, [input.accountId], [input.purpose]).execute();
  return (await insertOneTimeToken(trx, input)).token;
}

/**
 * The accounts' outstanding one-time links — neither used nor ended — of `purposes` (else every one)
 * marked ended `at` (default the statement's now()): a statement to run, or to be a part of another
 * statement (a revoke's, db/queries/customer-access.ts) with `accountIds` a subquery.
 */
export function endOutstandingTokens(
  db: Kysely<Database>,
  accountIds: string[] | SelectQueryBuilder<any, any, { account_id: string }>,
  purposes?: OneTimeTokenPurpose[],
  at: Date | RawBuilder<Date> = sql<Date>`now()`,
) {
  let q = db
    .updateTable('one_time_tokens')
    .set({ invalidated_at: at })
    .where('account_id', 'in', accountIds)
    .where('used_at', 'is', null)
    .where('invalidated_at', 'is', null);
  if (purposes) q = q.where('purpose', 'in', purposes);
  return q;
}
