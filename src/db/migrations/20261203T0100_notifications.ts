import { type Kysely } from 'kysely';
import { executeScript } from '../script.js';

// Request notifications (docs/architecture.md#request-notifications):
// - notification_templates: a site's own mail template (subject, plain text, HTML; Mustache), one
//   row per site once an admin saved one; without a row the built-in template is used.
// - request_mail_mutes: a recipient who stopped a request's mail from its unsubscribe link; deleting
//   the row turns the mail back on.
// - sites.mail_key: the secret the site's unsubscribe links are signed with (HMAC), made by the
//   database's strong random generator, never shown.
// - outbox: the HTML part, the request a mail is about, the thread it belongs to (In-Reply-To and
//   References), its unsubscribe link and the sender's display name (the site's name).
export async function up(db: Kysely<any>): Promise<void> {
  await executeScript(db, `
    ALTER TABLE sites ADD COLUMN mail_key text NOT NULL
      DEFAULT replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', '');

    CREATE TABLE notification_templates (
      site_id uuid PRIMARY KEY REFERENCES sites(id),
      subject text NOT NULL,
      text_body text NOT NULL,
      html_body text NOT NULL,
      updated_by text REFERENCES accounts(account_id),
      updated_at timestamptz NOT NULL DEFAULT now()
    );

    CREATE TABLE request_mail_mutes (
      site_id uuid NOT NULL REFERENCES sites(id),
      request_id bigint NOT NULL REFERENCES requests(id),
      account_id text NOT NULL REFERENCES accounts(account_id),
      muted_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (request_id, account_id)
    );

    ALTER TABLE outbox ADD COLUMN html_body text;
    ALTER TABLE outbox ADD COLUMN request_id bigint REFERENCES requests(id);
    ALTER TABLE outbox ADD COLUMN thread_id text;
    ALTER TABLE outbox ADD COLUMN unsubscribe_url text;
    ALTER TABLE outbox ADD COLUMN sender_name text;
  `);
}

export async function down(db: Kysely<any>): Promise<void> {
  await executeScript(db, `
    ALTER TABLE outbox DROP COLUMN IF EXISTS sender_name;
    ALTER TABLE outbox DROP COLUMN IF EXISTS unsubscribe_url;
    ALTER TABLE outbox DROP COLUMN IF EXISTS thread_id;
    ALTER TABLE outbox DROP COLUMN IF EXISTS request_id;
    ALTER TABLE outbox DROP COLUMN IF EXISTS html_body;
    DROP TABLE IF EXISTS request_mail_mutes;
    DROP TABLE IF EXISTS notification_templates;
    ALTER TABLE sites DROP COLUMN IF EXISTS mail_key;
  `);
}
