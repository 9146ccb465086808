import type { Kysely } from 'kysely';
import { executeScript } from '../script.js';

// Automatic revoke after inactivity (docs/product.md#inactivity-policy):
// - inactivity_policies: a site's policy; no row is the default, switched off (90 days, warned 7
//   days before, no revoke notice).
// - inactivity_policy_exclusions: customers the policy never revokes nor warns.
// - accounts.inactivity_warned_at: when the policy last warned the customer; a warning counts for the
//   inactivity period it was sent in (sent after the customer was last active), so one mail a period.
// - accounts.access_granted_at: when access was last granted; inactivity counts from the latest of
//   last active, created and granted, so a grant never leads straight back to a revoke.
export async function up(db: Kysely<any>): Promise<void> {
  await executeScript(db, `
    CREATE TABLE inactivity_policies (
      site_id uuid PRIMARY KEY REFERENCES sites(id),
      enabled boolean NOT NULL DEFAULT false,
      inactive_days integer NOT NULL DEFAULT 90 CHECK (inactive_days BETWEEN 1 AND 3650),
      warn_days integer NOT NULL DEFAULT 7 CHECK (warn_days >= 0 AND warn_days < inactive_days),
      notify_on_revoke boolean NOT NULL DEFAULT false,
      updated_by text REFERENCES accounts(account_id),
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE TABLE inactivity_policy_exclusions (
      account_id text PRIMARY KEY REFERENCES accounts(account_id),
      site_id uuid NOT NULL REFERENCES sites(id),
      added_by text REFERENCES accounts(account_id),
      added_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX inactivity_policy_exclusions_site_idx ON inactivity_policy_exclusions (site_id);
    ALTER TABLE accounts ADD COLUMN inactivity_warned_at timestamptz;
    ALTER TABLE accounts ADD COLUMN access_granted_at timestamptz;
  `);
}

export async function down(db: Kysely<any>): Promise<void> {
  await executeScript(db, `
    ALTER TABLE accounts DROP COLUMN access_granted_at;
    ALTER TABLE accounts DROP COLUMN inactivity_warned_at;
    DROP TABLE inactivity_policy_exclusions;
    DROP TABLE inactivity_policies;
  `);
}
