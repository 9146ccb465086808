import type { Kysely } from 'kysely';
import { executeScript } from '../script.js';

// Sign-in with a site's identity provider (docs/product.md#identity-providers):
// - site_identity_providers: at most one per site. `protocol` is 'oidc' today; the OIDC client
//   secret is sealed with AES-256-GCM under PORTICO_SECRET_KEY (domain/secret-box.ts), never stored
//   or shown in clear. allowed_domains is one lower-case domain a line (empty: any), like
//   sites.signup_domains. password_login false turns the help center's password form off.
// - sso_sign_ins: a sign-in that went to the identity provider and has not come back yet. Keyed by
//   the hash of its `state`; bound to the browser that started it by the hash of a cookie only that
//   browser holds; deleted when it comes back (single use) and worthless after expires_at.
export async function up(db: Kysely<any>): Promise<void> {
  await executeScript(db, `
    CREATE TABLE site_identity_providers (
      site_id uuid PRIMARY KEY REFERENCES sites(id) ON DELETE CASCADE,
      protocol text NOT NULL CHECK (protocol IN ('oidc')),
      display_name text NOT NULL,
      enabled boolean NOT NULL DEFAULT true,
      issuer text NOT NULL,
      client_id text NOT NULL,
      client_secret_sealed text NOT NULL,
      scopes text NOT NULL DEFAULT 'openid email profile',
      jit_accounts boolean NOT NULL DEFAULT false,
      allowed_domains text NOT NULL DEFAULT '',
      password_login boolean NOT NULL DEFAULT true,
      updated_by text REFERENCES accounts(account_id),
      updated_at timestamptz NOT NULL DEFAULT now()
    );

    CREATE TABLE sso_sign_ins (
      state_hash text PRIMARY KEY,
      site_id uuid NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
      browser_hash text NOT NULL,
      nonce text NOT NULL,
      code_verifier text NOT NULL,
      next_path text,
      expires_at timestamptz NOT NULL
    );
    CREATE INDEX sso_sign_ins_expiry_idx ON sso_sign_ins (expires_at);
  `);
}

export async function down(db: Kysely<any>): Promise<void> {
  await executeScript(db, `
    DROP TABLE sso_sign_ins;
    DROP TABLE site_identity_providers;
  `);
}
