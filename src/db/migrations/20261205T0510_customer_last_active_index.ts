import { sql, type Kysely } from 'kysely';

// The customer list sorted and filtered by last activity (docs/product.md#last-active): a site's
// customers in last_active_at order, so "least recently active first" and "inactive for more than
// N days" read an index range at a million customers instead of sorting them all.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE INDEX accounts_site_last_active_idx ON accounts (site_id, last_active_at)
    WHERE kind = 'customer' AND status <> 'deleted'`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP INDEX accounts_site_last_active_idx`.execute(db);
}
