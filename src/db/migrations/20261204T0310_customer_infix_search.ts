import { sql, type Kysely } from 'kysely';

// Admins find customers by any part of the name or the email, the domain included
// ("@vendor.example"): a trigram GIN index (pg_trgm, installed by 20261128T2345_jql_perf; PGlite
// loads it as an extension, db/connection.ts) on exactly the expression db/queries/customer-list.ts
// searches with LIKE '%…%'. Only customers who are listed (not deleted) are in it. How it scales:
// docs/benchmarks.md#admin-customer-search.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE INDEX accounts_customer_search_trgm_idx ON accounts
    USING gin ((coalesce(sort_name, '') || ' ' || coalesce(email_lower, '')) gin_trgm_ops)
    WHERE kind = 'customer' AND status <> 'deleted'`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP INDEX IF EXISTS accounts_customer_search_trgm_idx`.execute(db);
}
