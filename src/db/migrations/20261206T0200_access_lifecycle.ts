import type { Kysely } from 'kysely';
import { executeScript } from '../script.js';

// Reasons, notices and dated access (docs/product.md#reason-and-notice, #access-until):
// - accounts.revoke_reason: why the current revoke happened, as the admin wrote it (the list's
//   tooltip and the export); the audit event keeps it for good.
// - accounts.access_until, _by, _reason, _notice: when an active customer's access ends, the admin who
//   set it (the revoke's "by whom"), the reason and whether the revoke notice is mailed then (and with
//   the reason). The partial index is what the expiry job reads every minute.
// - outbox.access_notice: 'revoked' or 'granted' for a revoke or welcome-back notice, the one mail a
//   revoked account may receive (jobs/deliver-mail.ts).
// - access_notice_templates: a site's own wording of those two notices; no row, the built-in one.
export async function up(db: Kysely<any>): Promise<void> {
  await executeScript(db, `
    ALTER TABLE accounts ADD COLUMN revoke_reason text;
    ALTER TABLE accounts ADD COLUMN access_until timestamptz;
    ALTER TABLE accounts ADD COLUMN access_until_by text REFERENCES accounts(account_id);
    ALTER TABLE accounts ADD COLUMN access_until_reason text;
    ALTER TABLE accounts ADD COLUMN access_until_notice text CHECK (access_until_notice IN ('notice', 'notice_with_reason'));
    CREATE INDEX accounts_access_until_idx ON accounts (access_until) WHERE access_until IS NOT NULL AND status = 'active';
    ALTER TABLE outbox ADD COLUMN access_notice text CHECK (access_notice IN ('revoked', 'granted'));
    CREATE TABLE access_notice_templates (
      site_id uuid NOT NULL REFERENCES sites(id),
      kind text NOT NULL CHECK (kind IN ('revoked', 'granted')),
      subject text NOT NULL,
      text_body text NOT NULL,
      updated_by text REFERENCES accounts(account_id),
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (site_id, kind)
    );
  `);
}

export async function down(db: Kysely<any>): Promise<void> {
  await executeScript(db, `
    DROP TABLE access_notice_templates;
    ALTER TABLE outbox DROP COLUMN access_notice;
    DROP INDEX accounts_access_until_idx;
    ALTER TABLE accounts DROP COLUMN access_until_notice;
    ALTER TABLE accounts DROP COLUMN access_until_reason;
    ALTER TABLE accounts DROP COLUMN access_until_by;
    ALTER TABLE accounts DROP COLUMN access_until;
    ALTER TABLE accounts DROP COLUMN revoke_reason;
  `);
}
