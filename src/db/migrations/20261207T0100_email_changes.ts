import { sql, type Kysely } from 'kysely';
import { executeScript } from '../script.js';

// An admin's change of a customer's email, pending until the new address confirms it
// (docs/product.md#change-customer-email). The link is a one-time token of the new purpose
// 'email_change', so whatever ends an account's tokens (a revoke, a delete) ends the change too; the
// row holds the address the token would set. One pending change per account: a new request replaces
// the row (and invalidates the old token). A change counts as pending only while its token is live.
export async function up(db: Kysely<any>): Promise<void> {
  await executeScript(db, `
    ALTER TABLE one_time_tokens DROP CONSTRAINT one_time_tokens_purpose_check;
    ALTER TABLE one_time_tokens ADD CONSTRAINT one_time_tokens_purpose_check
      CHECK (purpose IN ('password_reset', 'invitation', 'verification', 'email_change'));
    CREATE TABLE email_changes (
      account_id text PRIMARY KEY REFERENCES accounts(account_id) ON DELETE CASCADE,
      site_id uuid NOT NULL REFERENCES sites(id),
      token_id uuid NOT NULL UNIQUE REFERENCES one_time_tokens(id) ON DELETE CASCADE,
      new_email text NOT NULL,
      new_email_lower text COLLATE "C" NOT NULL,
      requested_at timestamptz NOT NULL DEFAULT now()
    );
  `);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE email_changes`.execute(db);
  await sql`DELETE FROM one_time_tokens WHERE purpose = 'email_change'`.execute(db);
  await executeScript(db, `
    ALTER TABLE one_time_tokens DROP CONSTRAINT one_time_tokens_purpose_check;
    ALTER TABLE one_time_tokens ADD CONSTRAINT one_time_tokens_purpose_check
      CHECK (purpose IN ('password_reset', 'invitation', 'verification'));
  `);
}
