import type { Transaction } from 'kysely';
import type { Db } from '../connection.js';
import type { Database } from '../schema.js';
import { storedSignupDomains, type SignupSettings } from '../../domain/signup.js';

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

