import { sql, type Kysely } from 'kysely';

// A revoke removes the customer's picker terms; a grant writes them back. The terms are made in the
// app from her name and email (domain/search-terms.ts), so a grant had to read her before the one
// statement that writes it: three round trips against a revoke's two (docs/architecture.md, "A revoke
// in one statement").
//
// Now a revoke keeps the terms it removes, as one row per customer here: the terms, the name they sort
// by, their `words`, and what they were made from (her site, name and email, and the version of the
// making, domain/search-terms.ts SEARCH_TERMS_VERSION). A grant puts them back in its one statement,
// and only while they are still hers as she is: the same site, name and email, made by this version.
// Otherwise (a customer revoked before this migration, one never verified, or a different making)
// the grant takes the locked path, which makes the terms in the app as before.
//
// The row is never allowed to outlive what it was made from: it goes with the account (a foreign
// key), and the trigger below removes it whenever her name, email, verification or site changes, by
// any writer (an erasure blanks name and email; the copy goes with them). A grant removes it too.
export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of [
    `
CREATE TABLE dormant_search_terms (
  account_id text PRIMARY KEY REFERENCES accounts(account_id) ON DELETE CASCADE,
  site_id uuid NOT NULL,
  display_name text NOT NULL,
  email text NOT NULL,
  made_by integer NOT NULL,
  terms text[] COLLATE "C" NOT NULL,
  sort_name text COLLATE "C" NOT NULL,
  words text COLLATE "C" NOT NULL
)
`,
    `
CREATE FUNCTION portico_dormant_search_terms_stale() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  DELETE FROM dormant_search_terms WHERE account_id = OLD.account_id;
  RETURN NULL;
END
$fn$
`,
    `
CREATE TRIGGER accounts_dormant_search_terms_stale
  AFTER UPDATE OF display_name, email, awaiting_verification, site_id ON accounts
  FOR EACH ROW
  WHEN (OLD.display_name IS DISTINCT FROM NEW.display_name OR OLD.email IS DISTINCT FROM NEW.email
        OR OLD.awaiting_verification IS DISTINCT FROM NEW.awaiting_verification OR OLD.site_id IS DISTINCT FROM NEW.site_id)
  EXECUTE FUNCTION portico_dormant_search_terms_stale()
`,
  ]) {
    await sql.raw(statement).execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const statement of [
    'DROP TRIGGER accounts_dormant_search_terms_stale ON accounts',
    'DROP FUNCTION portico_dormant_search_terms_stale()',
    'DROP TABLE dormant_search_terms',
  ]) {
    await sql.raw(statement).execute(db);
  }
}
