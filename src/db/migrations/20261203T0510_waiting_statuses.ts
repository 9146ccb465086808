import { sql, type Kysely } from 'kysely';

// The conversation loop (docs/product.md#workflow): a request can wait for support or for the
// customer. The statuses' check names the two new ones; no row changes.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE requests DROP CONSTRAINT requests_status_check`.execute(db);
  await sql`
    ALTER TABLE requests ADD CONSTRAINT requests_status_check
    CHECK (status IN ('Open', 'Waiting for support', 'Waiting for customer', 'In progress', 'Resolved', 'Closed')) NOT VALID`.execute(db);
  await sql`ALTER TABLE requests VALIDATE CONSTRAINT requests_status_check`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`UPDATE requests SET status = 'Open' WHERE status IN ('Waiting for support', 'Waiting for customer')`.execute(db);
  await sql`ALTER TABLE requests DROP CONSTRAINT requests_status_check`.execute(db);
  await sql`ALTER TABLE requests ADD CONSTRAINT requests_status_check CHECK (status IN ('Open', 'In progress', 'Resolved', 'Closed'))`.execute(db);
}
