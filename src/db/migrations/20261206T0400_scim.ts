import { sql, type Kysely } from 'kysely';
import { executeScript } from '../script.js';

// SCIM 2.0 provisioning of a site's portal-only customers (docs/product.md#scim-provisioning).
//
// - scim_tokens: a site's bearer tokens for its identity provider, created by the site's admins
//   (console or `portico scim-token create`); only the hash is kept, the label names the actor
//   "SCIM ({label})" of every change made with it; revoked tokens stay listed.
// - scim_users: what the identity provider calls a customer beyond Portico's own fields: its
//   userName (unique on the site, case-insensitive) and externalId. A customer without a row is
//   known to SCIM by their email as userName.
// - sites.scim_on_delete: what a SCIM DELETE does — 'revoke' (the default: many IdPs DELETE when a
//   person is merely unassigned) or 'delete' (the site's irreversible delete-customer).
export async function up(db: Kysely<any>): Promise<void> {
  await executeScript(db, `
    CREATE TABLE scim_tokens (
      id uuid PRIMARY KEY,
      site_id uuid NOT NULL REFERENCES sites(id),
      label text NOT NULL,
      token_hash text NOT NULL UNIQUE,
      created_by text REFERENCES accounts(account_id),
      created_at timestamptz NOT NULL DEFAULT now(),
      last_used_at timestamptz,
      revoked_at timestamptz
    );
    CREATE INDEX scim_tokens_site_idx ON scim_tokens (site_id, created_at DESC);

    CREATE TABLE scim_users (
      account_id text PRIMARY KEY REFERENCES accounts(account_id),
      site_id uuid NOT NULL REFERENCES sites(id),
      user_name text NOT NULL,
      user_name_lower text COLLATE "C" NOT NULL,
      external_id text
    );
    CREATE UNIQUE INDEX scim_users_user_name_uq ON scim_users (site_id, user_name_lower);
    CREATE INDEX scim_users_external_id_idx ON scim_users (site_id, external_id);

    ALTER TABLE sites ADD COLUMN scim_on_delete text NOT NULL DEFAULT 'revoke' CHECK (scim_on_delete IN ('revoke', 'delete'));
  `);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE sites DROP COLUMN IF EXISTS scim_on_delete`.execute(db);
  await sql`DROP TABLE IF EXISTS scim_users`.execute(db);
  await sql`DROP TABLE IF EXISTS scim_tokens`.execute(db);
}
