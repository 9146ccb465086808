import { sql, type Kysely } from 'kysely';
import { executeScript } from '../script.js';

// Every mail is written to the outbox in the transaction of the use case that sends it; delivery
// happens later (src/jobs/deliver-mail.ts), so each row now records what became of it:
//   kept       no SMTP server configured: the outbox is the operator's mail (every earlier row)
//   queued     waiting for delivery (first try or a retry after an SMTP failure)
//   sent       accepted by the SMTP server (sent_at)
//   failed     the last allowed attempt failed too (last_error)
//   cancelled  the recipient was revoked or deleted before delivery: never sent
// recipient_id names the account the mail is for, so delivery can check its status at the time.
export async function up(db: Kysely<any>): Promise<void> {
  await executeScript(db, `
    ALTER TABLE outbox ADD COLUMN recipient_id text REFERENCES accounts(account_id);
    ALTER TABLE outbox ADD COLUMN status text NOT NULL DEFAULT 'kept'
      CHECK (status IN ('kept', 'queued', 'sent', 'failed', 'cancelled'));
    ALTER TABLE outbox ADD COLUMN attempts integer NOT NULL DEFAULT 0;
    ALTER TABLE outbox ADD COLUMN last_error text;
    ALTER TABLE outbox ADD COLUMN sent_at timestamptz;
    CREATE INDEX outbox_recipient_idx ON outbox (recipient_id) WHERE recipient_id IS NOT NULL;
  `);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const column of ['sent_at', 'last_error', 'attempts', 'status', 'recipient_id']) {
    await sql`ALTER TABLE outbox DROP COLUMN IF EXISTS ${sql.ref(column)}`.execute(db);
  }
}
