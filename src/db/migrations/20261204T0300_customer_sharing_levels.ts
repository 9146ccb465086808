import { sql, type Kysely } from 'kysely';

// Customer privacy in pickers (docs/product.md#customer-sharing): a project's sharing setting now
// has four levels — 'nobody', 'request' (people already on the request), 'organizations' (their
// organizations and people already on the request, the new default) and 'project' (anyone in the
// project). The old 'site' let any customer list the whole site's customers; it is no longer a
// choice, and projects that had it (almost all of them by default) get the new default.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE projects DROP CONSTRAINT IF EXISTS projects_customer_sharing_check`.execute(db);
  await sql`UPDATE projects SET customer_sharing = 'organizations' WHERE customer_sharing = 'site'`.execute(db);
  await sql`ALTER TABLE projects ALTER COLUMN customer_sharing SET DEFAULT 'organizations'`.execute(db);
  await sql`
    ALTER TABLE projects ADD CONSTRAINT projects_customer_sharing_check
    CHECK (customer_sharing IN ('nobody', 'request', 'organizations', 'project'))`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE projects DROP CONSTRAINT IF EXISTS projects_customer_sharing_check`.execute(db);
  await sql`UPDATE projects SET customer_sharing = CASE WHEN customer_sharing = 'organizations' THEN 'organizations' ELSE 'site' END`.execute(db);
  await sql`ALTER TABLE projects ALTER COLUMN customer_sharing SET DEFAULT 'site'`.execute(db);
  await sql`ALTER TABLE projects ADD CONSTRAINT projects_customer_sharing_check CHECK (customer_sharing IN ('site', 'organizations'))`.execute(db);
}
