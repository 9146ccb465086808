import { sql, type Kysely } from 'kysely';

// A customer organization's entity properties (docs/product.md#rest-organization-properties):
// Atlassian's …/organization/{id}/property/{key}, data that scripts keep against an organization and
// that no screen shows. A value is JSON text; the properties go with their organization.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE customer_organization_properties (
      organization_id bigint NOT NULL REFERENCES customer_organizations(id) ON DELETE CASCADE,
      site_id uuid NOT NULL REFERENCES sites(id),
      key text NOT NULL,
      value text NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (organization_id, key)
    )`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE customer_organization_properties`.execute(db);
}
