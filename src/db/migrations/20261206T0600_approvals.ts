import { sql, type Kysely } from 'kysely';

// Approvals (docs/product.md#approvals). A request type may name one of its user-picker fields as
// its approvers field; a request of that type is raised "Waiting for approval" with one approval,
// whose approvers are whoever that field holds at the moment (an agent replaces an approver by
// editing the field). Each approver's answer is a row of its own; the first answer decides
// (one approver needed) and the request moves on: Open when approved, Declined when declined.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE requests DROP CONSTRAINT requests_status_check`.execute(db);
  await sql`
    ALTER TABLE requests ADD CONSTRAINT requests_status_check
    CHECK (status IN ('Waiting for approval', 'Open', 'Waiting for support', 'Waiting for customer', 'In progress', 'Resolved', 'Declined', 'Closed')) NOT VALID`.execute(db);
  await sql`ALTER TABLE requests VALIDATE CONSTRAINT requests_status_check`.execute(db);
  await sql`ALTER TABLE request_types ADD COLUMN approval_field_id bigint REFERENCES custom_fields(id)`.execute(db);
  await sql`
    CREATE TABLE request_approvals (
      id bigserial PRIMARY KEY,
      site_id uuid NOT NULL REFERENCES sites(id),
      request_id bigint NOT NULL REFERENCES requests(id),
      custom_field_id bigint NOT NULL REFERENCES custom_fields(id),
      name text NOT NULL,
      status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'declined')),
      created_at timestamptz NOT NULL DEFAULT now(),
      completed_at timestamptz
    )`.execute(db);
  await sql`CREATE INDEX request_approvals_request_idx ON request_approvals (request_id)`.execute(db);
  await sql`
    CREATE TABLE request_approval_decisions (
      approval_id bigint NOT NULL REFERENCES request_approvals(id),
      site_id uuid NOT NULL REFERENCES sites(id),
      account_id text NOT NULL REFERENCES accounts(account_id),
      decision text NOT NULL CHECK (decision IN ('approved', 'declined')),
      decided_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (approval_id, account_id)
    )`.execute(db);
  await sql`CREATE INDEX request_approval_decisions_account_idx ON request_approval_decisions (account_id)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE request_approval_decisions`.execute(db);
  await sql`DROP TABLE request_approvals`.execute(db);
  await sql`ALTER TABLE request_types DROP COLUMN approval_field_id`.execute(db);
  await sql`UPDATE requests SET status = 'Open' WHERE status = 'Waiting for approval'`.execute(db);
  await sql`UPDATE requests SET status = 'Resolved' WHERE status = 'Declined'`.execute(db);
  await sql`ALTER TABLE requests DROP CONSTRAINT requests_status_check`.execute(db);
  await sql`
    ALTER TABLE requests ADD CONSTRAINT requests_status_check
    CHECK (status IN ('Open', 'Waiting for support', 'Waiting for customer', 'In progress', 'Resolved', 'Closed'))`.execute(db);
}
