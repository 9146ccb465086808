import { sql, type Kysely } from 'kysely';

// An account made from an email address alone (a sign-up, a mail from an unknown sender) is in no
// picker until its owner proves the address (docs/product.md#signup). That state needs a column of
// its own: a revoke takes every account out of the pickers and a grant puts it back, and without it
// a grant (or an admin's rename) put a never-verified account into the pickers. Set when such an
// account is made, cleared when its owner sets a password from a mailed link (verification,
// invitation or password reset). Existing accounts: those that signed up and never set a password.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE accounts ADD COLUMN awaiting_verification boolean NOT NULL DEFAULT false`.execute(db);
  await sql`
    UPDATE accounts a SET awaiting_verification = true
    WHERE a.kind = 'customer' AND a.password_hash IS NULL
      AND EXISTS (SELECT 1 FROM audit_events e WHERE e.target_id = a.account_id AND e.action = 'customer.signed_up')`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE accounts DROP COLUMN awaiting_verification`.execute(db);
}
