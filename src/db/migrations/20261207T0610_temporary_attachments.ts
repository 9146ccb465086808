import { sql, type Kysely } from 'kysely';

// Files uploaded ahead of the comment that carries them (docs/product.md#rest-attachments):
// Atlassian's …/servicedesk/{id}/attachTemporaryFile, then …/request/{key}/attachment. A file is its
// uploader's, for one service desk, for an hour; its bytes are kept here (at most 10 MB) until the
// comment moves them to the request's attachments, and expired ones are cleared as new ones come.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE temporary_attachments (
      id uuid PRIMARY KEY,
      site_id uuid NOT NULL REFERENCES sites(id),
      project_id bigint NOT NULL REFERENCES projects(id),
      uploaded_by text NOT NULL,
      file_name text NOT NULL,
      content_type text NOT NULL,
      content bytea NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`CREATE INDEX temporary_attachments_created_idx ON temporary_attachments (created_at)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE temporary_attachments`.execute(db);
}
