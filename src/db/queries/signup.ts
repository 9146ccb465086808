import { randomUUID } from 'node:crypto';
import { sql, type Transaction } from 'kysely';
import type { Db } from '../connection.js';
import type { Database, OneTimeTokenPurpose } from '../schema.js';
import { storedSignupDomains, type SignupSettings } from '../../domain/signup.js';
import { hashSecret, newSecret } from '../../domain/secrets.js';

type Executor = Transaction<Database> | Db;

/** A site's sign-up settings (migration 20261203T0400_signup). */
export async function findSignupSettings(db: Executor, siteId: string): Promise<SignupSettings | undefined> {
  const row = await db
    .selectFrom('sites')
    .select(['customer_signup', 'signup_domains', 'invitation_days', 'help_center_login_required'])
    .where('id', '=', siteId)
    .executeTakeFirst();
  return (
    row && {
      customerSignup: row.customer_signup,
      domains: storedSignupDomains(row.signup_domains),
      invitationDays: row.invitation_days,
      loginRequired: row.help_center_login_required,
    }
  );
}

export async function updateSignupSettings(trx: Executor, siteId: string, settings: SignupSettings): Promise<void> {
  await trx
    .updateTable('sites')
    .set({
      customer_signup: settings.customerSignup,
      signup_domains: settings.domains.join('\n'),
      invitation_days: settings.invitationDays,
      help_center_login_required: settings.loginRequired,
    })
    .where('id', '=', siteId)
    .execute();
}

/**
 * A new one-time link for an account (stored hashed; the secret is returned once, for the mail),
 * valid for `hours`. Earlier unused links of the same purpose die: the newest mail is the one that works.
 */
export async function issueOneTimeToken(
  trx: Executor,
  input: { accountId: string; siteId: string; purpose: OneTimeTokenPurpose; hours: number },
): Promise<string> {
  await trx
    .updateTable('one_time_tokens')
    .set({ invalidated_at: sql<Date>`now()` })
    .where('account_id', '=', input.accountId)
    .where('purpose', '=', input.purpose)
    .where('used_at', 'is', null)
    .where('invalidated_at', 'is', null)
    .execute();
  const token = newSecret();
  await trx
    .insertInto('one_time_tokens')
    .values({
      id: randomUUID(),
      token_hash: hashSecret(token),
      account_id: input.accountId,
      site_id: input.siteId,
      purpose: input.purpose,
      expires_at: sql<Date>`now() + make_interval(hours => ${input.hours})`,
    })
    .execute();
  return token;
}

