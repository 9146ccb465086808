import { sql, type Kysely } from 'kysely';
import { executeScript } from '../script.js';
import * as filterIndexes from './20261128T2330_filter_indexes.js';

// Indexes for JQL (src/db/jql-plan.ts, src/use-cases/filters/jql-search.ts); bench/filters.ts and
// docs/benchmarks.md show what each one buys.
//
// Text search (`summary ~`, `text ~`): GIN trigram indexes (pg_trgm) on the lower-cased texts the
// planner tests — summary, description, and the bodies of PUBLIC comments (internal comments are
// never searched). The planner writes every word as `lower(col) LIKE '%word%' AND lower(col) ~ '<word
// regex>'`; the LIKE is what the trigram index answers. pg_trgm is a trusted extension (PostgreSQL
// 13+), so a database owner without superuser may create it; PGlite must load the contrib module when
// it starts (src/db/connection.ts, openPglite), which makes CREATE EXTENSION work there too.
// comments (site_id, request_id): the public-comment sub-query is limited to the site.
//
// User values (`reporter = …`): candidateAccounts looks accounts up by arms that each name the kind
// (and the site, for customers), so the partial unique email indexes of the initial migration serve
// the email arms, and the two name indexes below the display-name arms. The three unconditional
// indexes of 20261128T2330_filter_indexes, added for the earlier look-up that named neither, are no
// longer used by any query and are dropped (every other email look-up in src/ names the kind too).
export async function up(db: Kysely<any>): Promise<void> {
  await executeScript(db, `
    CREATE EXTENSION IF NOT EXISTS pg_trgm;
    CREATE INDEX requests_summary_trgm_idx ON requests USING gin (lower(summary) gin_trgm_ops);
    CREATE INDEX requests_description_trgm_idx ON requests USING gin (lower(description) gin_trgm_ops);
    CREATE INDEX comments_public_body_trgm_idx ON comments USING gin (lower(body) gin_trgm_ops) WHERE public;
    CREATE INDEX comments_site_request_idx ON comments (site_id, request_id);
    CREATE INDEX accounts_customer_name_idx ON accounts (site_id, lower(btrim(display_name))) WHERE kind = 'customer';
    CREATE INDEX accounts_staff_name_idx ON accounts (lower(btrim(display_name))) WHERE kind = 'staff';
    DROP INDEX IF EXISTS accounts_email_lower_idx;
    DROP INDEX IF EXISTS accounts_email_trim_lower_idx;
    DROP INDEX IF EXISTS accounts_display_name_lower_idx;
  `);
}

export async function down(db: Kysely<any>): Promise<void> {
  await filterIndexes.up(db);
  for (const name of [
    'accounts_staff_name_idx',
    'accounts_customer_name_idx',
    'comments_site_request_idx',
    'comments_public_body_trgm_idx',
    'requests_description_trgm_idx',
    'requests_summary_trgm_idx',
  ]) {
    await sql`DROP INDEX IF EXISTS ${sql.ref(name)}`.execute(db);
  }
  // The extension stays: another schema object may use it, and it is harmless.
}
