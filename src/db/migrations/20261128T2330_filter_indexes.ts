import { sql, type Kysely } from 'kysely';
import { executeScript } from '../script.js';

// Indexes that bench/filters.ts showed JQL needs. Resolving a user value written in a filter
// (reporter = "…", participant in (…), a picker field = "…") looks accounts up by
//   account_id IN (…) OR email_lower IN (…) OR lower(btrim(email)) IN (…) OR lower(btrim(display_name)) IN (…)
// (src/use-cases/filters/jql-search.ts, candidateAccounts). PostgreSQL answers an OR with a
// BitmapOr only when EVERY arm has an index; account_id has its primary key, but the two email
// indexes of the initial migration are partial (kind = 'staff' / kind = 'customer', the latter led
// by site_id) and so cannot serve an arm that names neither, and nothing indexed the two
// expressions — so every user clause sequentially scanned all accounts of all sites (~0.5 s at a
// million customers). These plain indexes make each arm an index scan of a few rows at any size.
export async function up(db: Kysely<any>): Promise<void> {
  await executeScript(db, `
    CREATE INDEX accounts_email_lower_idx ON accounts (email_lower);
    CREATE INDEX accounts_email_trim_lower_idx ON accounts (lower(btrim(email)));
    CREATE INDEX accounts_display_name_lower_idx ON accounts (lower(btrim(display_name)));
  `);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const name of ['accounts_display_name_lower_idx', 'accounts_email_trim_lower_idx', 'accounts_email_lower_idx']) {
    await sql`DROP INDEX IF EXISTS ${sql.ref(name)}`.execute(db);
  }
}
