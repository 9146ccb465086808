import { sql, type Kysely } from 'kysely';
import { executeScript } from '../script.js';

// Sign-up and invitations (docs/product.md#signup): a site's sign-up settings, set by its admins.
//
// - sites.customer_signup: whether strangers may create a portal-only account from the help
//   center's sign-up form (off by default: an admin opens the door, nobody finds it open).
// - sites.signup_domains: the email domains sign-up is limited to, one lower-case domain a line;
//   empty: any domain. Invitations and accounts made by staff are not limited by it.
// - sites.invitation_days: how long an invitation's set-password link stays valid (1 to 30 days).
// - sites.help_center_login_required: false lets visitors who are not logged in browse the help
//   center's open portals and their knowledge base (raising a request still needs an account).
//
// One email, one account per site is the existing partial unique index accounts_customer_email_uq
// (site_id, email_lower) WHERE kind = 'customer': every path inserts against it.
export async function up(db: Kysely<any>): Promise<void> {
  await executeScript(db, `
    ALTER TABLE sites ADD COLUMN customer_signup boolean NOT NULL DEFAULT false;
    ALTER TABLE sites ADD COLUMN signup_domains text NOT NULL DEFAULT '';
    ALTER TABLE sites ADD COLUMN invitation_days integer NOT NULL DEFAULT 7
      CHECK (invitation_days BETWEEN 1 AND 30);
    ALTER TABLE sites ADD COLUMN help_center_login_required boolean NOT NULL DEFAULT true;
  `);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const column of ['customer_signup', 'signup_domains', 'invitation_days', 'help_center_login_required']) {
    await sql`ALTER TABLE sites DROP COLUMN IF EXISTS ${sql.ref(column)}`.execute(db);
  }
}
