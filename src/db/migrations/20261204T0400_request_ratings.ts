import { sql, type Kysely } from 'kysely';

// Satisfaction (docs/product.md#satisfaction): the reporter of a resolved request rates it 1 to 5,
// with an optional comment; one rating a request, changed in place. The project is kept on the row
// so a project's summary (counts per rating, the latest comments) reads one index range.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE request_ratings (
      request_id bigint PRIMARY KEY REFERENCES requests(id),
      site_id uuid NOT NULL REFERENCES sites(id),
      project_id bigint NOT NULL REFERENCES projects(id),
      rating smallint NOT NULL CHECK (rating BETWEEN 1 AND 5),
      comment text CHECK (comment IS NULL OR char_length(comment) <= 2000),
      rated_by text NOT NULL REFERENCES accounts(account_id),
      rated_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`CREATE INDEX request_ratings_project_idx ON request_ratings (project_id, rated_at DESC)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE request_ratings`.execute(db);
}
