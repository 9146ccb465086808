import { sql, type Kysely } from 'kysely';

// A request's history (docs/product.md#history): one row per change of one field — status,
// reporter, participants, a user-picker field, a comment edited or deleted — with who and when.
// `field` names what changed ('status', 'reporter', 'participants', 'customfield_10010',
// 'comment'), so assignee and priority become two more field names, not a new table. Values are
// JSON: a status or a comment's text as a string, people as an array of account ids (shown with
// the one display rule when read, so a revoked person reads "Name (Deactivated)" there too).
// A comment's `edited_at` says it was edited; `deleted_at` hides it (its text is blanked, so text
// search forgets it, and kept in the history row; the row stays for mail that referenced it).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE request_history (
      id bigserial PRIMARY KEY,
      site_id uuid NOT NULL REFERENCES sites(id),
      request_id bigint NOT NULL REFERENCES requests(id) ON DELETE CASCADE,
      actor_id text NOT NULL REFERENCES accounts(account_id),
      created_at timestamptz NOT NULL DEFAULT now(),
      field text NOT NULL CHECK (length(field) BETWEEN 1 AND 64),
      field_name text NOT NULL,
      change text NOT NULL CHECK (change IN ('changed', 'edited', 'deleted')),
      from_value jsonb,
      to_value jsonb,
      comment_id bigint REFERENCES comments(id) ON DELETE CASCADE
    )`.execute(db);
  await sql`CREATE INDEX request_history_request_idx ON request_history (request_id, created_at, id)`.execute(db);
  await sql`CREATE INDEX request_history_actor_idx ON request_history (actor_id)`.execute(db);
  await sql`ALTER TABLE comments ADD COLUMN edited_at timestamptz, ADD COLUMN deleted_at timestamptz`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE IF EXISTS request_history`.execute(db);
  await sql`ALTER TABLE comments DROP COLUMN IF EXISTS edited_at, DROP COLUMN IF EXISTS deleted_at`.execute(db);
}
