import type { Kysely } from 'kysely';
import { executeScript } from '../script.js';

// Access reviews (docs/product.md#access-reviews):
// - access_reviews: a review of a site's customers — its name, the filter it was started with, the
//   due date and what undecided customers get then, whether it is open, completed or cancelled, and
//   who started and ended it (ended_by null with status completed: the due-date job applied it),
//   and whether the customers it revokes get the site's revoke notice.
// - access_review_items: the customers snapshotted when it started, in name order (position), each
//   with its decision (keep, revoke, or none yet), who decided and when, and once the review is
//   applied its outcome: kept, revoked, already_revoked (revoked by someone else meanwhile: left
//   as it is) or deleted (deleted meanwhile: nothing to do).
// - access_review_reviewers: who was asked to decide (site admins or org admins); none: any admin.
export async function up(db: Kysely<any>): Promise<void> {
  await executeScript(db, `
    CREATE TABLE access_reviews (
      id uuid PRIMARY KEY,
      site_id uuid NOT NULL REFERENCES sites(id),
      name text NOT NULL,
      scope_query text NOT NULL DEFAULT '',
      scope_inactive_days integer CHECK (scope_inactive_days BETWEEN 1 AND 3650),
      due_at timestamptz,
      undecided_default text NOT NULL CHECK (undecided_default IN ('keep', 'revoke')),
      notify_on_revoke boolean NOT NULL DEFAULT false,
      status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'completed', 'cancelled')),
      item_count integer NOT NULL,
      created_by text NOT NULL REFERENCES accounts(account_id),
      created_at timestamptz NOT NULL DEFAULT now(),
      ended_by text REFERENCES accounts(account_id),
      ended_at timestamptz
    );
    CREATE INDEX access_reviews_site_idx ON access_reviews (site_id, created_at DESC);
    CREATE INDEX access_reviews_due_idx ON access_reviews (due_at) WHERE status = 'open';

    CREATE TABLE access_review_items (
      review_id uuid NOT NULL REFERENCES access_reviews(id),
      position integer NOT NULL,
      account_id text NOT NULL REFERENCES accounts(account_id),
      decision text CHECK (decision IN ('keep', 'revoke')),
      decided_by text REFERENCES accounts(account_id),
      decided_at timestamptz,
      outcome text CHECK (outcome IN ('kept', 'revoked', 'already_revoked', 'deleted')),
      PRIMARY KEY (review_id, position),
      UNIQUE (review_id, account_id)
    );

    CREATE TABLE access_review_reviewers (
      review_id uuid NOT NULL REFERENCES access_reviews(id),
      account_id text NOT NULL REFERENCES accounts(account_id),
      PRIMARY KEY (review_id, account_id)
    );
  `);
}

export async function down(db: Kysely<any>): Promise<void> {
  await executeScript(db, `
    DROP TABLE access_review_reviewers;
    DROP TABLE access_review_items;
    DROP TABLE access_reviews;
  `);
}
