import type { Kysely } from 'kysely';
import { executeScript } from '../script.js';

// SAML 2.0 sign-in for a site's customers (docs/product.md#identity-providers):
// - site_identity_providers takes `protocol` 'saml'. For it, `issuer` is the identity provider's
//   entity id and `client_id` Portico's own entity id (the audience the assertions must name); the
//   provider's metadata is kept as given (saml_metadata_xml, read from saml_metadata_url when the
//   admin gave a URL) with what Portico uses from it: where to send the browser (saml_sso_url) and
//   the certificates its signatures must verify with (saml_certificates, base64 DER, one a line).
//   Nothing of it is secret: Portico neither signs requests nor decrypts assertions, so
//   client_secret_sealed stays empty.
// - sso_sign_ins rows of a SAML sign-in: `nonce` holds the AuthnRequest id the response must answer
//   (InResponseTo); once the provider's signed response has been checked, vouched_email and
//   vouched_name hold what it asserted until the browser that started the sign-in finishes it.
// - saml_assertions_seen: the ids of assertions already used, per site, until they expire (a copy
//   of a response replayed on any instance finds its id here and is refused).
export async function up(db: Kysely<any>): Promise<void> {
  await executeScript(db, `
    ALTER TABLE site_identity_providers DROP CONSTRAINT site_identity_providers_protocol_check;
    ALTER TABLE site_identity_providers ADD CONSTRAINT site_identity_providers_protocol_check CHECK (protocol IN ('oidc', 'saml'));
    ALTER TABLE site_identity_providers ADD COLUMN saml_metadata_url text;
    ALTER TABLE site_identity_providers ADD COLUMN saml_metadata_xml text;
    ALTER TABLE site_identity_providers ADD COLUMN saml_sso_url text;
    ALTER TABLE site_identity_providers ADD COLUMN saml_certificates text;

    ALTER TABLE sso_sign_ins ADD COLUMN protocol text NOT NULL DEFAULT 'oidc';
    ALTER TABLE sso_sign_ins ADD COLUMN vouched boolean NOT NULL DEFAULT false;
    ALTER TABLE sso_sign_ins ADD COLUMN vouched_email text;
    ALTER TABLE sso_sign_ins ADD COLUMN vouched_name text;

    CREATE TABLE saml_assertions_seen (
      site_id uuid NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
      assertion_id text NOT NULL,
      expires_at timestamptz NOT NULL,
      PRIMARY KEY (site_id, assertion_id)
    );
    CREATE INDEX saml_assertions_seen_expiry_idx ON saml_assertions_seen (expires_at);
  `);
}

export async function down(db: Kysely<any>): Promise<void> {
  await executeScript(db, `
    DROP TABLE saml_assertions_seen;
    ALTER TABLE sso_sign_ins DROP COLUMN vouched_name;
    ALTER TABLE sso_sign_ins DROP COLUMN vouched_email;
    ALTER TABLE sso_sign_ins DROP COLUMN vouched;
    ALTER TABLE sso_sign_ins DROP COLUMN protocol;
    DELETE FROM site_identity_providers WHERE protocol = 'saml';
    ALTER TABLE site_identity_providers DROP COLUMN saml_certificates;
    ALTER TABLE site_identity_providers DROP COLUMN saml_sso_url;
    ALTER TABLE site_identity_providers DROP COLUMN saml_metadata_xml;
    ALTER TABLE site_identity_providers DROP COLUMN saml_metadata_url;
    ALTER TABLE site_identity_providers DROP CONSTRAINT site_identity_providers_protocol_check;
    ALTER TABLE site_identity_providers ADD CONSTRAINT site_identity_providers_protocol_check CHECK (protocol IN ('oidc'));
  `);
}
